// Bundles the browser build into one ES module, dist/browser/gdnet.js, for pages that
// load gdnet without a bundler of their own (the demo's chat page, the browser tests).
import { build } from "esbuild";

await build({
  entryPoints: ["src/index.browser.ts"],
  outfile: "dist/browser/gdnet.js",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
});
