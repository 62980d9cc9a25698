// Baseline: a bare loadPyodide from the same vendored files (full standard library,
// pyodide-lock.json fetched), on the main thread, nothing else.
const index = new URL(document.body.dataset.index, location.href).href;
const { loadPyodide } = await import(index + "pyodide.mjs");
await loadPyodide({ indexURL: index, packages: [] });
performance.mark("bare:ready");
document.body.dataset.done = "ready";
