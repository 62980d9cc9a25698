// Start-up of a worker, shared by the checker's and the editor's workers: a failure said
// in French (StartError), and a file whose name carries a content hash
// (``rules.99de00fff4b4.json``) checked against it before use: a file altered on the
// way, or in a cache, is refused.

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
  if (expected && self.crypto?.subtle && !(await sha256Hex(bytes)).startsWith(expected[1])) {
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

/** Start once on the first "init" message; a failure is posted as {type: "failed"} in
 * French (``fallback`` when it is not a StartError, whose details go to the console).
 * Returns the promise of what ``start`` gives. */
export function startOnce(start, message, post, fallback) {
  const started = start(message);
  started.catch((error) => {
    if (!(error instanceof StartError)) console.error(error);
    post({ type: "failed", message: error instanceof StartError ? error.message : fallback });
  });
  return started;
}

// Once start-up has failed (and been reported in French), Pyodide's loader may still
// reject a promise nobody awaits, such as a second runtime download: log it.
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  console.error(event.reason);
});
