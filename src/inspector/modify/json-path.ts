/**
 * JSON paths as the JSON edits and the response diff write them:
 * `data.events[0].target[0].alternateId`. A key is written bare when it is a plain word, else
 * as a JSON string in brackets: `headers["content-type"]`, `["key.with.dots"]`, `[""]`.
 */

/** One step of a path: an object key or an array index. */
export type JsonPathSegment = string | number;

/** Keys that can be written bare: no `.`, `[`, `]`, `=`, quotes or whitespace. */
const BARE_KEY = /^[^.[\]="'\s]+$/;

/** The path's text, in the syntax {@link parsePathText} reads; `""` is the whole document. */
export function formatJsonPath(path: readonly JsonPathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (BARE_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Where a path's text stops (the index of `=`, or the end) and what it says. */
export interface ParsedPath {
  segments: JsonPathSegment[];
  /** Index just after the path in the text. */
  end: number;
}

/**
 * Reads a path from the start of `text` up to a top-level `=` (or the end). Returns the problem
 * as a string instead of throwing, so callers choose the error type.
 */
export function parsePathText(text: string): ParsedPath | { problem: string } {
  const segments: JsonPathSegment[] = [];
  let i = 0;
  while (i < text.length && text[i] !== "=") {
    const c = text[i];
    if (c === "[") {
      const close = bracket(text, i);
      if (typeof close === "string") return { problem: close };
      segments.push(close.segment);
      i = close.end;
    } else {
      if (segments.length > 0) {
        if (c !== ".") return { problem: `expected '.', '[' or '=' at character ${i + 1}` };
        i++;
      }
      const start = i;
      while (i < text.length && !".[]=".includes(text[i] ?? "")) i++;
      const key = text.slice(start, i);
      if (key === "")
        return { problem: `empty key at character ${start + 1} (write [""] for an empty key)` };
      if (/\s/.test(key))
        return {
          problem: `key ${JSON.stringify(key)} has whitespace; write it as [${JSON.stringify(key)}]`,
        };
      if (text[i] === "]") return { problem: `unexpected ']' at character ${i + 1}` };
      segments.push(key);
    }
  }
  if (segments.length === 0) return { problem: "the path is empty" };
  return { segments, end: i };
}

/** `[0]` or `["key"]` starting at `open`. */
function bracket(text: string, open: number): { segment: JsonPathSegment; end: number } | string {
  const rest = text.slice(open + 1);
  const index = /^(0|[1-9]\d*)\]/.exec(rest);
  if (index !== null) {
    const n = Number(index[1]);
    if (!Number.isSafeInteger(n)) return `index ${index[1]} is too large`;
    return { segment: n, end: open + 1 + index[0].length };
  }
  if (rest.startsWith('"')) {
    const quoted = /^"(?:[^"\\]|\\.)*"/.exec(rest);
    if (quoted !== null && rest[quoted[0].length] !== "]") {
      return `expected ']' after the quoted key at character ${open + 2 + quoted[0].length}`;
    }
    if (quoted !== null) {
      try {
        return { segment: JSON.parse(quoted[0]) as string, end: open + 1 + quoted[0].length + 1 };
      } catch {
        return `bad escape in the quoted key at character ${open + 2}`;
      }
    }
    return `unterminated quoted key at character ${open + 2} (write ["key"])`;
  }
  return `expected an index like [0] or a quoted key like ["a.b"] at character ${open + 1}`;
}
