// Lay out Graphviz DOT as SVG with @viz-js/viz (Graphviz compiled to WebAssembly), for the
// decision diagram (sitegen/diagram.py): no system Graphviz needed, only Node.
//
//   node graphviz_layout.mjs VIZ_PACKAGE_DIR < graph.dot > graph.svg
//
// VIZ_PACKAGE_DIR is node_modules/@viz-js/viz (the version package-lock.json pins).
// Messages are French: they reach the site's build output.
// Exit codes: 0 laid out, 1 Graphviz failed, 2 usage, 3 @viz-js/viz missing.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir] = process.argv.slice(2);
if (!packageDir) {
  console.error("usage : node graphviz_layout.mjs DOSSIER_DE_@viz-js/viz < graphe.dot");
  process.exit(2);
}

let viz;
try {
  const meta = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8"));
  const entry = path.join(packageDir, meta.exports?.default ?? meta.main);
  viz = await (await import(pathToFileURL(entry).href)).instance();
} catch (error) {
  console.error(`@viz-js/viz introuvable dans ${packageDir} : ${error.message}`);
  process.exit(3);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
try {
  process.stdout.write(viz.renderString(Buffer.concat(chunks).toString("utf8"),
                                        { format: "svg" }));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
