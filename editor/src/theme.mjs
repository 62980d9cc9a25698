// The editor's look: Material for MkDocs' palette (its CSS custom properties), light
// ("default") and dark ("slate") schemes, with WCAG AA contrast for text and gutters.
// The few colours Material does not define (syntax, gutter text, errors) are set here per
// scheme as custom properties of the editor, each at least 4.5:1 on the code background
// and on the active line.

import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags } from "@lezer/highlight";

const LIGHT = {
  "--cagette-editor-muted": "#55606a", // gutter, comments, punctuation: 5.9:1 on #f5f5f5
  "--cagette-editor-key": "#1a5a9e",
  "--cagette-editor-string": "#1b6b43",
  "--cagette-editor-special": "#a8320b",
  "--cagette-editor-parameter": "#7b2a8a",
  "--cagette-editor-error": "#b71c1c",
  "--cagette-editor-active-line": "rgba(0, 0, 0, 0.045)",
  "--cagette-editor-selection": "rgba(66, 135, 255, 0.22)",
  "--cagette-editor-match": "rgba(255, 213, 79, 0.35)",
  "--cagette-editor-option-bg": "#1a5a9e",
  "--cagette-editor-option-fg": "#ffffff",
};

const DARK = {
  "--cagette-editor-muted": "#b3b9c5", // 7.3:1 on Material's slate code background
  "--cagette-editor-key": "#8fb8ff",
  "--cagette-editor-string": "#80d4a6",
  "--cagette-editor-special": "#ffab91",
  "--cagette-editor-parameter": "#e4a8f2",
  "--cagette-editor-error": "#ff9a90",
  "--cagette-editor-active-line": "rgba(255, 255, 255, 0.05)",
  "--cagette-editor-selection": "rgba(41, 119, 255, 0.3)",
  "--cagette-editor-match": "rgba(255, 213, 79, 0.1)",
  "--cagette-editor-option-bg": "#8fb8ff",
  "--cagette-editor-option-fg": "#1e2129",
};

const FG = "var(--md-code-fg-color, #36464e)";
const BG = "var(--md-code-bg-color, #f5f5f5)";
const PANEL_FG = "var(--md-default-fg-color, rgba(0, 0, 0, 0.87))";
const PANEL_BG = "var(--md-default-bg-color, #ffffff)";
const BORDER = "1px solid var(--md-default-fg-color--lighter, rgba(0, 0, 0, 0.32))";
const ACCENT = "var(--md-accent-fg-color, #bf360c)";
const FOCUS = { outline: `0.1rem solid ${ACCENT}`, outlineOffset: "0.1rem" };

