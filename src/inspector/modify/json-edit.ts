/**
 * JSON edits: `data.events[0].target[0].alternateId=jane.doe@example.com` sets one value in a
 * JSON body. The path syntax is json-path.ts's; the value is JSON when it parses as JSON
 * (`42`, `true`, `null`, `"quoted"`, `{"a":1}`), else the text itself as a string.
 */
import { ModificationError } from "./errors.js";
import { formatJsonPath, type JsonPathSegment, parsePathText } from "./json-path.js";

/** One parsed edit: set the value at `path`. */
export interface JsonEdit {
  /** Keys and indexes from the document's root; never empty. */
  path: JsonPathSegment[];
  /** The new value: any JSON value. */
  value: unknown;
}

/** Digits that `JSON.parse` would round (beyond 2^53) or turn into Infinity. */
function lossyNumber(text: string, value: number): boolean {
  if (!Number.isFinite(value)) return true;
  return /^-?\d+$/.test(text) && !Number.isSafeInteger(value);
}

/**
 * Parses `path=value`. The path is split at the first `=` outside a quoted key, so values may
 * contain `=`; keys with dots, brackets, spaces or `=` are written `["a.b"]` (a JSON string).
 * Throws `ModificationError` `invalid_edit` on a bad path, a missing `=`, or a number that JSON
 * cannot hold exactly (quote it to set a string).
 *
 * @example
 * parseJsonEdit("data.events[0].target[0].alternateId=jane.doe@example.com");
 * // { path: ["data", "events", 0, "target", 0, "alternateId"], value: "jane.doe@example.com" }
 * parseJsonEdit('data["key.with.dots"]=42'); // { path: ["data", "key.with.dots"], value: 42 }
 */
export function parseJsonEdit(text: string): JsonEdit {
  const parsed = parsePathText(text);
  if ("problem" in parsed) {
    throw new ModificationError(
      "invalid_edit",
      `JSON edit ${JSON.stringify(text)}: ${parsed.problem}`,
    );
  }
  const path = formatJsonPath(parsed.segments);
  if (text[parsed.end] !== "=") {
    throw new ModificationError(
      "invalid_edit",
      `JSON edit ${JSON.stringify(text)} has no '=': write path=value`,
      { path },
    );
  }
  const valueText = text.slice(parsed.end + 1);
  let value: unknown = valueText;
  try {
    value = JSON.parse(valueText);
  } catch {
    return { path: parsed.segments, value: valueText };
  }
  if (typeof value === "number" && lossyNumber(valueText.trim(), value)) {
    throw new ModificationError(
      "invalid_edit",
      `JSON edit of ${path}: ${valueText.trim()} cannot be held exactly by a JSON number; quote it to set a string`,
      { path },
    );
  }
  return { path: parsed.segments, value };
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function notFound(edit: JsonEdit, message: string): ModificationError {
  const path = formatJsonPath(edit.path);
  return new ModificationError("path_not_found", `JSON edit of ${path}: ${message}`, { path });
}

/**
 * The container the segment `edit.path[depth]` lives in is `node`; checks the segment fits it.
 * `mayCreate`: the last key of an edit may be new on an object.
 */
function check(node: unknown, edit: JsonEdit, depth: number, mayCreate: boolean): void {
  const segment = edit.path[depth] as JsonPathSegment;
  const where = formatJsonPath(edit.path.slice(0, depth)) || "the body";
  if (typeof segment === "number") {
    if (!Array.isArray(node)) throw notFound(edit, `${where} is ${kindOf(node)}, not an array`);
    if (segment >= node.length) {
      throw notFound(
        edit,
        `${where} has ${node.length} element${node.length === 1 ? "" : "s"}, no [${segment}]`,
      );
    }
    return;
  }
  if (typeof node !== "object" || node === null || Array.isArray(node)) {
    throw notFound(edit, `${where} is ${kindOf(node)}, not an object`);
  }
  // Own keys only: "__proto__" or "constructor" must never reach Object.prototype.
  if (!mayCreate && !Object.hasOwn(node, segment)) {
    throw notFound(edit, `${formatJsonPath(edit.path.slice(0, depth + 1))} does not exist`);
  }
}

/**
 * Applies edits, in order, to a parsed JSON document, in place (the caller parsed it, so it owns
 * it). The parent of each path must exist; the last key may be new on an object, while an array
 * index must already exist (no holes, no appends). Throws `ModificationError`
 * `path_not_found` naming the path, or `invalid_edit` for an empty path.
 */
export function applyJsonEdits(document: unknown, edits: readonly JsonEdit[]): void {
  for (const edit of edits) {
    if (edit.path.length === 0)
      throw new ModificationError("invalid_edit", "a JSON edit needs a path");
    let node: unknown = document;
    const last = edit.path.length - 1;
    for (let depth = 0; depth < last; depth++) {
      check(node, edit, depth, false);
      node = (node as Record<string | number, unknown>)[edit.path[depth] as JsonPathSegment];
    }
    check(node, edit, last, true);
    const key = edit.path[last] as JsonPathSegment;
    // defineProperty, not assignment: a "__proto__" key stays a plain data property.
    Object.defineProperty(node as object, key, {
      value: edit.value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}
