// The checker's start-up in the pinned npm Pyodide, under Node, offline.
//
// One script for the build (sitegen/runtime.py) and the parity test, so that
// both run what the browser worker runs: the worker's own start-up module
// (docs/assets/checker/startup.mjs: loadPyodide with an inline lock and no
// packages, unpackArchive of the checker zip, checker.entry.make_evaluator).
//
//   node pyodide_run.mjs run REQUEST_JSON
//     REQUEST: {pyodide, stdlib?, checker_zip, rules, cases, snapshot?}
//       pyodide: the npm package's directory; stdlib: a standard library zip
//       (default: the package's full python_stdlib.zip); checker_zip, rules,
//       cases: files (cases: a JSON list of checker.entry requests).
//     Prints {python, verdicts, modules}: modules maps every module imported
//     from the standard library zip to its path inside the zip. With
//     snapshot: true, also snapshot_verdicts: the same cases again on an
//     interpreter restored from a memory snapshot of the first one, as a
//     revisit of the page does.
//
//   node pyodide_run.mjs compile REQUEST_JSON
//     REQUEST: {pyodide, files: ["json/__init__.py", …]}
//     Compiles those files of the package's python_stdlib.zip with Pyodide's
//     own Python (the bytecode must match the runtime's version) and prints
//     {magic, pyc: {"json/__init__.pyc": base64, …}}.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { pyodideLoader, startChecker } from "../docs/assets/checker/startup.mjs";

const [command, requestPath] = process.argv.slice(2);
if (!["run", "compile"].includes(command) || !requestPath) {
  console.error("usage: node pyodide_run.mjs run|compile REQUEST_JSON");
  process.exit(2);
}
const request = JSON.parse(await readFile(requestPath, "utf8"));
const indexURL = path.resolve(request.pyodide) + path.sep;
const load = await pyodideLoader(indexURL, pathToFileURL(indexURL).href);
const lockFile = JSON.parse(await readFile(path.join(indexURL, "pyodide-lock.json"), "utf8"));
const lock = { info: lockFile.info, packages: {} }; // as the page inlines it

async function start(stdlibURL, extra = {}) {
  return load({ stdlibURL, lock, stdout: () => {}, stderr: (line) => console.error(line), ...extra });
}

// Modules loaded from the standard library zip, with their path inside it.
const STDLIB_MODULES = `
import json, sys
zips = [p for p in sys.path if p.endswith(".zip")]
prefix = zips[0] + "/"
found = {}
for name, module in list(sys.modules.items()):
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
    if origin.startswith(prefix):
        found[name] = origin[len(prefix):]
json.dumps(found, sort_keys=True)
`;

async function run() {
  const stdlib = request.stdlib ? path.resolve(request.stdlib) : undefined;
  const [pyodide, zip, rulesText, casesText] = await Promise.all([
    start(stdlib, request.snapshot ? { _makeSnapshot: true } : {}),
    readFile(request.checker_zip),
    readFile(request.rules, "utf8"),
    readFile(request.cases, "utf8"),
  ]);
  // The failure paths the page handles also run Python (a corrupt archive, a
  // bad request): their imports belong to the runtime too.
  try {
    pyodide.unpackArchive(new Uint8Array([80, 75, 3, 4, 0]), "zip");
  } catch {
    // expected
  }
  const evaluate = await startChecker(pyodide, zip, rulesText);
  try {
    evaluate("{not json");
  } catch {
    // expected
  }
  const verdicts = JSON.parse(casesText).map((c) => evaluate(JSON.stringify(c)));
  const python = pyodide.runPython("import sys; sys.version.split()[0]");
  const modules = JSON.parse(pyodide.runPython(STDLIB_MODULES));
  if (!request.snapshot) return { python, verdicts, modules };
  // As the worker does on a revisit: the archive unpacked again, then the checker started.
  const restored = await start(stdlib, { _loadSnapshot: pyodide.makeMemorySnapshot() });
  const again = await startChecker(restored, zip, rulesText);
  const snapshotVerdicts = JSON.parse(casesText).map((c) => again(JSON.stringify(c)));
  return { python, verdicts, modules, snapshot_verdicts: snapshotVerdicts };
}

const COMPILE = `
import base64, importlib.util, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
prefix = [p for p in sys.path if p.endswith(".zip")][0] + "/"
out = {}
with zipfile.ZipFile(prefix[:-1]) as stdlib:
    for name in json.loads(files_json):
        source = stdlib.read(name)
        code = compile(source, prefix + name, "exec", dont_inherit=True)
        # Unchecked hash-based .pyc: no timestamp inside, never revalidated.
        pyc = _code_to_hash_pyc(code, importlib.util.source_hash(source), False)
        out[name[:-3] + ".pyc"] = base64.b64encode(bytes(pyc)).decode("ascii")
json.dumps({"magic": importlib.util.MAGIC_NUMBER.hex(), "pyc": out}, sort_keys=True)
`;

async function compile() {
  const pyodide = await start(undefined);
  pyodide.globals.set("files_json", JSON.stringify(request.files));
  return JSON.parse(pyodide.runPython(COMPILE));
}

const result = command === "run" ? await run() : await compile();
process.stdout.write(JSON.stringify(result));
