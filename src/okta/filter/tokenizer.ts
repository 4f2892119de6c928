/**
 * Splits a filter source into tokens. It never throws: a lexical problem becomes a final
 * `invalid` token, so the parser reports it only if it gets that far and the leftmost error in
 * the source is always the one reported.
 */

/** Kinds of token the filter language has. */
export type TokenKind =
  | "word"
  | "string"
  | "number"
  | "dot"
  | "select"
  | "rbracket"
  | "lparen"
  | "rparen"
  | "and"
  | "or"
  | "compare"
  | "eof"
  | "invalid";

/** One token. `text` is the exact source slice; `value` is the decoded content of strings. */
export interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  position: number;
  /** For `invalid` tokens: the problem and what was expected, phrased for the error message. */
  problem?: string;
  expected?: readonly string[];
}

const WORD_START = /[A-Za-z_$]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;
const WHITESPACE = /\s/;

/**
 * Fixed punctuation, longest first so `>=` wins over `>`. As in the Spring Expression Language,
 * a selection is the two tokens `.` and `?[`, so `event.target. ?[` is accepted too.
 */
const PUNCTUATION: readonly { text: string; kind: TokenKind }[] = [
  { text: "?[", kind: "select" },
  { text: "&&", kind: "and" },
  { text: "||", kind: "or" },
  { text: ">=", kind: "compare" },
  { text: "<=", kind: "compare" },
  { text: "==", kind: "compare" },
  { text: "!=", kind: "compare" },
  { text: ">", kind: "compare" },
  { text: "<", kind: "compare" },
  { text: ".", kind: "dot" },
  { text: "]", kind: "rbracket" },
  { text: "(", kind: "lparen" },
  { text: ")", kind: "rparen" },
];

/** Lone characters that look like the start of an operator, and what they should have been. */
const NEAR_MISSES: Readonly<Record<string, readonly string[]>> = {
  "&": ["'&&'"],
  "|": ["'||'"],
  "=": ["'=='"],
  "!": ["'!=' (negation with '!' is not supported)"],
  "?": ["'?[' (a collection selection)"],
};

/**
 * Tokenizes `source`. The result always ends with an `eof` or an `invalid` token.
 *
 * @example
 * tokenize("event.eventType eq 'x'").map((t) => t.kind);
 * // ["word", "dot", "word", "word", "string", "eof"]
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source.charAt(index);
    if (WHITESPACE.test(char)) {
      index += 1;
      continue;
    }
    const token = readToken(source, index);
    tokens.push(token);
    if (token.kind === "invalid") return tokens;
    index += token.text.length;
  }
  tokens.push({ kind: "eof", text: "", value: "", position: source.length });
  return tokens;
}

function readToken(source: string, start: number): Token {
  const char = source.charAt(start);
  if (char === "'" || char === '"') return readString(source, start, char);
  if (WORD_START.test(char)) return readRun(source, start, WORD_PART, "word");
  if (DIGIT.test(char)) return readRun(source, start, DIGIT, "number");
  for (const { text, kind } of PUNCTUATION) {
    if (source.startsWith(text, start)) return { kind, text, value: text, position: start };
  }
  const nearMiss = NEAR_MISSES[char];
  if (nearMiss !== undefined) return invalid(start, `Unexpected '${char}'`, nearMiss);
  return invalid(start, `Unexpected character ${describeChar(source, start)}`, [
    "a field, an operator, a string literal or a parenthesis",
  ]);
}

function readRun(source: string, start: number, part: RegExp, kind: TokenKind): Token {
  let end = start + 1;
  while (end < source.length && part.test(source.charAt(end))) end += 1;
  const text = source.slice(start, end);
  return { kind, text, value: text, position: start };
}

/**
 * Reads a quoted literal. The quote is escaped by a backslash (`'O\'Brien'`) or, as in the
 * Spring Expression Language Okta's is built on, by doubling it (`'O''Brien'`); `\\` is a
 * backslash. Any other backslash escape is rejected rather than guessed at.
 */
function readString(source: string, start: number, quote: string): Token {
  let value = "";
  let index = start + 1;
  while (index < source.length) {
    const char = source.charAt(index);
    if (char === quote) {
      if (source.charAt(index + 1) === quote) {
        value += quote;
        index += 2;
        continue;
      }
      const text = source.slice(start, index + 1);
      return { kind: "string", text, value, position: start };
    }
    if (char === "\\") {
      const escaped = source.charAt(index + 1);
      if (escaped === quote || escaped === "\\") {
        value += escaped;
        index += 2;
        continue;
      }
      if (escaped === "") break;
      return invalid(index, `Unsupported escape sequence '\\${escaped}'`, [
        `\\${quote} or \\\\ after a backslash`,
      ]);
    }
    value += char;
    index += 1;
  }
  return invalid(start, "Unterminated string literal", [`a closing ${quote}`]);
}

function invalid(position: number, problem: string, expected: readonly string[]): Token {
  return { kind: "invalid", text: "", value: "", position, problem, expected };
}

function describeChar(source: string, index: number): string {
  const codePoint = source.codePointAt(index) ?? 0;
  const char = String.fromCodePoint(codePoint);
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
  return codePoint < 0x20 || codePoint === 0x7f ? hex : `'${char}' (${hex})`;
}
