/** Characters of source shown on each side of the error position in {@link FilterSyntaxError.excerpt}. */
const EXCERPT_RADIUS = 40;

/** What {@link FilterSyntaxError} is built from. */
export interface FilterSyntaxErrorDetails {
  /** The whole filter source. */
  expression: string;
  /** 0-based offset (UTF-16 code units) of the offending character or token. */
  position: number;
  /** What was found, already phrased: `"Unexpected token 'eqq'"`, `"Unterminated string literal"`. */
  problem: string;
  /** What would have been accepted at `position`, each phrased for humans (`"eq"`, `"')'"`). */
  expected: readonly string[];
}

/**
 * Thrown by `parseFilter` (and `compileFilter`) when a filter expression is not in the
 * supported subset of the Okta Expression Language. The message is one line, e.g.
 * `Unexpected token 'eqq' at position 16: expected eq or ne`; {@link excerpt} adds the source
 * with a caret for terminals.
 *
 * @example
 * try {
 *   parseFilter("event.eventType eqq 'x'");
 * } catch (error) {
 *   if (error instanceof FilterSyntaxError) error.position; // 16
 * }
 */
export class FilterSyntaxError extends Error {
  override readonly name = "FilterSyntaxError";
  /** Stable machine-readable code. */
  readonly code = "FILTER_SYNTAX";
  /** 0-based offset (UTF-16 code units) into {@link expression}. */
  readonly position: number;
  /** What would have been accepted at {@link position}. */
  readonly expected: readonly string[];
  /** The whole filter source that failed to parse. */
  readonly expression: string;

  constructor(details: FilterSyntaxErrorDetails) {
    super(
      `${details.problem} at position ${details.position}: expected ${joinAlternatives(details.expected)}`,
    );
    this.position = details.position;
    this.expected = details.expected;
    this.expression = details.expression;
  }

  /**
   * Two lines: the source around {@link position} (shortened with `…` when long, newlines and
   * tabs shown as spaces) and a caret under the offending character.
   */
  get excerpt(): string {
    const start = Math.max(0, this.position - EXCERPT_RADIUS);
    const end = Math.min(this.expression.length, this.position + EXCERPT_RADIUS);
    const prefix = start > 0 ? "…" : "";
    const suffix = end < this.expression.length ? "…" : "";
    const shown = this.expression.slice(start, end).replace(/[\r\n\t]/g, " ");
    const caretColumn = prefix.length + (this.position - start);
    return `${prefix}${shown}${suffix}\n${" ".repeat(caretColumn)}^`;
  }
}

function joinAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "nothing";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
