// Bundles the service into the single file the images ship: dist/server.mjs.
import { build } from "esbuild";

await build({
  entryPoints: [new URL("./src/server.ts", import.meta.url).pathname],
  outfile: new URL("./dist/server.mjs", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // prom-client and the OTLP exporter are CommonJS and require() Node built-ins; an ESM bundle
  // has no `require` of its own, so give it one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
});
