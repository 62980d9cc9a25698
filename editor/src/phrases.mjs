// French for every phrase CodeMirror shows or announces (EditorState.phrases): search and
// replace, go to line, problems (lint), completion, folding, screen-reader announcements.
// Typographic spaces written as escapes: \u00a0 no-break space.

export const FRENCH_PHRASES = {
  // @codemirror/view
  "Control character": "Caractère de contrôle",
  close: "fermer",
  // @codemirror/commands
  "Selection deleted": "Sélection supprimée",
  // @codemirror/search
  Find: "Rechercher",
  Replace: "Remplacer",
  next: "suivant",
  previous: "précédent",
  all: "tout",
  "match case": "respecter la casse",
  regexp: "expression régulière",
  "by word": "mot entier",
  replace: "remplacer",
  "replace all": "remplacer tout",
  "current match": "occurrence actuelle",
  "on line": "à la ligne",
  "replaced $ matches": "$ occurrences remplacées",
  "replaced match on line $": "occurrence remplacée à la ligne $",
  "Go to line": "Aller à la ligne",
  go: "aller",
  // @codemirror/lint
  Diagnostics: "Problèmes",
  "No diagnostics": "Aucun problème",
  // @codemirror/autocomplete
  Completions: "Suggestions",
  // @codemirror/language (folding)
  "Fold line": "Replier la ligne",
  "Unfold line": "Déplier la ligne",
  "folded code": "code replié",
  unfold: "déplier",
  to: "à",
  "Folded lines": "Lignes repliées",
  "Unfolded lines": "Lignes dépliées",
};
