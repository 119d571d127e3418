/**
 * The web app's build: a static single-page app in web/dist (relative asset paths, so any web
 * server, or `dcertd devnet`, can serve it from any path). The chain client is the repository's own
 * (src/client, the @dcert/client package's source), compiled into the bundle.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "./",
  resolve: { alias: { "@dcert/client": here("../src/client/index.ts") } },
  build: { outDir: here("dist"), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2048 },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
});
