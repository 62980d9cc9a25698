// Drives Debian's Firefox ESR for the tests (tests/engines.py), with puppeteer-core over
// WebDriver BiDi: Playwright cannot drive this Firefox, and geckodriver is not packaged.
//
// One JSON command per line on stdin, one JSON answer per line on stdout:
//   {"id": 1, "op": "goto", "args": ["http://127.0.0.1:8000/"]}  ->  {"id": 1, "ok": true, "value": …}
// Ops: version, goto(url), click(css), type(css, text, key?), evaluate(body), errors(), close.
// ``evaluate`` runs ``body`` as the body of an async function in the page and answers
// what it returns (JSON). ``errors`` gives, and forgets, the console errors and
// uncaught exceptions seen since the last call.

import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const [executablePath, width, height] = process.argv.slice(2);
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath,
  headless: true,
  defaultViewport: { width: Number(width), height: Number(height) },
  // No update checks, telemetry or captive-portal probes: the tests reach 127.0.0.1 only.
  extraPrefsFirefox: {
    "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false,
    "app.update.enabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
  },
});
const page = await browser.newPage();
let errors = [];
page.on("console", (message) => {
  if (message.type() === "error") {
    const where = message.location()?.url ?? page.url();
    errors.push(`console: ${message.text()} (${where})`);
  }
});
page.on("pageerror", (error) => errors.push(`exception: ${error.message ?? error} (${page.url()})`));

const ops = {
  version: () => browser.version(),
  goto: async (url) => {
    await page.goto(url, { waitUntil: "load", timeout: 120_000 });
  },
  click: async (css) => {
    const element = await page.waitForSelector(css, { visible: true, timeout: 120_000 });
    await element.click();
  },
  type: async (css, text, key) => {
    const element = await page.waitForSelector(css, { visible: true, timeout: 120_000 });
    await element.click();
    await page.keyboard.type(text);
    if (key) await page.keyboard.press(key);
  },
  evaluate: (body) => page.evaluate(`(async () => { ${body} })()`),
  errors: () => {
    const seen = errors;
    errors = [];
    return seen;
  },
  close: async () => {
    await browser.close();
    process.exit(0);
  },
};

const send = (answer) => process.stdout.write(`${JSON.stringify(answer)}\n`);
send({ id: 0, ok: true, value: "ready" });
for await (const line of createInterface({ input: process.stdin })) {
  const { id, op, args = [] } = JSON.parse(line);
  try {
    const value = await ops[op](...args);
    send({ id, ok: true, value: value ?? null });
  } catch (error) {
    send({ id, ok: false, error: String(error?.message ?? error) });
  }
}
await browser.close();
