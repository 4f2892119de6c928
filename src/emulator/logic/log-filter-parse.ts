/**
 * The System Log API's `filter` parameter (shared spec §7.2): the SCIM filter subset Okta
 * documents — `attribute op "value"`, `attribute pr`, `and`, `or`, `not`, parentheses.
 * Attribute names are case-sensitive, operators and keywords are not; precedence is
 * comparison, then parentheses, then `not`, `and`, `or`. Parsed to a plain tree here,
 * evaluated in log-filter.ts.
 */

/** A comparison operator. */
export type LogFilterOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

/** A literal on the right of a comparison. */
export type LogFilterLiteral = string | number | boolean | null;

/** A parsed filter. */
export type LogFilterNode =
  | {
      kind: "compare";
      path: readonly string[];
      operator: LogFilterOperator;
      value: LogFilterLiteral;
    }
  | { kind: "present"; path: readonly string[] }
  | { kind: "not"; operand: LogFilterNode }
  | { kind: "and" | "or"; operands: LogFilterNode[] };

/** What kind of mistake a {@link LogFilterError} reports; Okta answers each with its own code. */
export type LogFilterErrorCode =
  /** Not in the grammar (Okta: 400 E0000053). */
  | "invalid_filter"
  /** An attribute a LogEvent does not have (Okta: 400 E0000053, "field is not valid"). */
  | "invalid_field"
  /** An operator Okta refuses on that field (Okta: 400 E0000031). */
  | "unsupported_combination";

/**
 * A filter that cannot be used. `message` names the position (0-based) like Okta's own
 * errors; {@link errorSummary} is Okta's full `errorSummary` text.
 */
export class LogFilterError extends Error {
  override readonly name = "LogFilterError";
  readonly code: LogFilterErrorCode;
  /** 0-based offset of the offending token in {@link expression}. */
  readonly position: number;
  readonly expression: string;

  constructor(code: LogFilterErrorCode, message: string, position: number, expression: string) {
    super(message);
    this.code = code;
    this.position = position;
    this.expression = expression;
  }

  /** The text Okta puts in `errorSummary` for this mistake. */
  get errorSummary(): string {
    if (this.code === "invalid_filter")
      return `Invalid filter '${this.expression}': ${this.message}`;
    return this.message;
  }
}

const OPERATORS: readonly string[] = ["eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le"];

/** Top-level LogEvent properties (both shapes); deeper path segments are free (debugData varies). */
const LOG_EVENT_FIELDS = new Set([
  "uuid",
  "published",
  "eventType",
  "version",
  "severity",
  "legacyEventType",
  "displayMessage",
  "actor",
  "client",
  "device",
  "authenticationContext",
  "securityContext",
  "request",
  "outcome",
  "target",
  "transaction",
  "debugContext",
]);

/** Fields Okta refuses `co` on (shared spec §7.2). */
const NO_CONTAINS = new Set(["debugContext.debugData.url", "debugContext.debugData.requestUri"]);

const MAX_NESTING = 64;
const PATH_SYNTAX = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
const NUMBER_SYNTAX = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

interface Token {
  kind: "word" | "string" | "(" | ")" | "end";
  text: string;
  position: number;
}

/**
 * Parses a System Log filter.
 *
 * @throws {LogFilterError} naming the position of the first mistake.
 * @example
 * parseLogFilter('eventType eq "user.session.start" and outcome.result eq "FAILURE"');
 */
