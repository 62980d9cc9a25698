// Runs one start-up variant (?mode=trimmed|shipped-snapshot|browser-snapshot) in a
// module worker and marks "variant:first-verdict" when its first verdict arrives.
const config = JSON.parse(document.body.dataset.config);
const abs = (url) => url && new URL(url, location.href).href;
const worker = new Worker("variant-worker.mjs", { type: "module" });
worker.addEventListener("message", ({ data }) => {
  if (data.type === "verdict") {
    performance.mark("variant:first-verdict");
    document.body.dataset.fromSnapshot = String(data.fromSnapshot);
    document.body.dataset.done = "verdict";
  } else if (data.type === "stored") {
    document.body.dataset.snapshotMs = String(data.ms);
    document.body.dataset.snapshotBytes = String(data.bytes);
    document.body.dataset.stored = "yes";
  } else if (data.type === "failed") {
    document.body.dataset.done = "failed";
    document.getElementById("state").textContent = data.message;
  }
});
worker.postMessage({
  mode: new URL(location.href).searchParams.get("mode") || "trimmed",
  indexURL: abs(config.index),
  stdlibURL: abs(config.stdlib),
  lock: config.lock,
  rulesURL: abs(config.rules),
  zipURL: abs(config.zip),
  snapshotURL: abs(config.snapshot),
});
