// The rules editor's code editor: CodeMirror 6 for data/rules.yaml, with completion and
// hover help from the project's JSON Schema and parameters, problems shown as
// diagnostics, French phrases, Material's palette. Bundled at site-build time
// (editor/build.mjs, esbuild); no request of its own, no eval (runs under the site's CSP).
//
//   const editor = createEditor({parent, doc, label, schema, parameters, onChange});
//   editor.setDiagnostics([{line, column, message, field}]);  // 1-based, characters
//   editor.goTo(line, column);

import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  pickedCompletion,
  startCompletion,
} from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import {
  bracketMatching,
  codeFolding,
  foldGutter,
  foldKeymap,
  indentOnInput,
  indentService,
  indentUnit,
} from "@codemirror/language";
import { lintGutter, lintKeymap, setDiagnostics as lintDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { EditorState } from "@codemirror/state";
import {
  crosshairCursor,
  Decoration,
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  hoverTooltip,
  keymap,
  lineNumbers,
  MatchDecorator,
  rectangularSelection,
  ViewPlugin,
} from "@codemirror/view";

import { FRENCH_PHRASES } from "./phrases.mjs";
import { editorHighlighting, editorTheme } from "./theme.mjs";
import {
  cursorContext,
  indentAfter,
  keyAt,
  lineReader,
  offsetOfColumn,
  parameterAt,
  parseLine,
  parameterStart,
  problemEnd,
  valueShape,
} from "./yaml-context.mjs";

const NBSP = "\u00a0";
const DETAIL_LENGTH = 48; // longer descriptions go to the side panel, whole

/** Parsed lines of one document (a CodeMirror `Text` is immutable: cache by identity). */
const readers = new WeakMap();
function reader(doc) {
  let read = readers.get(doc);
  if (!read) {
    read = lineReader((n) => doc.line(n).text);
    readers.set(doc, read);
  }
  return read;
}

/** Document position of a 1-based (line, column in characters), clamped to the text. */
function position(doc, line, column) {
  const number = Math.min(Math.max(1, Math.trunc(Number(line)) || 1), doc.lines);
  const text = doc.line(number);
  return text.from + offsetOfColumn(text.text, Math.max(1, Math.trunc(Number(column)) || 1));
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function helpBox(title, ...paragraphs) {
  const box = element("div", "cm-cagette-help");
  box.append(element("code", "", title));
  for (const text of paragraphs) if (text) box.append(element("p", "", text));
  return box;
}

function parameterHelp(parameter) {
  return helpBox(`{{ ${parameter.id} }}`, parameter.label,
                 parameter.display ? `Valeur${NBSP}: ${parameter.display}` : "");
}

function short(text) {
  return text.length > DETAIL_LENGTH ? `${text.slice(0, DETAIL_LENGTH - 1).trimEnd()}…` : text;
}

/** The text a chosen key inserts, by the shape of its value; the cursor's place in it. */
function keyInsertion(name, shape, indent) {
  const child = " ".repeat(indent + 2);
  switch (shape) {
    case "mapping": return { text: `${name}:\n${child}`, back: 0 };
    case "list": return { text: `${name}:\n${child}- `, back: 0 };
    case "flow-list": return { text: `${name}: []`, back: 1 };
    case "flow-mapping": return { text: `${name}: {}`, back: 1 };
    default: return { text: `${name}: `, back: 0 };
  }
}

function completionSource(schema, parameters) {
  const parameterOptions = parameters.map((parameter) => ({
    label: parameter.id,
    type: "variable",
    detail: parameter.display ? short(String(parameter.display)) : undefined,
    info: () => parameterHelp(parameter),
  }));
  return (context) => {
    const { state, pos, explicit } = context;
    const line = state.doc.lineAt(pos);
    const before = line.text.slice(0, pos - line.from);

    const inBraces = parameterStart(before);
    if (inBraces) {
      // Closed already ("{{ |}}", closeBrackets): the id and a space; else the braces too.
      const after = /^[\w-]*(\s*)(\}\})?/.exec(line.text.slice(pos - line.from));
      const suffix = after[2] ? (after[1] ? "" : " ") : " }}";
      return {
        from: line.from + inBraces.from,
        options: parameterOptions.map((option) => ({ ...option, apply: option.label + suffix })),
        validFor: /^[\w-]*$/,
      };
    }

    const found = cursorContext(schema, reader(state.doc), state.doc.lines, line.number, before);
    if (found === null) return null;
    const from = line.from + found.from;
    const typed = before.length > found.from;
    const values = found.values.map((value) => ({
      label: String(value), type: "enum", boost: 1,
    }));
    if (found.kind === "value") {
      return values.length ? { from, options: values, validFor: /^[\w.-]*$/ } : null;
    }
    if (!typed && !explicit) return null; // a new line: wait for a letter or Ctrl+Space
    const keys = found.keys.map(([name, key]) => {
      const shape = valueShape(schema, key.node);
      const insertion = keyInsertion(name, shape, found.indent);
      const description = key.description + (key.required ? ` (obligatoire)` : "");
      return {
        label: name,
        type: "property",
        detail: description ? short(description) : undefined,
        info: description.length > DETAIL_LENGTH ? description : undefined,
        boost: key.required ? 2 : 0,
        apply(view, completion, applyFrom, applyTo) {
          const anchor = applyFrom + insertion.text.length - insertion.back;
          view.dispatch({
            changes: { from: applyFrom, to: applyTo, insert: insertion.text },
            selection: { anchor },
            annotations: pickedCompletion.of(completion),
            userEvent: "input.complete",
            scrollIntoView: true,
          });
          if (shape === "scalar") startCompletion(view); // the values of an enum, if any
        },
      };
    });
    const options = [...keys, ...values];
    return options.length ? { from, options, validFor: /^[\w$.-]*$/ } : null;
  };
}

