// Where a position is in a YAML document, read from indentation alone (the text being
// edited is often not valid YAML yet), and what the project's JSON Schema allows there.
// Pure functions over strings and plain objects: no CodeMirror, testable under Node.

/** A path segment meaning "an item of this sequence". */
export const ITEM = "[]";

// A block mapping key: plain (identifier-like or free text up to ": ") or quoted.
// (No lookbehind: Safari 16.0 to 16.3 would refuse the whole module.) Inside a plain key,
// "#" only follows a non-space (after a space it starts a comment).
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|(?:[^\s#'"{}[\],&*!|>%@`?:-]|-(?=\S))(?:[^\s:]|:(?=\S)|[ \t]+(?=[^\s#]))*?)[ \t]*:(?=[ \t]|$)/;
const COMMENT = /(^|[ \t])#.*$/;

/**
 * One line: its indentation and the nodes that start on it, left to right:
 * `{kind: "dash"|"key"|"scalar", col, name?, value?}` (`col` in UTF-16 units from the
 * line start, `value` the text after a key's colon without comment). `null` for a blank
 * or comment-only line, or a document marker.
 */
export function parseLine(text) {
  let pos = 0;
  while (text[pos] === " ") pos += 1;
  if (pos === text.length || text[pos] === "#" || text[pos] === "\t") return null;
  if (pos === 0 && /^(---|\.\.\.)(\s|$)/.test(text)) return null;
  const indent = pos;
  const items = [];
  while (text[pos] === "-" && (pos + 1 === text.length || text[pos + 1] === " ")) {
    items.push({ kind: "dash", col: pos });
    pos += 1;
    while (text[pos] === " ") pos += 1;
  }
  if (pos < text.length && text[pos] !== "#") {
    const rest = text.slice(pos);
    const key = KEY.exec(rest);
    if (key) {
      items.push({
        kind: "key", col: pos, name: unquote(key[1]), length: key[1].length,
        value: rest.slice(key[0].length).replace(COMMENT, "").trim(),
      });
    } else {
      items.push({ kind: "scalar", col: pos });
    }
  }
  return { indent, items };
}

function unquote(key) {
  if (key.startsWith('"')) {
    try { return JSON.parse(key); } catch { return key.slice(1, -1); }
  }
  if (key.startsWith("'")) return key.slice(1, -1).replaceAll("''", "'");
  return key;
}

/** A cache of parsed lines over `getLine(n)` (1-based), for one document state. */
export function lineReader(getLine) {
  const parsed = new Map();
  return (n) => {
    if (!parsed.has(n)) parsed.set(n, parseLine(getLine(n)));
    return parsed.get(n);
  };
}

/**
 * The path from the root to the node that contains element `index` of line `lineNo`
 * (whose elements are `items`): key names and ITEM. `null` when the position is not in
 * a block mapping/sequence of the document (inside a multi-line scalar, a malformed
 * indentation, a root that is not a mapping).
 */
export function containerPath(read, lineNo, items, index) {
  const path = [];
  let line = lineNo;
  let elements = items;
  let at = index;
  // Each step moves left on a line or up to an earlier line: it ends.
  for (;;) {
    if (at > 0) {
      // A dash before the element on its line opens the sequence item that holds it.
      path.push(ITEM);
      at -= 1;
      continue;
    }
    const element = elements[0];
    const found = above(read, line, element);
    if (found === null) {
      return element.kind === "key" && element.col === 0 ? path.reverse() : null;
    }
    ({ line, items: elements, index: at } = found);
    if (found.sibling) continue; // the same container: go on from the sibling
    const owner = elements[at];
    if (owner.kind === "key") {
      if (owner.value !== "") return null; // a scalar value: the position is inside it
      path.push(owner.name);
    } else if (owner.kind === "dash") {
      path.push(ITEM); // "-" alone on its line, the item's content below it
    } else {
      return null;
    }
  }
}

/**
 * Looking up from line `lineNo` for what relates to `element` (the first element of its
 * line): a sibling (same kind, same column: the same container) or the owner (the node
 * whose value the container is). `null` at the top of the document.
 */
function above(read, lineNo, element) {
  for (let n = lineNo - 1; n >= 1; n -= 1) {
    const p = read(n);
    if (p === null || p.indent > element.col) continue;
    if (p.indent === element.col) {
      const first = p.items[0];
      if (first.kind === element.kind) return { line: n, items: p.items, index: 0, sibling: true };
      // "key:" then "- item" at the same column: the key owns the sequence.
      if (element.kind === "dash" && first.kind === "key") {
        return { line: n, items: p.items, index: 0, sibling: false };
      }
      continue; // a sibling key's same-column sequence, or stray text
    }
    const same = p.items.findIndex((x) => x.col === element.col);
    if (same >= 0 && p.items[same].kind === element.kind) {
      return { line: n, items: p.items, index: same, sibling: true };
    }
    let owner = p.items.length - 1;
    while (owner >= 0 && p.items[owner].col >= element.col) owner -= 1;
    if (owner < 0) return null;
    return { line: n, items: p.items, index: owner, sibling: false };
  }
  return null;
}

/**
 * Keys already written in the mapping holding the key that starts at `col` on line
 * `lineNo` (the line itself excluded). `opensMapping`: that key follows a dash on its
 * line, so the mapping starts there.
 */
export function siblingKeys(read, lineCount, lineNo, col, opensMapping) {
  const names = new Set();
  if (!opensMapping) {
    for (let n = lineNo - 1; n >= 1; n -= 1) {
      const p = read(n);
      if (p === null || p.indent > col) continue;
      if (p.indent === col) {
        if (p.items[0].kind === "key") names.add(p.items[0].name);
        continue;
      }
      const same = p.items.findIndex((x) => x.col === col);
      if (same > 0 && p.items[same].kind === "key") names.add(p.items[same].name);
      break;
    }
  }
  for (let n = lineNo + 1; n <= lineCount; n += 1) {
    const p = read(n);
    if (p === null || p.indent > col) continue;
    if (p.indent < col) break;
    if (p.items[0].kind === "key") names.add(p.items[0].name);
  }
  return names;
}

// ---------------------------------------------------------------------------------------
// The JSON Schema (draft 2020-12 subset: properties, patternProperties,
// additionalProperties, items, $ref to the same document, allOf/anyOf/oneOf, enum, const).

function pointer(root, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
  let node = root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const part = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

/** `node` with its `$ref`s followed and `allOf`/`anyOf`/`oneOf` spread: every alternative. */
export function expand(root, node, depth = 0) {
  if (node === null || typeof node !== "object" || depth > 16) return [];
  const out = [node];
  if (node.$ref !== undefined) out.push(...expand(root, pointer(root, node.$ref), depth + 1));
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(node[keyword])) {
      for (const branch of node[keyword]) out.push(...expand(root, branch, depth + 1));
    }
  }
  return out;
}

/** The schema nodes (alternatives) describing the value at `path`. */
export function schemaAt(root, path) {
  let nodes = [root];
  for (const segment of path) {
    const next = [];
    for (const node of nodes.flatMap((n) => expand(root, n))) {
      if (segment === ITEM) {
        if (node.items !== null && typeof node.items === "object") next.push(node.items);
        continue;
      }
      if (node.properties && Object.hasOwn(node.properties, segment)) {
        next.push(node.properties[segment]);
        continue;
      }
      let matched = false;
      for (const [pattern, sub] of Object.entries(node.patternProperties ?? {})) {
        if (safeRegExp(pattern)?.test(segment)) {
          next.push(sub);
          matched = true;
        }
      }
      if (!matched && node.additionalProperties !== null
          && typeof node.additionalProperties === "object") {
        next.push(node.additionalProperties);
      }
    }
    nodes = next;
    if (nodes.length === 0) break;
  }
  return nodes;
}

function safeRegExp(pattern) {
  try { return new RegExp(pattern, "u"); } catch { return null; }
}

/** The first `description` of a node, its own before its reference's. */
export function describe(root, node) {
  for (const alternative of expand(root, node)) {
    if (typeof alternative.description === "string") return alternative.description;
  }
  return "";
}

/** How a key's value is written: "mapping" (block), "flow-mapping" (`{}`: one entry),
 *  "list" (block list of mappings), "flow-list" (`[]` of scalars) or "scalar". */
export function valueShape(root, node) {
  const alternatives = expand(root, node);
  const listed = alternatives.find((n) => n.items !== null && typeof n.items === "object");
  if (listed || alternatives.some((n) => hasType(n, "array"))) {
    return listed && expand(root, listed.items).some(isMapping) ? "list" : "flow-list";
  }
  if (alternatives.some(isMapping)) {
    return alternatives.some((n) => n.maxProperties === 1) ? "flow-mapping" : "mapping";
  }
  return "scalar";
}

function hasType(node, type) {
  return [node.type].flat().includes(type);
}

function isMapping(node) {
  return hasType(node, "object") || (node.properties !== null && typeof node.properties === "object");
}

/** The keys a mapping described by `nodes` may hold: name -> {description, required, node}. */
export function keysOf(root, nodes) {
  const keys = new Map();
  for (const node of nodes.flatMap((n) => expand(root, n))) {
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    for (const [name, sub] of Object.entries(node.properties ?? {})) {
      const known = keys.get(name);
      if (known) {
        known.required ||= required.has(name);
        known.description ||= describe(root, sub);
      } else {
        keys.set(name, { description: describe(root, sub), required: required.has(name), node: sub });
      }
    }
  }
  return keys;
}

/** The values a scalar described by `nodes` may take (enum, const, booleans). */
export function valuesOf(root, nodes) {
  const values = [];
  const add = (value) => {
    if (!values.some((known) => known === value)) values.push(value);
  };
  for (const node of nodes.flatMap((n) => expand(root, n))) {
    if (Array.isArray(node.enum)) node.enum.forEach(add);
    if (node.const !== undefined) add(node.const);
    if (node.type === "boolean") { add(true); add(false); }
  }
  return values.filter((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
}

// ---------------------------------------------------------------------------------------
// What is at the cursor.

const KEY_START = /^( *)((?:- +)*)([A-Za-z_$][\w$.-]*|)$/;
const VALUE_START = /^( *)((?:- +)*)([A-Za-z_$][\w$.-]*|"[^"]*"|'[^']*')[ \t]*:[ \t]+([^\s#'"{}[\],&*!|>%@`][^\s#]*|)$/;

/**
 * What may be written at column `column` of line `lineNo` (1-based) given the text
 * before it on the line (`before`):
 * - `{kind: "key", from, keys, values, indent}` at the start of a key (or of a list
 *   item's value): the keys allowed there not yet written, and the values of a list of
 *   scalars;
 * - `{kind: "value", from, values}` after `key: `;
 * - `null` elsewhere.
 * `from` is the column where the word being typed starts.
 */
export function cursorContext(root, read, lineCount, lineNo, before) {
  const keyStart = KEY_START.exec(before);
  if (keyStart) {
    const [, spaces, dashes, word] = keyStart;
    const col = before.length - word.length;
    const items = [];
    let pos = spaces.length;
    for (const dash of dashes.matchAll(/- +/g)) {
      items.push({ kind: "dash", col: pos });
      pos += dash[0].length;
    }
    items.push({ kind: "key", col, name: word, value: "" });
    const path = containerPath(read, lineNo, items, items.length - 1);
    if (path === null) return null;
    const nodes = schemaAt(root, path);
    const present = siblingKeys(read, lineCount, lineNo, col, items.length > 1);
    const keys = [...keysOf(root, nodes)].filter(([name]) => !present.has(name));
    // "- " then a scalar: the values of the list's items.
    const values = items.length > 1 ? valuesOf(root, nodes) : [];
    return { kind: "key", from: col, indent: col, keys, values, path };
  }
  const valueStart = VALUE_START.exec(before);
  if (valueStart) {
    const [, spaces, dashes, rawKey, word] = valueStart;
    const items = [];
    let pos = spaces.length;
    for (const dash of dashes.matchAll(/- +/g)) {
      items.push({ kind: "dash", col: pos });
      pos += dash[0].length;
    }
    items.push({ kind: "key", col: pos, name: unquote(rawKey.trim()), value: "" });
    const path = containerPath(read, lineNo, items, items.length - 1);
    if (path === null) return null;
    const nodes = schemaAt(root, [...path, unquote(rawKey.trim())]);
    return { kind: "value", from: before.length - word.length, values: valuesOf(root, nodes),
             path: [...path, unquote(rawKey.trim())] };
  }
  return null;
}

/** The key whose name covers column `column` of line `lineNo`, with its description. */
export function keyAt(root, read, lineNo, column) {
  const parsed = read(lineNo);
  if (parsed === null) return null;
  const index = parsed.items.findIndex((x) => x.kind === "key" && column >= x.col
    && column <= x.col + x.length);
  if (index < 0) return null;
  const key = parsed.items[index];
  const path = containerPath(read, lineNo, parsed.items, index);
  if (path === null) return null;
  const known = keysOf(root, schemaAt(root, path)).get(key.name);
  return { name: key.name, from: key.col, to: key.col + key.length, path,
           description: known ? known.description : "", known: Boolean(known) };
}

/** The `{{ parameter }}` whose id covers `column` of `text`: {id, from, to} or null. */
export function parameterAt(text, column) {
  for (const match of text.matchAll(/\{\{\s*([A-Za-z_][\w-]*)[^{}\n]*?\}\}/g)) {
    const from = match.index;
    const to = from + match[0].length;
    if (column >= from && column <= to) return { id: match[1], from, to };
  }
  return null;
}

/** The partial parameter id right before the cursor inside `{{ `: {from, word} or null. */
export function parameterStart(before) {
  const match = /\{\{[ \t]*([A-Za-z_][\w-]*|)$/.exec(before);
  return match ? { from: before.length - match[1].length, word: match[1] } : null;
}

/** The indentation of a line that follows `previous` (parsed): inside a key without
 *  value (or with a block scalar header) or an item, else beside the last node. */
export function indentAfter(previous) {
  const last = previous.items.at(-1);
  if (last.kind === "key") return last.value === "" || /^[|>]/.test(last.value) ? last.col + 2 : last.col;
  if (last.kind === "dash") return last.col + 2;
  if (previous.items.length > 1) return last.col; // "- value": the next value of the item
  return previous.indent; // a line of text: the next one
}

// ---------------------------------------------------------------------------------------
// Problems located by (line, column) as Python counts them.

/** The UTF-16 offset in `text` of 1-based column `column` counted in code points (Python's
 *  characters), clamped to the line's end. */
export function offsetOfColumn(text, column) {
  let offset = 0;
  for (let counted = 1; counted < column && offset < text.length; counted += 1) {
    offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
  }
  return offset;
}

/** Where the underline of a problem starting at `offset` of `text` ends: the key, the
 *  quoted string, the flow item, or the rest of the value (without its comment). */
export function problemEnd(text, offset) {
  if (offset >= text.length) return text.length;
  const parsed = parseLine(text);
  const key = parsed?.items.find((x) => x.kind === "key" && x.col === offset);
  if (key) return offset + key.length;
  const quote = text[offset];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, offset + 1);
    return close > offset ? close + 1 : text.length;
  }
  let depth = 0;
  for (const char of text.slice(0, offset)) {
    if (char === "[" || char === "{") depth += 1;
    else if ((char === "]" || char === "}") && depth > 0) depth -= 1;
  }
  const rest = text.slice(offset).replace(COMMENT, "");
  const item = depth > 0 ? /^[^,\]}]*/.exec(rest)[0] : rest;
  return offset + Math.max(1, item.trimEnd().length);
}
