// Parity harness: evaluate answer sets with the pinned npm Pyodide, offline.
//
// Usage: node run_scenarios.mjs PYODIDE_DIR CHECKER_ZIP RULES_JSON CASES_JSON
//
// CASES_JSON is a list of requests of checker.entry (the browser worker's own
// entry point): {"as_of": "YYYY-MM-DD", "answers": {...}} (typed answers) or
// {"as_of": ..., "form": {...}} (form strings). Prints {python, verdicts}: one
// verdict JSON text per case.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, zipPath, rulesPath, casesPath] = process.argv.slice(2);
if (!casesPath) {
  console.error("usage: node run_scenarios.mjs PYODIDE_DIR CHECKER_ZIP RULES_JSON CASES_JSON");
  process.exit(2);
}

const indexURL = path.resolve(pyodideDir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const [pyodide, zip, rulesText, casesText] = await Promise.all([
  loadPyodide({ indexURL, stdout: () => {}, stderr: (line) => console.error(line) }),
  readFile(zipPath),
  readFile(rulesPath, "utf8"),
  readFile(casesPath, "utf8"),
]);
pyodide.unpackArchive(new Uint8Array(zip), "zip");
pyodide.globals.set("rules_text", rulesText);
const run = pyodide.runPython(`
from checker.entry import make_evaluator
make_evaluator(rules_text)
`);
// Each case is a request of checker.entry: {as_of, answers} or {as_of, form}.
const verdicts = JSON.parse(casesText).map((c) => run(JSON.stringify(c)));
const python = pyodide.runPython("import sys; sys.version.split()[0]");
process.stdout.write(JSON.stringify({ python, verdicts }));