function hoverHelp(schema, parameters) {
  const byId = new Map(parameters.map((parameter) => [parameter.id, parameter]));
  return hoverTooltip((view, pos) => {
    const line = view.state.doc.lineAt(pos);
    const column = pos - line.from;
    const placeholder = parameterAt(line.text, column);
    if (placeholder) {
      const parameter = byId.get(placeholder.id);
      if (!parameter) return null;
      return {
        pos: line.from + placeholder.from,
        end: line.from + placeholder.to,
        above: true,
        create: () => ({ dom: parameterHelp(parameter) }),
      };
    }
    const key = keyAt(schema, reader(view.state.doc), line.number, column);
    if (key === null) return null;
    const parameter = key.path.length === 1 && key.path[0] === "parameters" && byId.get(key.name);
    if (!parameter && !key.description) return null;
    return {
      pos: line.from + key.from,
      end: line.from + key.to,
      above: true,
      create: () => ({ dom: parameter ? parameterHelp(parameter)
                                      : helpBox(key.name, key.description) }),
    };
  }, { hoverTime: 350 });
}

// Enter indents from the line above as the file is written: two spaces inside a key
// without value or a list item, beside the previous key otherwise. Reindenting existing
// lines (Ctrl+Alt+\) and flow collections' closing brackets are left to the YAML
// language: the line above alone cannot tell where a block scalar ends.
const yamlIndentation = indentService.of((context, pos) => {
  if (context.options.simulateBreak !== pos) return undefined;
  if (/^\s*[\]}]/.test(context.textAfterPos(pos))) return undefined;
  let line = context.lineAt(pos, -1);
  for (;;) {
    if (line.from < pos) {
      const parsed = parseLine(line.text.slice(0, pos - line.from));
      if (parsed) return indentAfter(parsed);
    }
    if (line.from === 0) return 0;
    line = context.lineAt(line.from - 1, -1);
  }
});

// `{{ parameter }}` stands out in texts.
const parameterMatcher = new MatchDecorator({
  regexp: /\{\{[^{}\n]*\}\}/g,
  decoration: Decoration.mark({ class: "cm-cagette-parameter" }),
});
const parameterHighlight = ViewPlugin.fromClass(class {
  constructor(view) {
    this.decorations = parameterMatcher.createDeco(view);
  }

  update(update) {
    this.decorations = parameterMatcher.updateDeco(update, this.decorations);
  }
}, { decorations: (plugin) => plugin.decorations });

// A folded range: a real button name for assistive technologies, in French.
function foldPlaceholder(view, onclick) {
  const node = element("span", "cm-foldPlaceholder", "…");
  node.setAttribute("role", "button");
  node.setAttribute("aria-label", `${view.state.phrase("folded code")}${NBSP}: `
    + view.state.phrase("unfold"));
  node.title = view.state.phrase("unfold");
  node.onclick = onclick;
  return node;
}

/**
 * Mount the editor in `parent`. `schema`: the rules' JSON Schema (completion, hover help);
 * `parameters`: `[{id, label, display}]` (completion and help inside `{{ }}`);
 * `onChange(text)`: after every change of the document, `setText` included.
 */
export function createEditor({
  parent, doc = "", label = "", schema = {}, parameters = [], onChange,
} = {}) {
  const extensions = [
    lineNumbers(),
    foldGutter(),
    codeFolding({ placeholderDOM: foldPlaceholder }),
    lintGutter(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    EditorState.tabSize.of(2),
    indentUnit.of("  "),
    yamlIndentation,
    indentOnInput(),
    yaml(),
    editorHighlighting,
    bracketMatching(),
    // Brackets only: French apostrophes and quotes are typed alone.
    closeBrackets(),
    EditorState.languageData.of(() => [{ closeBrackets: { brackets: ["(", "[", "{"] } }]),
    autocompletion({
      override: [completionSource(schema, parameters)],
      icons: false,
      maxRenderedOptions: 200,
    }),
    hoverHelp(schema, parameters),
    parameterHighlight,
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    // The standard keymaps, none binding Tab: Tab and Shift+Tab leave the editor;
    // indentation is Ctrl+] / Ctrl+[ (and automatic on Enter).
    keymap.of([
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...completionKeymap,
      ...lintKeymap,
    ]),
    EditorView.lineWrapping,
    // tabindex: already focusable (contenteditable), said explicitly for tools such as
    // axe-core's scrollable-region-focusable, which look for a focusable element inside.
    EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
    EditorState.phrases.of(FRENCH_PHRASES),
    editorTheme,
    EditorView.updateListener.of((update) => {
      if (update.docChanged && typeof onChange === "function") {
        onChange(update.state.doc.toString());
      }
    }),
  ];
  const view = new EditorView({
    parent,
    state: EditorState.create({ doc: String(doc), extensions }),
  });

  return {
    view,
    getText() {
      return view.state.doc.toString();
    },
    setText(text) {
      const next = String(text);
      if (next === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    setDiagnostics(problems) {
      const { doc } = view.state;
      const diagnostics = (problems ?? []).map((problem) => {
        const from = position(doc, problem.line, problem.column);
        const line = doc.lineAt(from);
        const to = line.from + problemEnd(line.text, from - line.from);
        return { from, to, severity: "error", message: String(problem.message ?? "") };
      });
      view.dispatch(lintDiagnostics(view.state, diagnostics));
    },
    goTo(line, column) {
      const pos = position(view.state.doc, line, column);
      view.dispatch({
        selection: { anchor: pos },
        effects: EditorView.scrollIntoView(pos, { y: "center" }),
      });
      view.focus();
    },
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
