// The rules editor page (/editeur/): a code editor (editor-view, CodeMirror), the
// toolchain of the command line in a worker (editor-worker.mjs), and what the page does
// with them: check after each pause in typing, list the problems, keep the draft, open
// and download the file, show the impact, the examples and the checker on the edited
// rules, find a sentence as the site shows it. Loaded by site.mjs only when the
// page holds #rules-editor. Every text shown is French; Python writes the messages.

export const CHECK_PAUSE_MS = 400; // after the last keystroke
const SAVE_PAUSE_MS = 300;
const DRAFT_PREFIX = "cagette-rules-draft:";

const SAY = {
  loading: "Chargement de Python et des outils de vérification…",
  checking: "Vérification…",
  failed: "L'éditeur n'a pas pu démarrer\u00a0: {reason}. Votre texte est gardé\u202f; rechargez la page pour réessayer.",
  callFailed: "La vérification a échoué\u00a0: {reason}. Votre texte est gardé.",
  valid: "{report} (vérifié en {ms}\u00a0ms)",
  examplesPending: "Règles valides\u202f; vérification des exemples…",
  problems: "{report}\u00a0: voir la liste «\u00a0Problèmes\u00a0».",
  draftKept: "Brouillon repris, enregistré le {when} dans ce navigateur.",
  draftOlder: "Ce brouillon part d'une version publiée plus ancienne que celle d'aujourd'hui\u00a0: comparez avant de proposer la modification.",
  published: "Version publiée chargée.",
  confirmRevert: "Remplacer votre brouillon par la version publiée\u202f? Le brouillon sera perdu.",
  opened: "Fichier «\u00a0{name}\u00a0» ouvert.",
  copied: "Le texte modifié est copié. Dans la page qui s'ouvre, remplacez tout le contenu du fichier par ce texte (Ctrl+A puis Ctrl+V), puis proposez la modification en décrivant ce qui change.",
  copyFailed: "Copie impossible dans ce navigateur\u00a0: téléchargez le fichier, puis remplacez son contenu dans la page qui s'ouvre.",
  noProblem: "Aucun problème.",
  inOtherFile: "dans {file}",
  located: "ligne {line}, colonne {column}",
  notFound: "Aucun passage du fichier ne contient cette phrase.",
  waiting: "…",
};

function say(key, values = {}) {
  return SAY[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

/** The worker, and calls to it that answer a promise (a newer call of the same group,
 *  the method by default, makes an older answer stale: it resolves to null). */
class Toolchain {
  constructor(config) {
    this.worker = new Worker(config.worker, { type: "module" });
    this.pending = new Map();
    this.latest = new Map();
    this.nextId = 1;
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener("message", (event) => {
        const message = event.data || {};
        if (message.type === "ready") resolve(message);
        // Said in French on the page (the worker logged the details): not logged again.
        else if (message.type === "failed") reject(Object.assign(new Error(message.message), { said: true }));
        else this.answer(message);
      });
      this.worker.addEventListener("error", () => reject(new Error("le programme de l'éditeur n'a pas pu être chargé")));
    });
    this.worker.postMessage({
      type: "init", indexURL: config.pyodideIndex, stdlibURL: config.stdlib,
      lock: config.lock, toolchainURL: config.toolchain, setupURL: config.setup,
    });
  }

  answer(message) {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (this.latest.get(waiting.group) !== message.id) waiting.resolve(null);
    else if (message.type === "error") waiting.reject(new Error(message.message));
    else waiting.resolve(JSON.parse(message.json));
  }

  /** Stop the worker: a page being left does not finish (or report) a start. */
  stop() {
    this.stopped = true;
    this.worker.terminate();
  }

  async call(method, text, arg = null, group = method) {
    await this.ready;
    const id = this.nextId++;
    this.latest.set(group, id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, group });
      this.worker.postMessage({ type: "call", id, method, text, arg });
    });
  }
}

function readConfig(root) {
  const data = root.dataset;
  const abs = (url) => new URL(url, document.baseURI).href;
  return {
    pyodideIndex: abs(data.pyodideIndex), stdlib: abs(data.stdlib), toolchain: abs(data.toolchain),
    setup: abs(data.setup), schema: abs(data.schema), view: abs(data.view), worker: abs(data.worker),
    lock: data.lock, forge: data.forge || null,
  };
}

function section(id, title, ...children) {
  return el("section", { class: "rules-editor__section", "aria-labelledby": id },
    el("h2", { id, text: title }), ...children);
}

