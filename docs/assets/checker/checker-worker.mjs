// Module Web Worker running the Python checker in self-hosted Pyodide.
//
// Messages in:
//   {type: "init", indexURL, stdlibURL, lock, rulesURL, zipURL, manifestURL}
//                                                 (once; later ones are ignored)
//   {type: "evaluate", id, form: {question_id: "string"}, as_of?: "YYYY-MM-DD"}
// Messages out:
//   {type: "progress", stage}                     stage: runtime | files | python
//   {type: "bytes", loaded}                       bytes received so far (watchdog: alive)
//   {type: "ready", start}                        start: "snapshot" (a revisit) or "fresh"
//   {type: "snapshot", bytes}                     idle after a fresh start: the memory snapshot
//                                                 was kept (bytes), or could not be (0)
//   {type: "failed", message}                     initialisation failed (French, no trace)
//   {type: "verdict", id, verdict}                checker.verdict_json text
//   {type: "error", id, message}                  one evaluation failed
//
// The runtime is built for the checker (sitegen/runtime.py): Pyodide's wasm,
// a trimmed standard library of .pyc (stdlibURL) and an inline lock (no
// pyodide-lock.json request). After a first visit, once the worker is idle, a
// memory snapshot of the started interpreter is kept in Cache Storage: a
// revisit starts from it instead of running Python's bootstrap again (the
// benchmarks in handbook/benchmarks.md decided it). No rule is written here: Python's
// checker.parse_form_answers and checker.evaluate decide everything, as in
// the CLI and the tests. Pyodide and the checker start as in the build's probe
// and the parity test (startup.mjs).

import {
  StartError, fetchVerified, fileName, pyodideLoader, sha256Hex, stage, startChecker, startOnce,
  verifiedBytes,
} from "./startup.mjs";

let ready = null; // Promise of the Python evaluator: request JSON text -> verdict JSON text
const BYTES_STEP = 256 * 1024; // report downloads every 256 KiB
const SNAPSHOT_CACHE = "cagette-checker-snapshot";
const SNAPSHOT_DIGEST = "X-Content-SHA256"; // the snapshot's SHA-256, kept with it
const SNAPSHOT_IDLE_MS = 5000; // made once no answer came for that long (it takes ~0.2 s)
let keepSnapshot = null; // () => void, while a snapshot is still to be made

// Rejected as soon as any download (ours or Pyodide's) answers with an HTTP
// error: Pyodide may otherwise wait for a file that will never come.
let rejectDownload = null;
const downloadFailed = new Promise((_, reject) => {
  rejectDownload = reject;
});
downloadFailed.catch(() => {}); // observed through Promise.race below

/** Add the byte length of every chunk of ``body`` to the counter (never throws). */
async function count(body, add) {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      add(value.byteLength);
    }
  } catch {
    // the original response reports its own failure
  }
}

/**
 * Count the bytes of every download (ours and Pyodide's), so that the page's
 * watchdog can tell a slow connection, which makes progress, from a hang.
 *
 * Counting reads a clone: the caller gets Chromium's own response, so the
 * wasm compiled by WebAssembly.instantiateStreaming is kept in the code
 * cache (a `new Response(stream)` has no URL, and is never cached).
 */
function countDownloads(checked) {
  const nativeFetch = self.fetch.bind(self);
  let loaded = 0;
  let reported = 0;
  const add = (bytes) => {
    loaded += bytes;
    if (loaded - reported >= BYTES_STEP) {
      reported = loaded;
      post({ type: "bytes", loaded });
    }
  };
  self.fetch = async (...args) => {
    const response = await nativeFetch(...args);
    if (!response.ok) {
      rejectDownload(new StartError(
        `le fichier ${fileName(response.url)} n'a pas pu être téléchargé (erreur HTTP ${response.status})`));
    }
    if (response.body) count(response.clone().body, add);
    const url = response.url || String(args[0]?.url ?? args[0]);
    if (response.ok && checked.has(url)) {  // Pyodide's own download of a hashed file
      try {
        return new Response(await verifiedBytes(response, url),
          { status: response.status, headers: response.headers });
      } catch (error) {
        rejectDownload(error); // Pyodide might wrap it: said as it is
        throw error;
      }
    }
    return response;
  };
}

function post(message) {
  self.postMessage(message);
}

// ------------------------------------------------------------ snapshot --

/**
 * Where the snapshot of this runtime is kept. A snapshot only restores with
 * the very same Pyodide files and standard library, and holds the checker's
 * modules: its key names all of them (hashed or versioned URLs).
 */
function snapshotKey({ indexURL, stdlibURL, zipURL, manifestURL }) {
  const names = { stdlib: stdlibURL, checker: zipURL, manifest: manifestURL ?? "" };
  return new URL(`snapshot?${new URLSearchParams(names)}`, indexURL).href;
}

