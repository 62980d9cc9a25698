// Checker page behaviour: asks the Python checker (Pyodide, in a module Web
// Worker) which questions apply and shows its verdict.
//
// Loaded on every page (mkdocs.yml extra_javascript); it does nothing where
// there is no checker form. Binds through Material's document$ so that it
// works with instant navigation, and keeps ONE worker alive across page
// changes: Pyodide is loaded once per visit.
//
// No eligibility rule is written here: visibility follows the verdict's
// `missing` list and answers. No verdict wording either: every sentence, date,
// amount and label of the result is a string the Python verdict carries
// (`verdict.display`, built by checker.wording); this script only places them.
// Data is rendered with DOM APIs and textContent only.

import { onEveryPage } from "../site.mjs";

const ROOT_SELECTOR = "#cagette-checker";
const AMOUNT_DEBOUNCE_MS = 300;
// The download's status, the first and longest, is the page's own (its data-loading).
const STAGES = {
  files: "Règles reçues\u202f; le moteur Python se télécharge encore…",
  python: "Préparation du vérificateur…",
  ready: "Vérificateur prêt\u00a0: le résultat se met à jour à chaque réponse.",
};
// French spacing is written as escapes (\u00a0 before « : », \u202f before « ; ? ! »):
// checker.french.typeset does it for every text that comes from Python.
const URL_KEEP = ["as_of"]; // non-question parameters kept in the address

// ---------------------------------------------------------------- worker --

const engine = {
  worker: null,
  generation: 0,
  state: "none", // none | loading | ready | failed | stopped (the page was left while loading)
  failure: null,
  timer: null,
  timeoutMs: 0, // the page's data-timeout-ms
  config: null, // the page configuration the worker was started with
  nextId: 1,
  lastId: 0, // the latest evaluation asked; its answer disarms the watchdog
};
let view = null; // the bound checker page, if the current page has one

function armWatchdog(ms) {
  clearTimeout(engine.timer);
  engine.timer = setTimeout(() => {
    fail(`le vérificateur n'a pas répondu en ${Math.round(ms / 1000)} secondes`);
  }, ms);
}

function disarmWatchdog() {
  clearTimeout(engine.timer);
  engine.timer = null;
}

function startWorker(config) {
  engine.generation += 1;
  engine.state = "loading";
  engine.failure = null;
  engine.timeoutMs = config.timeoutMs;
  engine.config = config;
  const worker = new Worker(new URL("./checker-worker.mjs", import.meta.url), {
    type: "module",
    name: "cagette-checker",
  });
  engine.worker = worker;
  worker.addEventListener("message", (event) => {
    if (engine.worker === worker) onWorkerMessage(event.data || {});
  });
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    if (engine.worker === worker) fail(event.message || "le script du vérificateur n'a pas pu démarrer");
  });
  worker.addEventListener("messageerror", () => {
    if (engine.worker === worker) fail("message illisible du vérificateur");
  });
  armWatchdog(config.timeoutMs);
  worker.postMessage({
    type: "init",
    indexURL: config.pyodideIndex,
    stdlibURL: config.stdlib,
    lock: config.lock,
    rulesURL: config.rules,
    zipURL: config.checkerZip,
    manifestURL: config.manifest,
  });
}

/** Resolves once ``worker`` is the active service worker (false if it was dropped). */
function activated(worker) {
  return new Promise((resolve) => {
    const check = () => {
      if (worker.state === "activated" || worker.state === "redundant") {
        worker.removeEventListener("statechange", check);
        resolve(worker.state === "activated");
      }
    };
    worker.addEventListener("statechange", check);
    check();
  });
}

/**
 * Once the checker has worked, keep its files for offline revisits: the
 * service worker (docs/checker-sw.js) caches the files of this build's
 * manifest, then the page's own hashed styles and scripts sent here (to the
 * service worker of this build, which may still be installing).
 */
