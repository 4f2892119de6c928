/**
 * Full-text search over exchanges, defined once for both stores: what text is searched, how it
 * is cut into words, and when a query matches.
 *
 * - The searched texts of an exchange are its target, its request body and its response body,
 *   each on its own (a phrase never spans two of them). Bodies are decoded as UTF-8 (invalid
 *   bytes become separators) and only their first {@link SEARCH_TEXT_LIMIT_BYTES} are searched.
 * - A word is a run of letters and digits (Unicode categories L and N); words compare
 *   case-insensitively and without Latin accents. This is SQLite FTS5's `unicode61` tokenizer
 *   with `remove_diacritics 2` and `categories 'L* N*'`, which the SQLite store uses; the JS
 *   tokenizer below reproduces it (a test holds the two together on many scripts; some Greek
 *   accents differ).
 * - A query matches a text that holds its words in sequence, the last one as a prefix:
 *   `jane.doe@exa` matches `"alternateId":"jane.doe@example.com"`, and so does `jane doe`.
 */
import type { Exchange } from "./types.js";

/** Only the first 1 MiB of each body is searched: webhook bodies are far smaller. */
export const SEARCH_TEXT_LIMIT_BYTES = 1024 * 1024;

/** The SQLite FTS5 tokenizer that {@link searchWords} reproduces. */
export const FTS_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N*'";

/** The searched texts of an exchange, in this order. */
export type SearchPart = "target" | "request" | "response";

/** Every {@link SearchPart}, indexed as the SQLite store numbers them (rowid = seq × 4 + index). */
export const SEARCH_PARTS: readonly SearchPart[] = ["target", "request", "response"];

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;
const decoder = new TextDecoder("utf-8");

/**
 * The words of `text`, lower-cased and without accents, in order.
 *
 * @example
 * searchWords("Jane.Doe@Example.com — Café"); // ["jane", "doe", "example", "com", "cafe"]
 */
export function searchWords(text: string): string[] {
  const folded = text.normalize("NFD").replace(MARKS, "").normalize("NFC").toLowerCase();
  return Array.from(folded.matchAll(WORD), (match) => match[0]);
}

/** The text of one searched part of an exchange ("" when it has none). */
export function searchText(exchange: Exchange, part: SearchPart): string {
  if (part === "target") return exchange.request.target;
  const body = part === "request" ? exchange.request.body : exchange.response?.body;
  if (body === undefined || body.bytes.byteLength === 0) return "";
  return decoder.decode(body.bytes.subarray(0, SEARCH_TEXT_LIMIT_BYTES));
}

/**
 * True when `words` holds `query` in sequence, its last word as a prefix. `query` is
 * non-empty (the list query check refuses a text without words).
 */
export function matchesWords(words: readonly string[], query: readonly string[]): boolean {
  const last = query.length - 1;
  const lastWord = query[last] ?? "";
  for (let start = 0; start + last < words.length; start++) {
    let k = 0;
    while (k < last && words[start + k] === query[k]) k++;
    if (k === last && (words[start + last] ?? "").startsWith(lastWord)) return true;
  }
  return false;
}

/**
 * The FTS5 query for `query` words: one phrase, its last word a prefix.
 *
 * @example
 * ftsPhrase(["jane", "doe"]); // '"jane doe" *'
 */
export function ftsPhrase(query: readonly string[]): string {
  // Words hold only letters and digits, so they need no escaping inside the quotes.
  return `"${query.join(" ")}" *`;
}
