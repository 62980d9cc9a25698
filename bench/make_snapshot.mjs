// Benchmark only: a Pyodide memory snapshot made at build time under Node, after
// `import checker.entry`, on the site's own trimmed runtime (a snapshot only loads
// with the very same pyodide.asm.* and standard library zip).
//
// Usage: node make_snapshot.mjs PYODIDE_DIR STDLIB_ZIP CHECKER_ZIP OUT
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, stdlib, checkerZip, out] = process.argv.slice(2);
const indexURL = path.resolve(pyodideDir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const lock = JSON.parse(await readFile(path.join(indexURL, "pyodide-lock.json"), "utf8"));
const pyodide = await loadPyodide({
  indexURL, stdLibURL: path.resolve(stdlib), lockFileContents: { info: lock.info, packages: {} },
  packages: [], _makeSnapshot: true,
});
pyodide.unpackArchive(new Uint8Array(await readFile(checkerZip)), "zip");
pyodide.runPython("import checker.entry");
await writeFile(out, pyodide.makeMemorySnapshot());
