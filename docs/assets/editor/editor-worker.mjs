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
//   {type: "ready"}                          Python started
//   {type: "failed", message}                the start failed (French, no trace)
//   {type: "result", id, method, json}       the studio's answer, JSON text
//   {type: "error", id, method, message}     one call failed (French)
//
// Python decides everything (rulebook.studio): this file only moves text. Pyodide starts as
// in the checker's worker (../checker/startup.mjs).

import { fetchVerified, pyodideLoader, stage, startOnce, startPython } from "../checker/startup.mjs";

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
  const { indexURL, stdlibURL, lock, toolchainURL, setupURL } = config;
  const runtime = stage("le moteur Python (Pyodide) n'a pas pu être chargé",
    async () => (await pyodideLoader(indexURL))({ stdlibURL, lock }));
  runtime.catch(() => {}); // awaited below, after the files
  const toolchain = fetchVerified(toolchainURL, "le programme de l'éditeur");
  const setup = fetchVerified(setupURL, "la version publiée des règles")
    .then((bytes) => new TextDecoder().decode(bytes));
  const [zip, setupText] = await Promise.all([toolchain, setup]);
  const call = await startPython(await runtime, { zip, globals: { setup_text: setupText }, glue: GLUE }, {
    archive: "le programme de l'éditeur est illisible",
    python: "l'éditeur n'a pas pu démarrer dans Python",
  });
  self.postMessage({ type: "ready" });
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