/** Build the page's parts around the editor; return the nodes the page updates. */
function layout(root) {
  const status = el("p", { class: "rules-editor__status", role: "status", "aria-live": "polite", text: say("loading") });
  const notice = el("p", { class: "rules-editor__notice", "aria-live": "polite" });
  const file = el("input", { type: "file", id: "rules-editor-file", accept: ".yaml,.yml,text/yaml,text/plain", class: "rules-editor__file" });
  const toolbar = el("div", { class: "rules-editor__toolbar", role: "group", "aria-label": "Fichier" },
    el("label", { for: "rules-editor-file", class: "md-button", text: "Ouvrir un fichier…" }), file,
    el("button", { type: "button", class: "md-button", "data-action": "download", text: "Télécharger rules.yaml" }),
    el("button", { type: "button", class: "md-button", "data-action": "revert", text: "Revenir à la version publiée" }));
  const code = el("div", { class: "rules-editor__code" });
  const problems = el("ol", { class: "rules-editor__problems" });
  const findInput = el("input", { type: "search", id: "rules-editor-find", name: "phrase", autocomplete: "off" });
  const findForm = el("form", { class: "rules-editor__find", role: "search", "aria-label": "Retrouver une phrase du site" },
    el("label", { for: "rules-editor-find", text: "Phrase telle qu'elle se lit sur le site" }), findInput,
    el("button", { type: "submit", class: "md-button", text: "Chercher" }));
  const found = el("ol", { class: "rules-editor__found", "aria-live": "polite" });
  const impact = el("pre", { class: "rules-editor__report", role: "region", tabindex: "0", "aria-live": "polite", "aria-label": "Rapport d'impact" });
  const examples = el("pre", { class: "rules-editor__report", role: "region", tabindex: "0", "aria-live": "polite", "aria-label": "Rapport des exemples" });
  const tryForm = el("form", { class: "rules-editor__try" });
  const verdict = el("pre", { class: "rules-editor__report", role: "region", tabindex: "0", "aria-live": "polite", "aria-label": "Résultat du vérificateur" });
  root.append(
    toolbar, status, notice,
    section("rules-editor-file-title", "Fichier de règles", code),
    section("rules-editor-problems-title", "Problèmes", problems),
    section("rules-editor-find-title", "Retrouver une phrase du site", findForm, found),
    section("rules-editor-impact-title", "Impact de la modification",
      el("p", { text: "Ce que change votre version par rapport à la version publiée, comme «\u00a0cagette-rules impact\u00a0»." }),
      el("button", { type: "button", class: "md-button", "data-action": "impact", text: "Calculer l'impact" }), impact),
    section("rules-editor-examples-title", "Exemples de référence",
      el("p", { text: "Les exemples et les invariants du fichier des scénarios, sur votre version, comme «\u00a0cagette-rules scenarios\u00a0»." }),
      el("button", { type: "button", class: "md-button", "data-action": "examples", text: "Vérifier les exemples" }), examples),
    section("rules-editor-try-title", "Essayer le vérificateur sur votre version",
      el("button", { type: "button", class: "md-button", "data-action": "try", text: "Afficher le formulaire" }), tryForm, verdict),
  );
  if (root.dataset.forge) {
    toolbar.append(el("button", { type: "button", class: "md-button md-button--primary", "data-action": "propose", text: "Proposer la modification" }));
  }
  return { status, notice, file, toolbar, code, problems, findForm, findInput, found, impact, examples, tryForm, verdict };
}