export const editorTheme = EditorView.theme({
  "&": {
    ...LIGHT,
    height: "min(70vh, 48rem)",
    color: FG,
    backgroundColor: BG,
    border: BORDER,
    borderRadius: "0.1rem",
    fontSize: "0.7rem",
  },
  '[data-md-color-scheme="slate"] &': DARK,
  "&.cm-focused": FOCUS,
  ".cm-scroller": {
    overflow: "auto",
    fontFamily: "var(--md-code-font-family, monospace)",
    lineHeight: "1.55",
  },
  ".cm-content": { caretColor: FG, padding: "0.3em 0" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: FG, borderLeftWidth: "2px" },
  ".cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground":
    { backgroundColor: "var(--cagette-editor-selection)" },
  ".cm-activeLine": { backgroundColor: "var(--cagette-editor-active-line)" },
  ".cm-gutters": {
    backgroundColor: BG,
    color: "var(--cagette-editor-muted)",
    borderRight: BORDER,
  },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 0.5em 0 0.8em" },
  ".cm-activeLineGutter": { backgroundColor: "var(--cagette-editor-active-line)", color: FG },
  ".cm-foldPlaceholder": {
    backgroundColor: PANEL_BG, color: PANEL_FG, border: BORDER, padding: "0 0.3em",
  },
  ".cm-matchingBracket, &.cm-focused .cm-matchingBracket": {
    backgroundColor: "transparent",
    outline: `1px solid ${ACCENT}`,
  },
  ".cm-nonmatchingBracket, &.cm-focused .cm-nonmatchingBracket": {
    backgroundColor: "transparent",
    outline: "1px dashed var(--cagette-editor-error)",
  },
  // Matches keep every colour above 4.5:1, even on the active line: a light tint and a frame.
  ".cm-searchMatch, .cm-selectionMatch": {
    backgroundColor: "var(--cagette-editor-match)",
    outline: "1px solid var(--cagette-editor-muted)",
  },
  ".cm-searchMatch-selected": { backgroundColor: "transparent", outline: `2px solid ${ACCENT}` },
  ".cm-specialChar": { color: "var(--cagette-editor-error)" },
  ".cm-cagette-parameter": { color: "var(--cagette-editor-parameter)", fontWeight: "bold" },

  // Panels: search and replace, go to line, the list of problems.
  ".cm-panels": { backgroundColor: PANEL_BG, color: PANEL_FG },
  ".cm-panels-top": { borderBottom: BORDER },
  ".cm-panels-bottom": { borderTop: BORDER },
  ".cm-panel.cm-search": { padding: "0.3em 2em 0.3em 0.5em" },
  ".cm-panel.cm-search label, .cm-textfield, .cm-button": { fontSize: "0.65rem" },
  ".cm-panel button[name=close]": { color: PANEL_FG, fontSize: "1.2em" },
  ".cm-textfield": {
    backgroundColor: PANEL_BG, color: PANEL_FG, border: BORDER, borderRadius: "0.1rem",
  },
  ".cm-button": {
    backgroundImage: "none",
    backgroundColor: PANEL_BG,
    color: PANEL_FG,
    border: BORDER,
    borderRadius: "0.1rem",
  },
  ".cm-button:hover": { borderColor: ACCENT },
  ".cm-button:active": { backgroundImage: "none", backgroundColor: BG },
  ".cm-panel input:focus-visible, .cm-panel button:focus-visible, .cm-panel ul:focus-visible": FOCUS,

  // Tooltips: hover help, completion, problems.
  ".cm-tooltip": {
    backgroundColor: PANEL_BG,
    color: PANEL_FG,
    border: BORDER,
    boxShadow: "var(--md-shadow-z2, 0 0.2rem 0.5rem rgba(0, 0, 0, 0.25))",
    borderRadius: "0.1rem",
    maxWidth: "min(36rem, 90vw)",
  },
  ".cm-tooltip.cm-tooltip-autocomplete > ul": { fontFamily: "var(--md-code-font-family, monospace)" },
  ".cm-tooltip.cm-tooltip-autocomplete > ul > li": { padding: "0.15em 0.6em" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": {
    backgroundColor: "var(--cagette-editor-option-bg)",
    color: "var(--cagette-editor-option-fg)",
  },
  ".cm-completionDetail": { fontStyle: "normal", marginLeft: "1em", color: "inherit" },
  ".cm-completionMatchedText": { textDecoration: "underline" },
  ".cm-completionInfo": { padding: "0.4em 0.6em", maxWidth: "min(24rem, 60vw)" },
  ".cm-cagette-help": { padding: "0.4em 0.6em", lineHeight: "1.45" },
  ".cm-cagette-help code": { fontFamily: "var(--md-code-font-family, monospace)", fontWeight: "bold" },
  ".cm-cagette-help p": { margin: "0.2em 0 0" },
  ".cm-diagnostic": { padding: "0.3em 0.6em 0.3em 0.5em" },
  ".cm-diagnostic-error": { borderLeft: "0.3em solid var(--cagette-editor-error)" },
  ".cm-lintRange-error": {
    backgroundImage: "none",
    textDecoration: "underline wavy var(--cagette-editor-error)",
    textDecorationSkipInk: "none",
    textUnderlineOffset: "0.2em",
  },
  ".cm-lintRange-active": { backgroundColor: "transparent" },
  ".cm-lintPoint:after": { borderBottomColor: "var(--cagette-editor-error)" },
  ".cm-lint-marker-error": {
    content: "normal",
    boxSizing: "border-box",
    width: "0.8em",
    height: "0.8em",
    margin: "0.1em",
    borderRadius: "50%",
    backgroundColor: "var(--cagette-editor-error)",
  },
  ".cm-panel.cm-panel-lint ul [aria-selected]": {
    backgroundColor: "var(--cagette-editor-active-line)", color: PANEL_FG,
  },
  ".cm-panel.cm-panel-lint ul:focus [aria-selected]": {
    backgroundColor: "var(--cagette-editor-option-bg)", color: "var(--cagette-editor-option-fg)",
  },
});

const highlightStyle = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), color: "var(--cagette-editor-key)" },
  { tag: [tags.string, tags.attributeValue], color: "var(--cagette-editor-string)" },
  { tag: [tags.special(tags.string), tags.labelName, tags.typeName, tags.keyword],
    color: "var(--cagette-editor-special)" },
  { tag: tags.lineComment, color: "var(--cagette-editor-muted)", fontStyle: "italic" },
  { tag: [tags.separator, tags.punctuation, tags.meta], color: "var(--cagette-editor-muted)" },
  { tag: tags.invalid, color: "var(--cagette-editor-error)" },
]);

export const editorHighlighting = syntaxHighlighting(highlightStyle);
