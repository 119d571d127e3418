import fc from "fast-check";
import { AvlForest, AvlTree, NIL } from "../../../src/x/dcert/electionator/avl";

describe("AVL forest", () => {
  test("trees sharing a forest stay ordered and balanced under random inserts, removes, key changes and rebuilds", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ node: fc.nat(59), tree: fc.nat(1), key: fc.integer({ min: -5, max: 5 }), rebuild: fc.nat(7) }),
          { maxLength: 300 },
        ),
        (ops) => {
          const keys: number[] = new Array<number>(60).fill(0);
          const where: number[] = new Array<number>(60).fill(-1);
          const forest = new AvlForest();
          forest.ensure(59);
          // Keys repeat; the node id breaks ties so the order is total.
          const cmp = (a: number, b: number): number => keys[a]! - keys[b]! || a - b;
          const trees = [new AvlTree(forest, cmp), new AvlTree(forest, cmp)];
          let rebuilds = 0;
          for (const { node, tree, key, rebuild } of ops) {
            const cur = where[node]!;
            if (rebuild === 0) {
              // Change the key of a node in the tree, then rebuild that tree from its sorted nodes.
              if (cur === tree) keys[node] = key;
              const nodes = where.map((w, n) => (w === tree ? n : -1)).filter((n) => n >= 0);
              trees[tree]!.rebuild(nodes.sort(cmp));
              rebuilds++;
            } else if (cur >= 0) trees[cur]!.remove(node);
            if (rebuild === 0) {
              // (membership unchanged)
            } else if (cur === tree) {
              where[node] = -1; // toggles membership
            } else {
              keys[node] = key; // a key changes only while the node is out of every tree
              trees[tree]!.insert(node);
              where[node] = tree;
            }
            for (let t = 0; t < 2; t++) {
              const tr = trees[t]!;
              expect(tr.check()).toBeNull();
              const expected = where
                .map((w, n) => (w === t ? n : -1))
                .filter((n) => n >= 0)
                .sort(cmp);
              expect([...tr.ascending()]).toEqual(expected);
              expect([...tr.descending()]).toEqual([...expected].reverse());
              expect(tr.first()).toBe(expected[0] ?? NIL);
              expect(tr.last()).toBe(expected[expected.length - 1] ?? NIL);
              // Height bound of AVL trees: h < 1.45·log2(n + 2).
              if (tr.root !== NIL) expect(forest.height[tr.root]!).toBeLessThan(1.45 * Math.log2(expected.length + 2));
            }
          }
          if (ops.length > 150) expect(rebuilds).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("removing a node whose key changed is detected", () => {
    const keys = [1, 2, 3];
    const forest = new AvlForest();
    forest.ensure(2);
    const tree = new AvlTree(forest, (a, b) => keys[a]! - keys[b]!);
    tree.insert(0);
    tree.insert(1);
    tree.insert(2);
    keys[0] = 10;
    expect(() => tree.remove(0)).toThrow(/not found/);
  });
});
