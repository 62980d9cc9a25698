// The checker's Python start-up in the pinned npm Pyodide under Node: for each variant,
// a fresh interpreter, then what the worker runs (startup.mjs: the zip unpacked,
// checker.entry imported, make_evaluator on the rules' JSON) and a first verdict.
// Variants run in turn, RUNS times each; medians, and ratios to the first variant.
// No browser, no network: the Python side alone, steadier than a page's timings.
//
//   node bench/checker_python.mjs RUNS NAME=ZIP,RULES_JSON [NAME=ZIP,RULES_JSON ...]
//
// (bench/checker_python.py makes the current checker's files and runs it.)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { pyodideLoader, startChecker } from "../docs/assets/checker/startup.mjs";

const [runs, ...specs] = process.argv.slice(2);
const indexURL = path.resolve("node_modules/pyodide") + path.sep;
const load = await pyodideLoader(indexURL, pathToFileURL(indexURL).href);
const lockFile = JSON.parse(await readFile(path.join(indexURL, "pyodide-lock.json"), "utf8"));
const lock = { info: lockFile.info, packages: {} }; // as the page inlines it
const variants = [];
for (const spec of specs) {
  const [name, files] = spec.split("=");
  const [zip, rules] = files.split(",");
  variants.push({ name, zip: await readFile(zip), rules: await readFile(rules, "utf8"),
                  start: [], verdict: [] });
}
const request = JSON.stringify({ form: { role: "producer", direct_seller: "true" } });
for (let i = 0; i < Number(runs); i++) {
  for (const v of i % 2 ? [...variants].reverse() : variants) {
    const pyodide = await load({ lock, stdout: () => {}, stderr: () => {} });
    const t0 = performance.now();
    const evaluate = await startChecker(pyodide, v.zip, v.rules);
    const t1 = performance.now();
    evaluate(request);
    v.start.push(t1 - t0);
    v.verdict.push(performance.now() - t1);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first = median(variants[0].start.map((s, i) => s + variants[0].verdict[i]));
for (const v of variants) {
  const total = median(v.start.map((s, i) => s + v.verdict[i]));
  console.log(`${v.name.padEnd(12)} start ${median(v.start).toFixed(1)} ms, first verdict `
    + `${median(v.verdict).toFixed(1)} ms, together ${total.toFixed(1)} ms `
    + `(${(total / first).toFixed(2)} × ${variants[0].name}), ${runs} runs`);
}