export function parseLogFilter(expression: string): LogFilterNode {
  if (typeof expression !== "string") {
    throw new LogFilterError(
      "invalid_filter",
      "The filter must be a string",
      0,
      String(expression),
    );
  }
  const tokens = tokenize(expression);
  let at = 0;
  let depth = 0;
  const peek = (): Token => tokens[at] as Token;
  const next = (): Token => tokens[at++] as Token;
  const fail = (
    message: string,
    position: number,
    code: LogFilterErrorCode = "invalid_filter",
  ): never => {
    throw new LogFilterError(code, message, position, expression);
  };
  const isKeyword = (token: Token, word: string): boolean =>
    token.kind === "word" && token.text.toLowerCase() === word;

  const parseOr = (): LogFilterNode => {
    const operands = [parseAnd()];
    while (isKeyword(peek(), "or")) {
      next();
      operands.push(parseAnd());
    }
    return operands.length === 1 ? (operands[0] as LogFilterNode) : { kind: "or", operands };
  };
  const parseAnd = (): LogFilterNode => {
    const operands = [parseUnary()];
    while (isKeyword(peek(), "and")) {
      next();
      operands.push(parseUnary());
    }
    return operands.length === 1 ? (operands[0] as LogFilterNode) : { kind: "and", operands };
  };
  const parseUnary = (): LogFilterNode => {
    const token = peek();
    if (++depth > MAX_NESTING)
      fail(`Filter nested deeper than ${MAX_NESTING} levels`, token.position);
    try {
      if (isKeyword(token, "not")) {
        next();
        return { kind: "not", operand: parseUnary() };
      }
      if (token.kind === "(") {
        next();
        const inner = parseOr();
        const close = next();
        if (close.kind !== ")") fail(`Expected ')' at position ${close.position}`, close.position);
        return inner;
      }
      return parseComparison();
    } finally {
      depth -= 1;
    }
  };
  const parseComparison = (): LogFilterNode => {
    const attribute = next();
    if (attribute.kind !== "word") {
      fail(`Expected an attribute at position ${attribute.position}`, attribute.position);
    }
    const path = attribute.text;
    const head = path.split(".")[0] ?? "";
    if (!PATH_SYNTAX.test(path) || !LOG_EVENT_FIELDS.has(head)) {
      fail(`field is not valid: ${path}`, attribute.position, "invalid_field");
    }
    const operatorToken = next();
    const operator = operatorToken.text.toLowerCase();
    if (operatorToken.kind !== "word" || !OPERATORS.includes(operator)) {
      fail(
        `Unrecognized attribute operator '${operatorToken.text}' at position ${operatorToken.position}. Expected: ${OPERATORS.join(",")}`,
        operatorToken.position,
      );
    }
    if (operator === "pr") return { kind: "present", path: path.split(".") };
    if (operator === "co" && NO_CONTAINS.has(path)) {
      fail(
        `The supplied combination of operator and field is not currently supported. Operator: co, Field: ${path}`,
        operatorToken.position,
        "unsupported_combination",
      );
    }
    const valueToken = next();
    const value = literalOf(valueToken);
    if (value === undefined) {
      fail(
        `Invalid value at position ${valueToken.position}: expected a double-quoted string, a number, true, false or null`,
        valueToken.position,
      );
    }
    if (
      (operator === "co" || operator === "sw" || operator === "ew") &&
      typeof value !== "string"
    ) {
      fail(
        `Operator '${operator}' needs a string value at position ${valueToken.position}`,
        valueToken.position,
      );
    }
    return {
      kind: "compare",
      path: path.split("."),
      operator: operator as LogFilterOperator,
      value: value as LogFilterLiteral,
    };
  };

  const tree = parseOr();
  const rest = peek();
  if (rest.kind !== "end") {
    fail(
      `Unexpected '${rest.text}' at position ${rest.position}: expected and, or or the end`,
      rest.position,
    );
  }
  return tree;
}

function literalOf(token: Token): LogFilterLiteral | undefined {
  if (token.kind === "string") return token.text;
  if (token.kind !== "word") return undefined;
  const lower = token.text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (NUMBER_SYNTAX.test(token.text)) return Number(token.text);
  return undefined;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === "(" || char === ")") {
      tokens.push({ kind: char, text: char, position: i });
      i += 1;
    } else if (char === '"') {
      const start = i;
      let text = "";
      i += 1;
      for (;;) {
        if (i >= source.length) {
          throw new LogFilterError(
            "invalid_filter",
            `Unterminated string starting at position ${start}`,
            start,
            source,
          );
        }
        const c = source[i] as string;
        if (c === "\\" && i + 1 < source.length) {
          text += source[i + 1];
          i += 2;
        } else if (c === '"') {
          i += 1;
          break;
        } else {
          text += c;
          i += 1;
        }
      }
      tokens.push({ kind: "string", text, position: start });
    } else {
      const start = i;
      while (i < source.length && !/[\s()"]/.test(source[i] as string)) i += 1;
      tokens.push({ kind: "word", text: source.slice(start, i), position: start });
    }
  }
  tokens.push({ kind: "end", text: "the end", position: source.length });
  return tokens;
}