function downloadText(text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/yaml;charset=utf-8" }));
  const link = el("a", { href: url, download: "rules.yaml" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The checker's questions as a form: radio groups, yes/no, an amount; a question shows
 *  once the verdict asks it (missing) or it is answered, as on the checker's page. */
function renderForm(form, questions, verdict) {
  const asked = new Set([...Object.keys(verdict?.answers ?? {}), ...(verdict?.missing ?? questions.slice(0, 1).map((q) => q.id))]);
  const values = Object.fromEntries(new FormData(form));
  form.replaceChildren();
  const day = el("input", { type: "date", id: "rules-editor-as-of", name: "as_of", value: values.as_of ?? "" });
  form.append(el("p", {}, el("label", { for: "rules-editor-as-of", text: "Date de la situation (vide\u00a0: aujourd'hui)" }), " ", day));
  for (const question of questions) {
    if (!asked.has(question.id)) continue;
    const legend = el("legend", { text: question.label });
    const set = el("fieldset", { "data-question": question.id }, legend);
    const options = question.type === "choice" ? question.choices.map((c) => [c.value, c.label])
      : question.type === "boolean" ? [["true", "Oui"], ["false", "Non"]] : null;
    if (options) {
      options.forEach(([value, label], index) => {
        const id = `rules-editor-${question.id}-${index}`;
        set.append(el("div", {},
          el("input", { type: "radio", id, name: question.id, value, checked: values[question.id] === value }),
          " ", el("label", { for: id, text: label })));
      });
    } else {
      const id = `rules-editor-${question.id}`;
      set.append(el("label", { for: id, text: "Montant en euros" }), " ",
        el("input", { type: "text", inputmode: "decimal", id, name: question.id, value: values[question.id] ?? "" }));
    }
    form.append(set);
  }
}

export function bind(root) {
  if (root.dataset.bound) return;
  root.dataset.bound = "1";
  const config = readConfig(root);
  const parts = layout(root);
  const draftKey = DRAFT_PREFIX + location.pathname;
  const toolchain = new Toolchain(config);
  let editor = null;
  let fileBytes = null; // an opened file's bytes, checked as they are until the first edit
  let questions = null;
  let checkTimer = null;
  let saveTimer = null;

  const setStatus = (text) => { parts.status.textContent = text; };

  const showProblems = (said, rulesFile) => {
    parts.problems.replaceChildren();
    if (said.valid) {
      parts.problems.append(el("li", { text: say("noProblem") }));
      editor?.setDiagnostics([]);
      return;
    }
    const here = said.problems.filter((p) => p.file === rulesFile);
    editor?.setDiagnostics(here.map((p) => ({ line: p.line, column: p.column, message: p.message, field: p.field })));
    for (const problem of said.problems) {
      const where = problem.file === rulesFile ? say("located", problem) : `${say("inOtherFile", problem)}, ${say("located", problem)}`;
      const text = `${where} — ${problem.field ? `[${problem.field}] ` : ""}${problem.message}`;
      parts.problems.append(el("li", {}, problem.file === rulesFile
        ? el("button", { type: "button", class: "rules-editor__goto", "data-line": problem.line, "data-column": problem.column, text })
        : text));
    }
    if (said.stopped) parts.problems.append(el("li", { text: said.report.split("\n").at(-1).trim() }));
  };

  let setup = null;
  let checks = 0;
  const shown = (said) => {
    showProblems(said, setup.rules_file);
    setStatus(said.valid ? say(said.examples_pending ? "examplesPending" : "valid", { report: said.report, ms: Math.round(said.ms) })
      : say("problems", { report: said.report.split("\n")[0].replace(/ :$/u, "") }));
  };
  // The rules first (their problems at once), then the examples, which take longer.
  const check = async () => {
    if (!editor) return;
    setStatus(say("checking"));
    const text = fileBytes ?? editor.getText();
    try {
      const said = await toolchain.call("check", text, null, "check");
      if (!said) return; // a newer check is on its way
      shown(said);
      performance.mark("rules-editor:diagnostics");
      root.dataset.checked = said.valid ? "rules" : "problems";
      if (said.examples_pending) {
        const full = await toolchain.call("examples", text, null, "check");
        if (!full) return;
        shown(full);
        performance.mark("rules-editor:examples");
        root.dataset.checked = full.valid ? "valid" : "problems";
      }
      root.dataset.checks = String(++checks);
    } catch (error) {
      setStatus(say("callFailed", { reason: error.message }));
    }
  };

  const scheduleCheck = () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, CHECK_PAUSE_MS);
  };

  const saveDraft = () => {
    try {
      localStorage.setItem(draftKey, JSON.stringify({ text: editor.getText(), base: config.setup, saved: new Date().toISOString() }));
    } catch {
      // storage full or refused: the text stays in the page
    }
  };

  let quiet = false; // the page replacing the whole text (a file, the published version)
  const replaceText = (text) => {
    quiet = true;
    try {
      editor.setText(text);
    } finally {
      quiet = false;
    }
  };

  const onChange = () => {
    if (quiet) return;
    performance.mark("rules-editor:change"); // the benchmark times a check from the last one
    fileBytes = null;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveDraft, SAVE_PAUSE_MS);
    scheduleCheck();
  };

  const start = async () => {
    const [schema, setupData, view] = await Promise.all([
      fetch(config.schema).then((r) => r.json()),
      fetch(config.setup).then((r) => r.json()),
      import(config.view),
    ]);
    setup = setupData;
    let doc = setup.rules;
    let draft = null;
    try {
      draft = JSON.parse(localStorage.getItem(draftKey) || "null");
    } catch {
      draft = null;
    }
    if (draft && typeof draft.text === "string" && draft.text !== setup.rules) {
      doc = draft.text;
      parts.notice.textContent = say("draftKept", { when: new Date(draft.saved).toLocaleString("fr-FR") })
        + (draft.base !== config.setup ? ` ${say("draftOlder")}` : "");
    }
    editor = view.createEditor({
      parent: parts.code, doc, label: `Fichier de règles ${setup.rules_file}`, schema,
      parameters: setup.parameters, onChange,
    });
    root.dataset.state = "editing";
    await toolchain.ready;
    root.dataset.state = "ready";
    await check();
    const wanted = new URLSearchParams(location.search).get("champ");
    if (wanted) {
      const where = await toolchain.call("locate", editor.getText(), wanted);
      if (where) editor.goTo(where.line, where.column);
    }
  };

  parts.toolbar.addEventListener("click", async (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (!editor || !action) return;
    if (action === "download") downloadText(editor.getText());
    if (action === "revert" && window.confirm(say("confirmRevert"))) {
      replaceText(setup.rules);
      fileBytes = null;
      localStorage.removeItem(draftKey);
      parts.notice.textContent = say("published");
      await check();
    }
    if (action === "propose") {
      try {
        await navigator.clipboard.writeText(editor.getText());
        parts.notice.textContent = say("copied");
      } catch {
        parts.notice.textContent = say("copyFailed");
      }
      window.open(config.forge, "_blank", "noopener");
    }
  });

  parts.file.addEventListener("change", async () => {
    const chosen = parts.file.files?.[0];
    if (!chosen || !editor) return;
    const bytes = new Uint8Array(await chosen.arrayBuffer());
    replaceText(new TextDecoder("utf-8").decode(bytes)); // shown as readable as it can be
    fileBytes = bytes; // checked as the file is, byte for byte, until the first edit
    saveDraft();
    parts.notice.textContent = say("opened", { name: chosen.name });
    parts.file.value = "";
    await check();
  });

  parts.problems.addEventListener("click", (event) => {
    const target = event.target.closest(".rules-editor__goto");
    if (target) editor?.goTo(Number(target.dataset.line), Number(target.dataset.column));
  });
  parts.found.addEventListener("click", (event) => {
    const target = event.target.closest(".rules-editor__goto");
    if (target) editor?.goTo(Number(target.dataset.line), Number(target.dataset.column));
  });

  parts.findForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!editor) return;
    const matches = await toolchain.call("find", editor.getText(), parts.findInput.value);
    if (!matches) return;
    parts.found.replaceChildren(...(matches.length ? matches.map((m) => el("li", {},
      el("button", { type: "button", class: "rules-editor__goto", "data-line": m.line, "data-column": m.column,
        text: `${say("located", m)} — [${m.field}] ${m.excerpt}` }))) : [el("li", { text: say("notFound") })]));
  });

  const report = async (method, target) => {
    if (!editor) return;
    target.textContent = say("waiting");
    try {
      const said = await toolchain.call(method, editor.getText());
      if (said) target.textContent = said.ok ? said.report : said.message;
    } catch (error) {
      target.textContent = say("callFailed", { reason: error.message });
    }
  };

  const tryVerdict = async () => {
    const values = Object.fromEntries(new FormData(parts.tryForm));
    const asOf = values.as_of || null;
    delete values.as_of;
    const said = await toolchain.call("evaluate", editor.getText(), JSON.stringify({ form: values, as_of: asOf }));
    if (!said) return;
    if (!said.ok) {
      parts.verdict.textContent = said.message;
      return;
    }
    renderForm(parts.tryForm, questions, said.verdict);
    parts.verdict.textContent = said.text;
  };

  root.addEventListener("click", async (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "impact") await report("impact", parts.impact);
    if (action === "examples") await report("scenarios", parts.examples);
    if (action === "try" && editor) {
      const said = await toolchain.call("questions", editor.getText());
      if (!said) return;
      if (!said.ok) {
        parts.verdict.textContent = said.message;
        return;
      }
      questions = said.questions;
      renderForm(parts.tryForm, questions, null);
      await tryVerdict();
    }
  });
  parts.tryForm.addEventListener("change", () => tryVerdict().catch((error) => {
    parts.verdict.textContent = say("callFailed", { reason: error.message });
  }));
  parts.tryForm.addEventListener("submit", (event) => event.preventDefault());

  // Leaving the page stops Python (no work, nor failure, for a page nobody reads); a page
  // brought back from the back-forward cache starts again.
  addEventListener("pagehide", () => toolchain.stop());
  addEventListener("pageshow", (event) => {
    if (event.persisted && toolchain.stopped) location.reload();
  });
  toolchain.ready.catch((error) => {
    root.dataset.state = "failed";
    setStatus(say("failed", { reason: error.message }));
  });
  start().catch((error) => {
    if (toolchain.stopped) return;
    if (!error.said) console.error(error);
    root.dataset.state = "failed";
    setStatus(say("failed", { reason: error.message }));
  });
}
