// The checker's start-up on the trimmed runtime, with or without a memory snapshot:
//   trimmed           as the site ships it (stdLibURL, inline lock), no snapshot;
//   shipped-snapshot  a snapshot made at build time in Node, downloaded with the page;
//   browser-snapshot  the first visit makes one after its first verdict and keeps it
//                     in Cache Storage; revisits start from it.
const GLUE = "from checker.entry import make_evaluator\nmake_evaluator(rules_text)";
const CACHE = "bench-snapshot";

self.addEventListener("message", async ({ data: c }) => {
  try {
    const { loadPyodide } = await import(c.indexURL + "pyodide.mjs");
    const rules = fetch(c.rulesURL).then((r) => r.text());
    const options = { indexURL: c.indexURL, stdLibURL: c.stdlibURL, lockFileContents: c.lock, packages: [] };
    const key = c.stdlibURL + "?snapshot"; // a snapshot needs the very same runtime files
    let fromSnapshot = false;
    if (c.mode === "shipped-snapshot") {
      options._loadSnapshot = fetch(c.snapshotURL).then((r) => r.arrayBuffer());
      fromSnapshot = true;
    } else if (c.mode === "browser-snapshot") {
      const kept = await (await caches.open(CACHE)).match(key);
      if (kept) {
        options._loadSnapshot = kept.arrayBuffer();
        fromSnapshot = true;
      } else {
        options._makeSnapshot = true;
      }
    }
    const zip = fromSnapshot ? null : fetch(c.zipURL).then((r) => r.arrayBuffer());
    const pyodide = await loadPyodide(options);
    if (zip) pyodide.unpackArchive(await zip, "zip");
    pyodide.globals.set("rules_text", await rules);
    const evaluate = pyodide.runPython(GLUE);
    self.postMessage({ type: "verdict", verdict: evaluate(JSON.stringify({ form: {} })), fromSnapshot });
    if (c.mode === "browser-snapshot" && !fromSnapshot) {
      const start = performance.now();
      const snapshot = pyodide.makeMemorySnapshot();
      await (await caches.open(CACHE)).put(key, new Response(snapshot));
      self.postMessage({ type: "stored", ms: performance.now() - start, bytes: snapshot.byteLength });
    }
  } catch (error) {
    self.postMessage({ type: "failed", message: String(error) });
  }
});
