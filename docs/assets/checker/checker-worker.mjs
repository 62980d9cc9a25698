// Module Web Worker running the Python checker in self-hosted Pyodide.
//
// Messages in:
//   {type: "init", indexURL, rulesURL, zipURL}   (once; later ones are ignored)
//   {type: "evaluate", id, form: {question_id: "string"}, as_of?: "YYYY-MM-DD"}
// Messages out:
//   {type: "progress", stage}                     stage: runtime | files | python
//   {type: "bytes", loaded}                       bytes received so far (watchdog: alive)
//   {type: "ready", rules, python}                compiled rules (labels, plans…)
//   {type: "failed", message}                     initialisation failed
//   {type: "verdict", id, verdict}                checker.verdict_json text
//   {type: "error", id, message}                  one evaluation failed
//
// No rule is written here: Python's checker.parse_form_answers and
// checker.evaluate decide everything, as in the CLI and the tests.

const GLUE = `
import json
from datetime import date

import checker

RULES = json.loads(rules_text)


def evaluate_form(form_json, as_of):
    """Form strings -> typed answers -> verdict JSON text (one call per change)."""
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        day = None
    answers = checker.parse_form_answers(RULES, json.loads(form_json))
    return checker.verdict_json(checker.evaluate(RULES, answers, as_of=day))


evaluate_form
`;

let ready = null; // Promise of the Python evaluate_form function
const BYTES_STEP = 256 * 1024; // report downloads every 256 KiB

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
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${kind} : réponse HTTP ${response.status} pour ${url}`);
  }
  return response;
}

async function start({ indexURL, rulesURL, zipURL }) {
  post({ type: "progress", stage: "runtime" });
  countDownloads();
  // The runtime and our two artefacts download in parallel.
  const runtime = import(new URL("pyodide.mjs", indexURL).href).then((module) =>
    module.loadPyodide({ indexURL, packages: [] }),
  );
  const rulesText = fetchOk(rulesURL, "règles").then((r) => r.text());
  const archive = fetchOk(zipURL, "vérificateur").then((r) => r.arrayBuffer());
  const [rules, zip] = await Promise.all([rulesText, archive]);
  post({ type: "progress", stage: "files" });
  const pyodide = await runtime;
  post({ type: "progress", stage: "python" });
  pyodide.unpackArchive(zip, "zip");
  pyodide.globals.set("rules_text", rules);
  const evaluateForm = pyodide.runPython(GLUE);
  const python = pyodide.runPython("import sys; sys.version.split()[0]");
  post({ type: "ready", rules: JSON.parse(rules), python });
  return evaluateForm;
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    if (ready) return;
    ready = start(message);
    ready.catch((error) => post({ type: "failed", message: String(error?.message || error) }));
    return;
  }
  if (message.type === "evaluate") {
    if (!ready) {
      post({ type: "error", id: message.id, message: "Vérificateur non initialisé." });
      return;
    }
    let evaluateForm;
    try {
      evaluateForm = await ready;
    } catch {
      return; // already reported by "failed"
    }
    try {
      const verdict = evaluateForm(JSON.stringify(message.form || {}), message.as_of || null);
      post({ type: "verdict", id: message.id, verdict });
    } catch (error) {
      post({ type: "error", id: message.id, message: String(error?.message || error) });
    }
  }
});
