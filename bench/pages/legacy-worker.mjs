// Benchmark reference only: the checker's worker as shipped before issue 10 (commit
// cf4acf6), verbatim below this header. Full python_stdlib.zip, fetched pyodide-lock.json,
// and a download counter that rebuilds each response from a stream (no wasm code cache).

// Module Web Worker running the Python checker in self-hosted Pyodide.
//
// Messages in:
//   {type: "init", indexURL, rulesURL, zipURL}   (once; later ones are ignored)
//   {type: "evaluate", id, form: {question_id: "string"}, as_of?: "YYYY-MM-DD"}
// Messages out:
//   {type: "progress", stage}                     stage: runtime | files | python
//   {type: "bytes", loaded}                       bytes received so far (watchdog: alive)
//   {type: "ready", rules, python}                compiled rules (labels, plans…)
//   {type: "failed", message}                     initialisation failed (French, no trace)
//   {type: "verdict", id, verdict}                checker.verdict_json text
//   {type: "error", id, message}                  one evaluation failed
//
// No rule is written here: Python's checker.parse_form_answers and
// checker.evaluate decide everything, as in the CLI and the tests.

// The Python side is one function of the checker package (checker.entry),
// the same one the parity harness and the tests call.
const GLUE = `
from checker.entry import make_evaluator
make_evaluator(rules_text)
`;

let ready = null; // Promise of the Python evaluator: request JSON text -> verdict JSON text
const BYTES_STEP = 256 * 1024; // report downloads every 256 KiB

/** A start-up failure whose message is French and shown as is to the user. */
class StartError extends Error {}

/** Run ``step``; turn any failure into a StartError with ``message`` (details to the console). */
async function stage(message, step) {
  try {
    return await step();
  } catch (error) {
    if (error instanceof StartError) throw error;
    console.error(error);
    throw new StartError(message);
  }
}

// Rejected as soon as any download (ours or Pyodide's) answers with an HTTP
// error: Pyodide may otherwise wait for a file that will never come.
let rejectDownload = null;
const downloadFailed = new Promise((_, reject) => {
  rejectDownload = reject;
});
downloadFailed.catch(() => {}); // observed through Promise.race below

function fileName(url) {
  return String(url).split("?")[0].split("/").pop();
}

/**
 * Count the bytes of every download (ours and Pyodide's), so that the page's
 * watchdog can tell a slow connection, which makes progress, from a hang.
 */
function countDownloads() {
  const nativeFetch = self.fetch.bind(self);
  let loaded = 0;
  let reported = 0;
  self.fetch = async (...args) => {
    const response = await nativeFetch(...args);
    if (!response.ok) {
      rejectDownload(new StartError(
        `le fichier ${fileName(response.url)} n'a pas pu être téléchargé (erreur HTTP ${response.status})`));
    }
    if (!response.body) return response;
    const counter = new TransformStream({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        if (loaded - reported >= BYTES_STEP) {
          reported = loaded;
          post({ type: "bytes", loaded });
        }
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function post(message) {
  self.postMessage(message);
}

async function fetchOk(url, kind) {
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

async function start({ indexURL, rulesURL, zipURL }) {
  post({ type: "progress", stage: "runtime" });
  countDownloads();
  // The runtime and our two artefacts download in parallel.
  const runtime = stage("le moteur Python (Pyodide) n'a pas pu être chargé", async () => {
    const module = await import(new URL("pyodide.mjs", indexURL).href);
    return module.loadPyodide({ indexURL, packages: [] });
  });
  runtime.catch(() => {}); // awaited below, after the files
  const rulesText = fetchOk(rulesURL, "le fichier des règles").then((r) => r.text());
  const archive = fetchOk(zipURL, "le programme du vérificateur").then((r) => r.arrayBuffer());
  const [rules, zip] = await Promise.race([Promise.all([rulesText, archive]), downloadFailed]);
  const compiled = await stage("le fichier des règles est illisible", () => JSON.parse(rules));
  post({ type: "progress", stage: "files" });
  const pyodide = await Promise.race([runtime, downloadFailed]);
  post({ type: "progress", stage: "python" });
  await stage("l'archive du vérificateur est illisible", () => pyodide.unpackArchive(zip, "zip"));
  pyodide.globals.set("rules_text", rules);
  const evaluateRequest = await stage("le vérificateur n'a pas pu démarrer dans Python",
    () => pyodide.runPython(GLUE));
  const python = pyodide.runPython("import sys; sys.version.split()[0]");
  post({ type: "ready", rules: compiled, python });
  return evaluateRequest;
}

// Once start-up has failed (and been reported in French), Pyodide's loader may
// still reject a promise nobody awaits, such as a second runtime download: log it.
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  console.error(event.reason);
});

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    if (ready) return;
    ready = start(message);
    ready.catch((error) => {
      if (!(error instanceof StartError)) console.error(error);
      post({
        type: "failed",
        message: error instanceof StartError ? error.message : "le vérificateur n'a pas pu démarrer",
      });
    });
    return;
  }
  if (message.type === "evaluate") {
    if (!ready) {
      post({ type: "error", id: message.id, message: "Vérificateur non initialisé." });
      return;
    }
    let evaluateRequest;
    try {
      evaluateRequest = await ready;
    } catch {
      return; // already reported by "failed"
    }
    try {
      const verdict = evaluateRequest(JSON.stringify({ form: message.form || {}, as_of: message.as_of || null }));
      post({ type: "verdict", id: message.id, verdict });
    } catch (error) {
      console.error(error); // the Python trace, for whoever debugs; the page gets French
      post({ type: "error", id: message.id, message: "le calcul a échoué" });
    }
  }
});
