/**
 * Where JSON text goes wrong, as line and column. `JSON.parse` says so differently in every V8
 * version (and sometimes not at all), so this scanner finds the first error itself. It runs only
 * after `JSON.parse` failed, keeps its own stack (no recursion: hostile nesting cannot overflow)
 * and reads each character once.
 */

/** The first syntax error of a JSON text. */
export interface JsonSyntaxError {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
  /** What the scanner expected there, e.g. `"',' or '}'"`. */
  expected: string;
  /** What it found: a quoted character, or `end of input`. */
  found: string;
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

type State = "value" | "after" | "key" | "colon";

/** Position of the first JSON syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const stack: string[] = [];
  let i = 0;
  let state: State = "value";
  const fail = (expected: string): JsonSyntaxError => position(text, i, expected);
  /** Index after a string starting at `i`, or -1 (and `i` at the offence). */
  const string = (): number => {
    let j = i + 1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c < 0x20) break;
      if (c === 0x5c) {
        const e = text.charAt(j + 1);
        if (e === "u") {
          HEX4.lastIndex = j + 2;
          if (!HEX4.test(text)) break;
          j += 6;
        } else if (ESCAPES.has(e)) j += 2;
        else break;
      } else j++;
    }
    i = j;
    return -1;
  };
  for (;;) {
    while (i < text.length && WHITESPACE.has(text.charAt(i))) i++;
    const c = text.charAt(i);
    if (state === "value") {
      if (c === "{" || c === "[") {
        stack.push(c);
        i++;
        while (i < text.length && WHITESPACE.has(text.charAt(i))) i++;
        const close = c === "{" ? "}" : "]";
        if (text.charAt(i) === close) {
          stack.pop();
          i++;
          state = "after";
        } else state = c === "{" ? "key" : "value";
      } else if (c === '"') {
        const end = string();
        if (end < 0) return fail("a closed string (no raw control characters, valid escapes)");
        i = end;
        state = "after";
      } else if (c === "-" || (c >= "0" && c <= "9")) {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return fail("a number");
        i = NUMBER.lastIndex;
        state = "after";
      } else {
        const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
        if (word === undefined) return fail("a value");
        i += word.length;
        state = "after";
      }
    } else if (state === "after") {
      const top = stack.at(-1);
      if (top === undefined) return i < text.length ? fail("end of input") : null;
      const close = top === "{" ? "}" : "]";
      if (c === ",") {
        i++;
        state = top === "{" ? "key" : "value";
      } else if (c === close) {
        stack.pop();
        i++;
      } else return fail(`',' or '${close}'`);
    } else if (state === "key") {
      if (c !== '"') return fail("a property name in double quotes");
      const end = string();
      if (end < 0) return fail("a closed string (no raw control characters, valid escapes)");
      i = end;
      state = "colon";
    } else {
      if (c !== ":") return fail("':'");
      i++;
      state = "value";
    }
  }
}

function position(text: string, offset: number, expected: string): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let j = text.indexOf("\n"); j >= 0 && j < offset; j = text.indexOf("\n", j + 1)) {
    line++;
    lineStart = j + 1;
  }
  const found = offset >= text.length ? "end of input" : JSON.stringify(text.charAt(offset));
  return { line, column: offset - lineStart + 1, expected, found };
}