async function keepOffline(config) {
  if (!config?.serviceWorker || !("serviceWorker" in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register(config.serviceWorker);
    const worker = registration.installing || registration.waiting || registration.active;
    if (!worker || !(await activated(worker))) return;
    const urls = [...document.querySelectorAll("link[rel~=stylesheet][href], script[src]")]
      .map((node) => node.href || node.src)
      .concat(performance.getEntriesByType("resource").map((entry) => entry.name));
    worker.postMessage({ type: "keep", checker: true, urls });
  } catch (error) {
    console.warn("mode hors ligne indisponible", error); // the checker works without it
  }
}

function fail(reason) {
  disarmWatchdog();
  if (engine.worker) engine.worker.terminate();
  engine.worker = null;
  engine.state = "failed";
  engine.failure = reason;
  view?.showFailure(reason);
}

function onWorkerMessage(message) {
  switch (message.type) {
    case "progress":
      armWatchdog(engine.timeoutMs); // a new stage: alive
      view?.setStatus(message.stage === "runtime" ? view.runtimeStatus() : STAGES[message.stage]);
      break;
    case "bytes":
      armWatchdog(engine.timeoutMs); // still downloading: slow is not hung
      view?.showBytes(message.loaded);
      break;
    case "ready":
      disarmWatchdog();
      engine.state = "ready";
      engine.start = message.start; // "snapshot" on a revisit started from the kept snapshot
      performance.mark("cagette-checker:ready");
      view?.onReady();
      if (message.start === "snapshot") keepOffline(engine.config);
      break;
    case "snapshot":
      // The worker is idle after a first start: install the offline copy now,
      // not while the person answers (it reads and stores the whole runtime).
      keepOffline(engine.config);
      break;
    case "failed":
      fail(message.message);
      break;
    case "verdict":
      if (message.id === engine.lastId) disarmWatchdog();
      view?.onVerdict(message.id, message.verdict);
      break;
    case "error":
      if (message.id === engine.lastId) disarmWatchdog();
      view?.onEvaluationError(message.id, message.message);
      break;
    default:
      break;
  }
}

function postEvaluation(form, asOf) {
  const id = engine.nextId++;
  engine.lastId = id;
  engine.worker.postMessage({ type: "evaluate", id, form, as_of: asOf });
  if (engine.state === "ready") armWatchdog(engine.timeoutMs);
  return id;
}

// --------------------------------------------------------------- helpers --

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function deadlineClass(action) {
  if (!action.deadline) return null;
  return action.overdue ? "cagette-checker__deadline cagette-checker__deadline--overdue"
    : "cagette-checker__deadline";
}

function readConfig(root) {
  const data = root.dataset;
  const timeoutMs = Number.parseInt(data.timeoutMs, 10);
  // Written by the build: without it, the page is not bound (as with another origin's URL).
  if (!(timeoutMs > 0)) throw new Error(`délai illisible\u00a0: ${data.timeoutMs}`);
  let rulePages = {};
  try {
    rulePages = JSON.parse(data.rulePages || "{}");
  } catch {
    rulePages = {};
  }
  let lock;
  try {
    lock = JSON.parse(data.pyodideLock);
  } catch {
    lock = undefined; // Pyodide then fetches pyodide-lock.json, and says so if it is missing
  }
  // Only the site's own files: a URL of another origin is refused (the page is not bound).
  const abs = (url) => {
    const resolved = new URL(url, location.href);
    if (resolved.origin !== location.origin) throw new Error(`adresse refusée\u00a0: ${resolved.origin}`);
    return resolved.href;
  };
  return {
    rules: abs(data.rules),
    checkerZip: abs(data.checkerZip),
    pyodideIndex: abs(data.pyodideIndex),
    stdlib: data.stdlib ? abs(data.stdlib) : undefined,
    lock,
    serviceWorker: data.serviceWorker ? abs(data.serviceWorker) : null,
    manifest: data.manifest ? abs(data.manifest) : undefined,
    fallback: data.fallback,
    timeoutMs,
    rulePages,
  };
}

// ------------------------------------------------------------ the page --

class CheckerView {
  constructor(root) {
    this.root = root;
    this.config = readConfig(root);
    this.form = root.querySelector("form");
    this.status = root.querySelector("#cagette-checker-status");
    // The status line's text; the line itself keeps the size of the longest one
    // (its data-loading, the download's), so that nothing below it moves.
    this.statusText = this.status.querySelector(".cagette-checker__status-text") || this.status;
    this.progress = root.querySelector("#cagette-checker-progress");
    this.failure = root.querySelector("#cagette-checker-failure");
    this.result = root.querySelector("#cagette-checker-result-body");
    this.questions = new Map();
    for (const fieldset of root.querySelectorAll("fieldset[data-question]")) {
      const id = fieldset.dataset.question;
      this.questions.set(id, {
        id,
        type: fieldset.dataset.type,
        fieldset,
        inputs: [...fieldset.querySelectorAll(`[name="${CSS.escape(id)}"]`)],
        error: fieldset.querySelector(".cagette-checker__error"),
      });
    }
    this.order = [...this.questions.keys()];
    this.pending = new Map(); // URL values no control can show (checked by Python)
    this.kept = new URLSearchParams(); // non-question URL parameters
    this.latest = 0;
    this.lastText = null;
    this.firstVerdict = true;
    this.debounce = null;
    this.listeners = [];
  }

  attach() {
    this.readUrl();
    this.on(this.form, "change", (event) => this.onChange(event));
    this.on(this.form, "input", (event) => {
      if (event.target.type === "text") {
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.evaluate(), AMOUNT_DEBOUNCE_MS);
      }
    });
    this.on(this.form, "submit", (event) => {
      event.preventDefault();
      this.evaluate();
    });
    this.on(this.form, "reset", () => {
      this.pending.clear();
      setTimeout(() => this.evaluate(), 0); // after the browser cleared the controls
    });
    if (engine.state === "failed") {
      this.showFailure(engine.failure);
      return;
    }
    if (!engine.worker) startWorker(this.config);
    this.root.dataset.workerGeneration = String(engine.generation);
    if (engine.state === "ready") this.onReady();
    else this.setStatus(this.runtimeStatus());
    this.evaluate();
  }

  detach() {
    clearTimeout(this.debounce);
    for (const [target, type, handler] of this.listeners) target.removeEventListener(type, handler);
    this.listeners = [];
  }

  on(target, type, handler) {
    target.addEventListener(type, handler);
    this.listeners.push([target, type, handler]);
  }

  // --- answers <-> controls <-> URL

  readUrl() {
    const params = new URLSearchParams(location.search);
    for (const [key, value] of params) {
      const question = this.questions.get(key);
      if (!question) {
        if (URL_KEEP.includes(key)) this.kept.set(key, value);
        continue;
      }
      if (question.type === "amount") {
        question.inputs[0].value = value;
        continue;
      }
      const radio = question.inputs.find((input) => input.value === value);
      if (radio) radio.checked = true;
      else this.pending.set(key, value);
    }
    // A shared link's answers are on screen at once, while Python loads: the first
    // verdict then finds them in place instead of pushing the page down. Python still
    // decides: the verdict hides (and drops) those that do not apply.
    for (const question of this.questions.values()) {
      if (this.valueOf(question) !== null) question.fieldset.hidden = false;
    }
  }

  formValues() {
    const values = {};
    for (const question of this.questions.values()) {
      const value = this.valueOf(question);
      if (value !== null) values[question.id] = value;
    }
    return values;
  }

  valueOf(question) {
    if (question.type === "amount") {
      const text = question.inputs[0].value.trim();
      return text === "" ? null : text;
    }
    const checked = question.inputs.find((input) => input.checked);
    if (checked) return checked.value;
    return this.pending.has(question.id) ? this.pending.get(question.id) : null;
  }

  clear(question) {
    for (const input of question.inputs) {
      if (question.type === "amount") input.value = "";
      else input.checked = false;
    }
    this.pending.delete(question.id);
  }

  writeUrl(values) {
    const params = new URLSearchParams();
    for (const id of this.order) if (id in values) params.set(id, values[id]);
    for (const [key, value] of this.kept) params.set(key, value);
    const query = params.toString();
    const url = `${location.pathname}${query ? `?${query}` : ""}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) {
      history.replaceState(history.state, "", url);
    }
  }

  // --- evaluation

  onChange(event) {
    const question = this.questions.get(event.target.name);
    if (question && question.type !== "amount") this.pending.delete(question.id);
    clearTimeout(this.debounce);
    this.evaluate();
  }

  evaluate() {
    if (!engine.worker) return;
    const values = this.formValues();
    this.writeUrl(values);
    // No date here: without `as_of` in the address, Python takes today's local date.
    this.latest = postEvaluation(values, this.kept.get("as_of") || null);
  }

  onReady() {
    this.root.dataset.state = "ready";
    if (engine.start) this.root.dataset.start = engine.start;
    if (this.progress) this.progress.hidden = true;
    this.failure.hidden = true;
    this.setStatus(STAGES.ready);
  }

  onEvaluationError(id, message) {
    if (id !== this.latest) return;
    fail(`erreur du vérificateur (${message})`);
  }

  onVerdict(id, text) {
    if (id !== this.latest) return; // a newer request is on its way
    let verdict;
    try {
      verdict = JSON.parse(text);
    } catch {
      fail("réponse illisible du vérificateur");
      return;
    }
    if (this.firstVerdict) {
      this.firstVerdict = false;
      performance.mark("cagette-checker:first-verdict");
    }
    performance.mark("cagette-checker:verdict");
    if (this.applyVisibility(verdict)) {
      this.evaluate(); // answers that no longer apply were dropped: ask again
      return;
    }
    this.showErrors(verdict);
    const share = this.result.querySelector("#cagette-checker-share");
    if (share) share.href = location.href;
    if (text !== this.lastText) {
      this.lastText = text;
      this.renderResult(verdict);
    }
    this.root.dataset.verdict = verdict.complete ? "complete" : "partial";
  }

  /** Show the questions Python says apply; drop the answers of the others. */
  applyVisibility(verdict) {
    const shown = new Set([this.order[0], ...verdict.missing, ...Object.keys(verdict.answers)]);
    let dropped = false;
    for (const question of this.questions.values()) {
      const visible = shown.has(question.id);
      if (!visible && this.valueOf(question) !== null) {
        this.clear(question);
        dropped = true;
      }
      question.fieldset.hidden = !visible;
    }
    return dropped;
  }

  showErrors(verdict) {
    for (const question of this.questions.values()) {
      const message = verdict.errors[question.id];
      const describedBy = (question.inputs[0].getAttribute("aria-describedby") || "")
        .split(/\s+/)
        .filter((token) => token && token !== question.error.id);
      if (message) describedBy.push(question.error.id);
      for (const input of question.inputs) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
        if (describedBy.length) input.setAttribute("aria-describedby", describedBy.join(" "));
        else input.removeAttribute("aria-describedby");
      }
      question.error.textContent = message || "";
      question.error.hidden = !message;
      question.fieldset.classList.toggle("cagette-checker__question--invalid", Boolean(message));
    }
  }

  // --- status and failure

  /** The download's status, written by the build (with its size): the longest one. */
  runtimeStatus() {
    return this.status.dataset.loading;
  }

  setStatus(text) {
    if (text) this.statusText.replaceChildren(text);
  }

  /** Bytes received, on a <progress> outside the live region (too chatty to announce). */
  showBytes(loaded) {
    if (!this.progress || this.root.dataset.state !== "loading") return;
    this.progress.value = Math.min(loaded, this.progress.max);
    this.progress.hidden = false;
  }

  showFailure(reason) {
    this.root.dataset.state = "error";
    if (this.progress) this.progress.hidden = true;
    this.setStatus("Le vérificateur n'a pas pu démarrer.");
    const retry = el("button", { type: "button", class: "md-button md-button--primary" }, "Réessayer");
    retry.addEventListener("click", () => {
      this.failure.hidden = true;
      this.root.dataset.state = "loading";
      this.config = readConfig(this.root);
      startWorker(this.config);
      this.root.dataset.workerGeneration = String(engine.generation);
      this.setStatus(this.runtimeStatus());
      this.evaluate();
    });
    this.failure.replaceChildren(
      el("p", {}, el("strong", {}, "Le vérificateur est indisponible"), `\u00a0: ${reason}.`),
      el("p", {}, "Vos réponses sont conservées. Vérifiez votre connexion puis réessayez."),
      el("p", {}, retry),
      el("p", {}, "Vous pouvez aussi consulter le ",
        el("a", { href: this.config.fallback }, "tableau de décision"),
        ", qui donne le résultat de chaque situation."),
    );
    this.failure.hidden = false;
  }

  // --- the result: the verdict's own words, placed

  ruleLink(shown, ruleId) {
    const label = shown.rule_labels[ruleId] || ruleId;
    const href = this.config.rulePages[ruleId];
    return href ? el("a", { href }, label) : el("span", {}, label);
  }

  renderResult(verdict) {
    const shown = verdict.display;
    if (!shown.answers.length && !shown.errors.length) {
      this.result.replaceChildren(el("p", {},
        "Répondez aux questions\u00a0: le résultat s'affiche ici au fur et à mesure, avec ses raisons."));
      return;
    }
    // The sections Python laid out (checker.wording.layout), in its order: which parts
    // show, their headings and the nothing-to-do line are decided there, as for the CLI.
    const parts = [el("p", { class: "cagette-checker__date" }, `${shown.title}.`)];
    for (const section of shown.sections) {
      parts.push(...this.renderSection(shown, section).filter((part) => part));
    }
    parts.push(this.renderTools());
    this.result.replaceChildren(...parts);
  }

  /** One section of the verdict's layout, as elements; a part this page does not know yet
   *  is placed as its heading, its lead and a list of its lines. */
  renderSection(shown, section) {
    const heading = section.heading ? el("h3", {}, section.heading) : null;
    const lead = section.lead.map((text) => el("p", {}, text));
    const pairs = (className) => el("dl", { class: className },
      section.items.map((item) => [el("dt", {}, item.label), el("dd", {}, item.value)]));
    switch (section.id) {
      case "notices":
        return section.items.map((item) => el("p", { class: "cagette-checker__partial" }, item.line));
      case "errors": { // an answer's own error is shown beside its question (showErrors)
        const general = section.items.filter((item) => !item.label);
        return general.length ? [el("ul", { class: "cagette-checker__general-errors" },
          general.map((item) => el("li", {}, item.value)))] : [];
      }
      case "answers":
        return [el("div", { class: "cagette-checker__summary" }, heading,
          pairs("cagette-checker__answers"))];
      case "plan":
        return [el("div", { class: "cagette-checker__plan" }, heading, lead, pairs(null))];
      case "permissions":
        return [heading, el("ul", { class: "cagette-checker__permissions" },
          section.items.map((permission) =>
            el("li", { class: permission.allowed ? "is-allowed" : "is-denied" },
              el("span", { class: "cagette-checker__mark", "aria-hidden": "true" },
                permission.allowed ? "✓" : "✗"),
              el("strong", {}, permission.status), `\u00a0: ${permission.label}`)))];
      case "actions": // its lead: the nothing-to-do line, when Python says it
        return [heading, ...lead, ...(section.items.length ? [el("ol",
          { class: "cagette-checker__actions" },
          section.items.map((action) => this.renderAction(shown, action)))] : [])];
      case "hints":
        return [heading, el("ul", { class: "cagette-checker__hints" },
          section.items.map((item) => el("li", {}, item.line)))];
      case "reasons":
        return [heading, el("ul", { class: "cagette-checker__reasons" }, section.items.map((reason) =>
          el("li", {}, `${reason.text} (`, this.ruleLink(shown, reason.rule), ")")))];
      case "prices":
        return [el("div", {}, heading, pairs("cagette-checker__prices"))];
      default:
        return [heading, ...lead, el("ul", {}, section.items.map((item) => el("li", {}, item.line)))];
    }
  }

  /** An action of the layout: what to do and by when (its label), how (its value). */
  renderAction(shown, action) {
    const item = el("li", { class: action.overdue ? "is-overdue" : null },
      el("strong", { class: deadlineClass(action) }, action.label),
      el("p", {}, action.value));
    if (action.link) {
      item.append(el("p", {}, el("a", { href: action.link, rel: "noopener" }, "En savoir plus")));
    }
    if (action.rules.length) {
      const links = [];
      action.rules.forEach((ruleId, index) => {
        if (index) links.push(", ");
        links.push(this.ruleLink(shown, ruleId));
      });
      item.append(el("p", { class: "cagette-checker__rules" }, "Voir\u00a0: ", links));
    }
    return item;
  }

  renderTools() {
    const share = el("a", { href: location.href, id: "cagette-checker-share" }, "Lien vers ces réponses");
    const copy = el("button", { type: "button", class: "md-button" }, "Copier le lien");
    const done = el("span", { class: "cagette-checker__copied", role: "status" });
    copy.addEventListener("click", async () => {
      share.href = location.href;
      try {
        await navigator.clipboard.writeText(location.href);
        done.textContent = "Lien copié.";
      } catch {
        done.textContent = "Copie impossible\u00a0: utilisez le lien ci-contre (clic droit, copier).";
      }
    });
    const print = el("button", { type: "button", class: "md-button" }, "Imprimer le résultat");
    print.addEventListener("click", () => window.print());
    return el("p", { class: "cagette-checker__tools" }, share, " ", copy, " ", print, " ", done);
  }
}

// ------------------------------------------------------------ binding --

// The checker binds on its own page only: one root, written by the build straight into
// the page's article (an element of that id elsewhere, or a second one, is ignored).
function ownRoot() {
  const roots = document.querySelectorAll(ROOT_SELECTOR);
  const root = roots.length === 1 ? roots[0] : null;
  return root && root.parentElement?.matches("article") ? root : null;
}

// What every page does, whether it holds the checker or not, is site.mjs's.
function bindPage() {
  const root = ownRoot();
  if (view && view.root === root) return;
  view?.detach();
  view = null;
  if (!root) return;
  try {
    view = new CheckerView(root);
  } catch (error) {
    console.warn("vérificateur non lancé\u00a0:", error.message);
    return;
  }
  view.attach();
}

onEveryPage(bindPage);

// Leaving the page while Python starts stops it: no work, nor a failure to report, for a
// page nobody reads (the browser would abort its downloads). A page brought back from the
// back-forward cache with its start stopped loads again.
addEventListener("pagehide", () => {
  if (engine.state !== "loading" || !engine.worker) return;
  disarmWatchdog();
  engine.worker.terminate();
  engine.worker = null;
  engine.state = "stopped";
});
addEventListener("pageshow", (event) => {
  if (event.persisted && engine.state === "stopped") location.reload();
});
