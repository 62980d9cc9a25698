// Parity harness: evaluate answer sets with the pinned npm Pyodide, offline.
//
// Usage: node run_scenarios.mjs PYODIDE_DIR CHECKER_ZIP RULES_JSON CASES_JSON
//
// CASES_JSON is a list of {"as_of": "YYYY-MM-DD", "answers": {...}} (typed
// answers, passed to checker.evaluate) or {"as_of": ..., "form": {...}} (form
// strings, passed through checker.parse_form_answers first, as the browser
// worker does). Prints a JSON list: one checker.verdict_json string per case.
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
pyodide.globals.set("cases_text", casesText);
const out = pyodide.runPython(`
import json
import sys
import checker

rules = json.loads(rules_text)
results = []
for case in json.loads(cases_text):
    if "form" in case:
        answers = checker.parse_form_answers(rules, case["form"])
    else:
        answers = case["answers"]
    results.append(checker.verdict_json(checker.evaluate(rules, answers, as_of=case["as_of"])))
json.dumps({"python": sys.version.split()[0], "verdicts": results})
`);
process.stdout.write(out);
