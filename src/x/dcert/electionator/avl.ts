/**
 * Intrusive AVL trees over small integer node ids.
 *
 * Several trees share one `AvlForest` (the child/height arrays indexed by node id); a node is in
 * at most one tree at a time. A tree orders its nodes with a comparator that reads the nodes'
 * current keys from the caller's arrays, so a node's key must not change while it is in a tree:
 * callers remove a node, change its key, and insert it again. The comparator must be a total
 * order (no two distinct nodes compare equal).
 *
 * AVL rather than a treap or skip list: the height bound (≤ 1.44·log2 n) holds for every input,
 * so nobody can shape the tree with chosen addresses or vote patterns, and no randomness is needed.
 * PERF: insert, remove, first, last are O(log n); in-order iteration is O(1) amortized per node.
 */

export const NIL = -1;

export class AvlForest {
  readonly left: number[] = [];
  readonly right: number[] = [];
  readonly height: number[] = [];

  /** Makes room for node ids up to and including `id`. */
  ensure(id: number): void {
    while (this.left.length <= id) {
      this.left.push(NIL);
      this.right.push(NIL);
      this.height.push(0);
    }
  }
}

export type NodeComparator = (a: number, b: number) => number;

export class AvlTree {
  root = NIL;
  size = 0;
  private readonly l: number[];
  private readonly r: number[];
  private readonly h: number[];

  constructor(
    forest: AvlForest,
    private readonly cmp: NodeComparator,
  ) {
    this.l = forest.left;
    this.r = forest.right;
    this.h = forest.height;
  }

  insert(n: number): void {
    this.root = this.ins(this.root, n);
    this.size++;
  }

  /** Removes node `n`, which must be in this tree with its key unchanged (throws otherwise). */
  remove(n: number): void {
    this.root = this.del(this.root, n);
    this.size--;
  }

  /**
   * Replaces the tree's content with `sorted` (ascending by the comparator, every node once),
   * built perfectly balanced. PERF: O(n).
   */
  rebuild(sorted: readonly number[]): void {
    this.root = this.build(sorted, 0, sorted.length - 1);
    this.size = sorted.length;
  }

  /** The smallest node, or NIL. */
  first(): number {
    let t = this.root;
    if (t === NIL) return NIL;
    for (let c = this.l[t]!; c !== NIL; c = this.l[t]!) t = c;
    return t;
  }

  /** The largest node, or NIL. */
  last(): number {
    let t = this.root;
    if (t === NIL) return NIL;
    for (let c = this.r[t]!; c !== NIL; c = this.r[t]!) t = c;
    return t;
  }

  /** Appends the nodes in ascending order to `out`. PERF: O(n), no generator. */
  appendAscending(out: number[]): void {
    const stack: number[] = [];
    let t = this.root;
    while (t !== NIL || stack.length > 0) {
      while (t !== NIL) {
        stack.push(t);
        t = this.l[t]!;
      }
      const n = stack.pop()!;
      out.push(n);
      t = this.r[n]!;
    }
  }

  /** Nodes in ascending order. The tree must not change during iteration. */
  *ascending(): Generator<number> {
    const stack: number[] = [];
    let t = this.root;
    while (t !== NIL || stack.length > 0) {
      while (t !== NIL) {
        stack.push(t);
        t = this.l[t]!;
      }
      const n = stack.pop()!;
      yield n;
      t = this.r[n]!;
    }
  }

  /** Nodes in descending order. The tree must not change during iteration. */
  *descending(): Generator<number> {
    const stack: number[] = [];
    let t = this.root;
    while (t !== NIL || stack.length > 0) {
      while (t !== NIL) {
        stack.push(t);
        t = this.r[t]!;
      }
      const n = stack.pop()!;
      yield n;
      t = this.l[n]!;
    }
  }

  /**
   * Checks order, balance, heights and size; returns a description of the first problem or null.
   * PERF: O(n), for tests.
   */
  check(): string | null {
    let count = 0;
    let prev = NIL;
    for (const n of this.ascending()) {
      if (prev !== NIL && this.cmp(prev, n) >= 0) return `nodes ${prev} and ${n} out of order`;
      prev = n;
      count++;
      const hl = this.ht(this.l[n]!);
      const hr = this.ht(this.r[n]!);
      if (this.h[n] !== Math.max(hl, hr) + 1) return `node ${n} has a stale height`;
      if (Math.abs(hl - hr) > 1) return `node ${n} is unbalanced`;
    }
    if (count !== this.size) return `size ${this.size} but ${count} nodes`;
    return null;
  }

  private build(sorted: readonly number[], lo: number, hi: number): number {
    if (lo > hi) return NIL;
    const mid = (lo + hi) >>> 1;
    const n = sorted[mid]!;
    const l = this.build(sorted, lo, mid - 1);
    const r = this.build(sorted, mid + 1, hi);
    this.l[n] = l;
    this.r[n] = r;
    const hl = this.ht(l);
    const hr = this.ht(r);
    this.h[n] = (hl > hr ? hl : hr) + 1;
    return n;
  }

  private ht(t: number): number {
    return t === NIL ? 0 : this.h[t]!;
  }

  private fix(t: number): void {
    const a = this.ht(this.l[t]!);
    const b = this.ht(this.r[t]!);
    this.h[t] = (a > b ? a : b) + 1;
  }

  private rotateRight(t: number): number {
    const x = this.l[t]!;
    this.l[t] = this.r[x]!;
    this.r[x] = t;
    this.fix(t);
    this.fix(x);
    return x;
  }

  private rotateLeft(t: number): number {
    const x = this.r[t]!;
    this.r[t] = this.l[x]!;
    this.l[x] = t;
    this.fix(t);
    this.fix(x);
    return x;
  }

  private balance(t: number): number {
    this.fix(t);
    const lt = this.l[t]!;
    const rt = this.r[t]!;
    const bf = this.ht(lt) - this.ht(rt);
    if (bf > 1) {
      if (this.ht(this.l[lt]!) < this.ht(this.r[lt]!)) this.l[t] = this.rotateLeft(lt);
      return this.rotateRight(t);
    }
    if (bf < -1) {
      if (this.ht(this.r[rt]!) < this.ht(this.l[rt]!)) this.r[t] = this.rotateRight(rt);
      return this.rotateLeft(t);
    }
    return t;
  }

  private ins(t: number, n: number): number {
    if (t === NIL) {
      this.l[n] = NIL;
      this.r[n] = NIL;
      this.h[n] = 1;
      return n;
    }
    if (this.cmp(n, t) < 0) this.l[t] = this.ins(this.l[t]!, n);
    else this.r[t] = this.ins(this.r[t]!, n);
    return this.balance(t);
  }

  private del(t: number, n: number): number {
    if (t === NIL) throw new Error(`avl: node ${n} not found (key changed while in the tree?)`);
    if (t === n) {
      const lt = this.l[t]!;
      const rt = this.r[t]!;
      if (lt === NIL) return rt;
      if (rt === NIL) return lt;
      let m = rt;
      for (let c = this.l[m]!; c !== NIL; c = this.l[m]!) m = c;
      this.r[m] = this.delMin(rt);
      this.l[m] = lt;
      return this.balance(m);
    }
    if (this.cmp(n, t) < 0) this.l[t] = this.del(this.l[t]!, n);
    else this.r[t] = this.del(this.r[t]!, n);
    return this.balance(t);
  }

  private delMin(t: number): number {
    const lt = this.l[t]!;
    if (lt === NIL) return this.r[t]!;
    this.l[t] = this.delMin(lt);
    return this.balance(t);
  }
}
