/**
 * The import layering of src/ (ARCHITECTURE.md, "Layers"), as an ESLint rule.
 *
 * Hand-written rather than eslint-plugin-import's no-restricted-paths: the layers are folders of
 * this one package and every import between them is a relative specifier, so resolving it against
 * the importing file's folder is all that is needed (no module resolver to configure, and no way
 * for an unresolved specifier to pass silently).
 *
 * A layer is the longest matching folder in LAYERS. `may` lists the layers a file of that layer may
 * import (its own layer is always allowed). There are no exceptions.
 */
import path from "node:path";

const SRC = path.resolve(import.meta.dirname, "..", "src");

/** Layer folder (relative to src/) → the layers it may import. */
export const LAYERS = {
  generated: [],
  types: ["generated"],
  baseapp: ["generated", "types"],
  "x/dcert/electionator": [],
  "x/coord/match": ["generated", "types"],
  x: ["generated", "types", "baseapp", "x/dcert/electionator", "x/coord/match"],
  app: ["generated", "types", "baseapp", "x", "x/dcert/electionator", "x/coord/match"],
  client: ["generated", "types"],
  server: ["generated", "types", "baseapp", "x", "x/dcert/electionator", "x/coord/match", "app", "client"],
  localnet: ["generated", "types", "baseapp", "x", "x/dcert/electionator", "x/coord/match", "app", "client", "server"],
  cli: ["generated", "types", "baseapp", "x", "x/dcert/electionator", "x/coord/match", "app", "client", "server", "localnet"],
};

function layerOf(rel) {
  let best;
  for (const name of Object.keys(LAYERS)) {
    if (rel === name || rel.startsWith(`${name}/`)) {
      if (best === undefined || name.length > best.length) best = name;
    }
  }
  return best;
}

export const layeringRule = {
  meta: {
    type: "problem",
    docs: { description: "imports between src/ layers follow ARCHITECTURE.md" },
    schema: [],
    messages: {
      forbidden: "{{from}} may not import {{to}} ({{spec}}): {{from}} may import only {{allowed}} (ARCHITECTURE.md, Layers)",
    },
  },
  create(context) {
    const file = context.filename;
    const rel = path.relative(SRC, file).split(path.sep).join("/");
    if (rel.startsWith("..")) return {};
    const from = layerOf(rel);
    if (from === undefined) return {};
    const check = (node, spec) => {
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep).join("/");
      if (target.startsWith("..")) return;
      const to = layerOf(target);
      if (to === undefined || to === from) return;
      if (LAYERS[from].includes(to)) return;
      context.report({ node, messageId: "forbidden", data: { from, to, spec, allowed: [from, ...LAYERS[from]].join(", ") } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
    };
  },
};

export default { rules: { layering: layeringRule } };