/**
 * The kept snapshot's bytes (a promise), or null. A start from a snapshot that
 * never finished (marked pending: it hung, or the tab was closed) drops it.
 */
async function takeSnapshot(key) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    if (await cache.match(`${key}&pending`)) {
      await forgetSnapshots();
      return null;
    }
    const kept = await cache.match(key);
    if (!kept) return null;
    const bytes = await kept.arrayBuffer();
    // Checked against the digest kept beside it: a snapshot altered in the cache could
    // start an interpreter that answers wrong (crypto.subtle: https and localhost only).
    const digest = kept.headers.get(SNAPSHOT_DIGEST);
    if (self.crypto?.subtle && (!digest || (await sha256Hex(bytes)) !== digest)) {
      console.warn("instantané du vérificateur altéré\u00a0: démarrage complet");
      await forgetSnapshots();
      return null;
    }
    await cache.put(`${key}&pending`, new Response(""));
    return bytes;
  } catch {
    return null; // no Cache Storage here: start as on a first visit
  }
}

async function forgetSnapshots() {
  try {
    await caches.delete(SNAPSHOT_CACHE);
  } catch {
    // nothing kept
  }
}

async function startedFromSnapshot(key) {
  try {
    await (await caches.open(SNAPSHOT_CACHE)).delete(`${key}&pending`);
  } catch {
    // nothing to clear
  }
}

/** Keep a snapshot of the started interpreter (the only one: older runtimes' go). */
async function storeSnapshot(pyodide, key) {
  keepSnapshot = null;
  try {
    const bytes = pyodide.makeMemorySnapshot();
    const headers = self.crypto?.subtle ? { [SNAPSHOT_DIGEST]: await sha256Hex(bytes) } : {};
    await forgetSnapshots();
    await (await caches.open(SNAPSHOT_CACHE)).put(key, new Response(bytes, { headers }));
    post({ type: "snapshot", bytes: bytes.byteLength });
  } catch (error) {
    console.warn("instantané du vérificateur non conservé", error); // revisits start fresh
    post({ type: "snapshot", bytes: 0 });
  }
}

/** Make the snapshot once the worker has been idle for a while (after each answer again). */
function snapshotWhenIdle(pyodide, key) {
  let timer = null;
  keepSnapshot = () => {
    clearTimeout(timer);
    timer = setTimeout(() => storeSnapshot(pyodide, key), SNAPSHOT_IDLE_MS);
  };
  keepSnapshot();
}

// ------------------------------------------------------------- start-up --

/** Pyodide started from the snapshot (a promise) when there is a readable one, else fully. */
async function loadRuntime(config, kept) {
  const { indexURL, stdlibURL, lock } = config;
  const [load, snapshot] = await Promise.all([pyodideLoader(indexURL), kept]);
  if (snapshot) {
    try {
      return { pyodide: await load({ stdlibURL, lock, _loadSnapshot: snapshot }), fromSnapshot: true };
    } catch (error) {
      console.warn("instantané du vérificateur illisible\u00a0: démarrage complet", error);
      await forgetSnapshots();
    }
  }
  return { pyodide: await load({ stdlibURL, lock, _makeSnapshot: true }), fromSnapshot: false };
}

async function start(config) {
  const { rulesURL, zipURL, stdlibURL } = config;
  post({ type: "progress", stage: "runtime" });
  countDownloads(new Set(stdlibURL ? [new URL(stdlibURL, self.location.href).href] : []));
  const key = snapshotKey(config);
  const snapshot = takeSnapshot(key); // read and checked while the runtime's scripts load
  // The runtime and our two artefacts download in parallel.
  const runtime = stage("le moteur Python (Pyodide) n'a pas pu être chargé",
    () => loadRuntime(config, snapshot));
  runtime.catch(() => {}); // awaited below, after the files
  const rulesText = fetchVerified(rulesURL, "le fichier des règles")
    .then((bytes) => new TextDecoder().decode(bytes));
  const archive = fetchVerified(zipURL, "le programme du vérificateur");
  const [rules, zip] = await Promise.race([Promise.all([rulesText, archive]), downloadFailed]);
  post({ type: "progress", stage: "files" });
  const { pyodide, fromSnapshot } = await Promise.race([runtime, downloadFailed]);
  post({ type: "progress", stage: "python" });
  const evaluateRequest = await startChecker(pyodide, zip, rules);
  post({ type: "ready", start: fromSnapshot ? "snapshot" : "fresh" });
  if (fromSnapshot) startedFromSnapshot(key);
  else snapshotWhenIdle(pyodide, key);
  return evaluateRequest;
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    ready ??= startOnce(start, message, post, "le vérificateur n'a pas pu démarrer");
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
      keepSnapshot?.(); // not while the person is answering
      post({ type: "verdict", id: message.id, verdict });
    } catch (error) {
      console.error(error); // the Python trace, for whoever debugs; the page gets French
      post({ type: "error", id: message.id, message: "le calcul a échoué" });
    }
  }
});
