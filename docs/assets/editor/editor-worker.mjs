// Module Web Worker of the rules editor: the toolchain of the command line (rulebook,
// checker) in self-hosted Pyodide, on the text being edited (sitegen/editor.py).
//
// Messages in:
//   {type: "init", indexURL, stdlibURL, lock, toolchainURL, setupURL}   (once)
//   {type: "call", id, method, text, arg?}   method: check | examples | impact | scenarios | find |
//                                            locate | questions | evaluate; text: the
//                                            edited text (a string), or the bytes of an
//                                            opened file (Uint8Array, check only)
// Messages out:
//   {type: "ready", python, ms}              Python started (ms: from init to ready)
//   {type: "failed", message}                the start failed (French, no trace)
//   {type: "result", id, method, json}       the studio's answer, JSON text
//   {type: "error", id, method, message}     one call failed (French)
//
// Python decides everything (rulebook.studio): this file only moves text.

import { fetchOk, stage, startOnce, verifiedBytes } from "../checker/files.mjs";

const GLUE = `
from rulebook.studio import Studio

studio = Studio(setup_text)
METHODS = {"check", "examples", "impact", "scenarios", "find", "locate", "questions", "evaluate"}


def call(method, text, arg=None):
    if method not in METHODS:
        raise ValueError(method)
    if not isinstance(text, str):  # the bytes of an opened file, as they are
        text = bytes(text.to_py())
    answer = getattr(studio, method)
    return answer(text) if arg is None else answer(text, arg)


call
`;

let ready = null; // Promise of the Python function call(method, text, arg)

async function start(config) {
  const started = performance.now();
  const { indexURL, stdlibURL, lock, toolchainURL, setupURL } = config;
  const runtime = stage("le moteur Python (Pyodide) n'a pas pu être chargé", async () => {
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
    return loadPyodide({ indexURL, stdLibURL: stdlibURL, lockFileContents: lock, packages: [] });
  });
  runtime.catch(() => {}); // awaited below, after the files
  const toolchain = fetchOk(toolchainURL, "le programme de l'éditeur")
    .then((response) => verifiedBytes(response, toolchainURL));
  const setup = fetchOk(setupURL, "la version publiée des règles")
    .then((response) => verifiedBytes(response, setupURL))
    .then((bytes) => new TextDecoder().decode(bytes));
  const [zip, setupText] = await Promise.all([toolchain, setup]);
  const pyodide = await runtime;
  await stage("le programme de l'éditeur est illisible", () => pyodide.unpackArchive(zip, "zip"));
  pyodide.globals.set("setup_text", setupText);
  const call = await stage("l'éditeur n'a pas pu démarrer dans Python", () => pyodide.runPython(GLUE));
  const python = pyodide.runPython("import sys; sys.version.split()[0]");
  self.postMessage({ type: "ready", python, ms: Math.round(performance.now() - started) });
  return call;
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    ready ??= startOnce(start, message, (answer) => self.postMessage(answer),
      "l'éditeur n'a pas pu démarrer");
    return;
  }
  if (message.type !== "call") return;
  const { id, method } = message;
  let call;
  try {
    call = await ready;
  } catch {
    return; // already said by "failed"
  }
  try {
    // JS null is not Python's None (it is pyodide.ffi.jsnull): no argument then.
    const json = message.arg == null ? call(method, message.text) : call(method, message.text, message.arg);
    self.postMessage({ type: "result", id, method, json });
  } catch (error) {
    console.error(error);
    self.postMessage({ type: "error", id, method, message: "cette vérification a échoué dans Python" });
  }
});
