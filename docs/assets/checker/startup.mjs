// Python's start-up in Pyodide, one module for every place that starts it: the checker's
// worker (checker-worker.mjs), the editor's worker (../editor/editor-worker.mjs) and the
// build's run under Node (sitegen/pyodide_run.mjs imports it by path), so that the
// build's probe of the checker's imports and the parity test run what the page runs.
//
// - Pyodide from the site's own files: loadPyodide with an inline lock (no
//   pyodide-lock.json request), no package, the standard library given;
// - our Python: a zip unpacked, globals set, then a few lines of glue run (the
//   checker's: checker.entry.make_evaluator, the function the CLI's tests call too);
// - a failure said in French (StartError), and a file whose name carries a content
//   hash (``rules.99de00fff4b4.json``) checked against it before use: a file altered on
//   the way, or in a cache, is refused.
//
// Importing it runs nothing, and it needs neither a browser nor Node: what only one of
// them has (the workers' messages, downloads and kept snapshot; Node's files) stays
// in its caller.

/** A start-up failure whose message is French and shown as is to the user. */
export class StartError extends Error {}

/** Run ``step``; turn any failure into a StartError with ``message`` (details to the console). */
export async function stage(message, step) {
  try {
    return await step();
  } catch (error) {
    if (error instanceof StartError) throw error;
    console.error(error);
    throw new StartError(message);
  }
}

// ---------------------------------------------------------------- files --

export function fileName(url) {
  return String(url).split("?")[0].split("/").pop();
}

export const HASHED = /\.([0-9a-f]{12})\.[a-z]+$/;

export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The bytes of ``response``, checked against the hash in the file's name. */
export async function verifiedBytes(response, url) {
  const bytes = await response.arrayBuffer();
  const expected = HASHED.exec(fileName(url));
  // crypto.subtle exists on https (and localhost) only: a plain-http copy is not checked.
  if (expected && globalThis.crypto?.subtle && !(await sha256Hex(bytes)).startsWith(expected[1])) {
    throw new StartError(`le fichier ${fileName(url)} est altéré (son contenu ne correspond `
      + "pas à son empreinte)");
  }
  return bytes;
}

export async function fetchOk(url, kind) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    console.error(error);
    throw new StartError(`${kind} n'a pas pu être téléchargé (connexion interrompue)`);
  }
  if (!response.ok) {
    throw new StartError(`${kind} n'a pas pu être téléchargé (erreur HTTP ${response.status})`);
  }
  return response;
}

/** The bytes of one of our files (``kind`` names it in French), checked against its hash. */
export async function fetchVerified(url, kind) {
  return verifiedBytes(await fetchOk(url, kind), url);
}

// --------------------------------------------------------------- Python --

/**
 * ``load(options)``, once Pyodide's scripts are imported: ``loadPyodide`` of the runtime
 * in ``indexURL`` (the folder of pyodide.mjs, ending in "/"), with ``options.stdlibURL``
 * (the standard library's zip; Pyodide's own when undefined), ``options.lock`` (the
 * lock file's contents, inline) and no package; other options go to loadPyodide as
 * they are (``_makeSnapshot``, ``_loadSnapshot``, ``stdout``…).
 *
 * Both scripts are asked for at once (loadPyodide imports the second after the first).
 * ``scriptsURL``: where to import them from, when ``indexURL`` is no URL (a folder under
 * Node).
 */
export async function pyodideLoader(indexURL, scriptsURL = indexURL) {
  import(new URL("pyodide.asm.mjs", scriptsURL).href).catch(() => {}); // said by loadPyodide
  const { loadPyodide } = await import(new URL("pyodide.mjs", scriptsURL).href);
  return ({ stdlibURL, lock, ...options }) => loadPyodide({
    indexURL, stdLibURL: stdlibURL, lockFileContents: lock, packages: [], ...options,
  });
}

/**
 * Our Python in a started ``pyodide``: the zip ``zip`` (its bytes) unpacked, ``globals``
 * set, then ``glue`` run; resolves to the glue's last value (a Python function JavaScript
 * calls). A failure is a StartError saying ``said.archive`` or ``said.python``.
 */
export async function startPython(pyodide, { zip, globals, glue }, said) {
  await stage(said.archive, () => pyodide.unpackArchive(new Uint8Array(zip), "zip"));
  for (const [name, value] of Object.entries(globals)) pyodide.globals.set(name, value);
  return stage(said.python, () => pyodide.runPython(glue));
}

// The checker's Python side is one function of the checker package (checker.entry).
const CHECKER_GLUE = `
from checker.entry import make_evaluator
make_evaluator(rules_text)
`;

/** The checker in ``pyodide``, from its zip and the compiled rules' JSON text: resolves to
 * its evaluator, request JSON text -> verdict JSON text (checker.entry). */
export function startChecker(pyodide, zip, rulesText) {
  return startPython(pyodide, { zip, globals: { rules_text: rulesText }, glue: CHECKER_GLUE }, {
    archive: "l'archive du vérificateur est illisible",
    python: "le vérificateur n'a pas pu démarrer dans Python",
  });
}

// --------------------------------------------------------------- worker --

/** Start once on the first "init" message; a failure is posted as {type: "failed"} in
 * French (``fallback`` when it is not a StartError, whose details go to the console).
 * Returns the promise of what ``start`` gives. */
export function startOnce(start, message, post, fallback) {
  // Once start-up has failed (and been reported in French), Pyodide's loader may still
  // reject a promise nobody awaits, such as a second runtime download: log it.
  self.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    console.error(event.reason);
  });
  const started = start(message);
  started.catch((error) => {
    if (!(error instanceof StartError)) console.error(error);
    post({ type: "failed", message: error instanceof StartError ? error.message : fallback });
  });
  return started;
}
