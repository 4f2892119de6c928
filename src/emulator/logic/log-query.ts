/**
 * The System Log API's `q` parameter (shared spec §7.1): space-separated keywords, all of which
 * must match, case-insensitively, as whole keywords; a hyphenated value also matches its parts.
 * At most 10 keywords of at most 40 characters each, as Okta enforces.
 *
 * Okta does not list the fields `q` searches; we search every string in the event (names,
 * logins, ids, messages, types, addresses), split into keywords at whitespace and at the
 * punctuation that separates words in prose (`, ; : ( ) [ ] " '`).
 */

/** Okta's limits on `q`. */
export const MAX_QUERY_TERMS = 10;
export const MAX_QUERY_TERM_LENGTH = 40;

/** A `q` Okta would refuse (400 E0000001); the message is Okta's cause text. */
export class LogQueryError extends Error {
  override readonly name = "LogQueryError";
}

/**
 * Parses `q` once and returns a predicate over LogEvents. An empty or blank `q` matches all.
 *
 * @throws {LogQueryError} on more than 10 keywords or one longer than 40 characters.
 * @example
 * const about = compileLogQuery("john.doe@example.com deactivate");
 * events.filter(about);
 */
export function compileLogQuery(q: string): (event: unknown) => boolean {
  const terms = q
    .trim()
    .split(/\s+/)
    .filter((term) => term !== "")
    .map((term) => term.toLowerCase());
  if (terms.length > MAX_QUERY_TERMS) {
    throw new LogQueryError(`Freeform search cannot contain more than ${MAX_QUERY_TERMS} items`);
  }
  const long = terms.find((term) => term.length > MAX_QUERY_TERM_LENGTH);
  if (long !== undefined) {
    throw new LogQueryError(
      `Freeform search cannot contain items longer than ${MAX_QUERY_TERM_LENGTH} characters`,
    );
  }
  if (terms.length === 0) return () => true;
  return function matchesLogQuery(event: unknown): boolean {
    const keywords = keywordsOf(event);
    return terms.every((term) => keywords.has(term));
  };
}

/**
 * Whether `event` matches every keyword of `q`.
 *
 * @throws {LogQueryError} as {@link compileLogQuery}.
 * @example
 * matchesLogQuery(event, "Doe"); // true when a target is John Doe
 */
export function matchesLogQuery(event: unknown, q: string): boolean {
  return compileLogQuery(q)(event);
}

function keywordsOf(event: unknown): Set<string> {
  const keywords = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 32) return;
    if (typeof value === "string") {
      for (const word of value.toLowerCase().split(/[\s,;:()[\]"']+/)) {
        if (word === "") continue;
        keywords.add(word);
        if (word.includes("-"))
          for (const part of word.split("-")) if (part !== "") keywords.add(part);
      }
    } else if (typeof value === "number" || typeof value === "boolean") {
      keywords.add(String(value).toLowerCase());
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (typeof value === "object" && value !== null) {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  visit(event, 0);
  return keywords;
}
