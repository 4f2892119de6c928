/**
 * Evaluates System Log filters (parsed by log-filter-parse.ts) on stored LogEvents.
 *
 * Semantics where Okta is silent (our choices): string comparisons are case-sensitive; a path
 * through an array (`target.id`) matches when any element matches, and `ne` is the negation of
 * `eq` (no element equals); a missing attribute equals nothing; `pr` means present, not null
 * and not empty; `gt`/`ge`/`lt`/`le` compare numbers as numbers, `published` and other
 * ISO-8601 timestamps as instants, and other strings by code units.
 */
import {
  type LogFilterLiteral,
  type LogFilterNode,
  type LogFilterOperator,
  parseLogFilter,
} from "./log-filter-parse.js";

/** A predicate over LogEvents (either shape, or any JSON object). */
export type LogFilterPredicate = (event: unknown) => boolean;

/**
 * Parses `expression` once and returns a predicate to run on many events.
 *
 * @throws {LogFilterError} when the expression does not parse, naming the position.
 * @example
 * const failedSignIns = compileLogFilter('eventType eq "user.session.start" and outcome.result eq "FAILURE"');
 * events.filter(failedSignIns);
 */
export function compileLogFilter(expression: string): LogFilterPredicate {
  const tree = parseLogFilter(expression);
  return function matchesLogFilter(event: unknown): boolean {
    return evaluate(tree, event);
  };
}

function evaluate(node: LogFilterNode, event: unknown): boolean {
  switch (node.kind) {
    case "and":
      return node.operands.every((operand) => evaluate(operand, event));
    case "or":
      return node.operands.some((operand) => evaluate(operand, event));
    case "not":
      return !evaluate(node.operand, event);
    case "present":
      return valuesAt(event, node.path).some(
        (value) => value !== null && value !== "" && !(Array.isArray(value) && value.length === 0),
      );
    case "compare": {
      const values = valuesAt(event, node.path);
      if (node.operator === "ne") return !values.some((value) => equals(value, node.value));
      return values.some((value) => compare(value, node.operator, node.value, node.path));
    }
  }
}

/** The values at `path`, descending into every element of the arrays met on the way. */
function valuesAt(root: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [root];
  for (const key of path) {
    const next: unknown[] = [];
    for (const value of current) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === "object" && item !== null && Object.hasOwn(item, key)) {
          next.push((item as Record<string, unknown>)[key]);
        }
      }
    }
    current = next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value]));
}

function equals(value: unknown, literal: LogFilterLiteral): boolean {
  return value === literal;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function compare(
  value: unknown,
  operator: LogFilterOperator,
  literal: LogFilterLiteral,
  path: readonly string[],
): boolean {
  switch (operator) {
    case "eq":
      return equals(value, literal);
    case "ne":
      return !equals(value, literal);
    case "co":
      return typeof value === "string" && value.includes(literal as string);
    case "sw":
      return typeof value === "string" && value.startsWith(literal as string);
    case "ew":
      return typeof value === "string" && value.endsWith(literal as string);
    default: {
      const order = ordering(value, literal, path);
      if (order === null) return false;
      if (operator === "gt") return order > 0;
      if (operator === "ge") return order >= 0;
      if (operator === "lt") return order < 0;
      return order <= 0;
    }
  }
}

/** Sign of `value - literal`, or `null` when the two do not compare. */
function ordering(
  value: unknown,
  literal: LogFilterLiteral,
  path: readonly string[],
): number | null {
  if (typeof value === "number" && typeof literal === "number") return Math.sign(value - literal);
  if (typeof value !== "string" || typeof literal !== "string") return null;
  const timed =
    path.join(".") === "published" || (ISO_INSTANT.test(value) && ISO_INSTANT.test(literal));
  if (timed) {
    const a = Date.parse(value);
    const b = Date.parse(literal);
    if (Number.isNaN(a) || Number.isNaN(b)) return null;
    return Math.sign(a - b);
  }
  return value < literal ? -1 : value > literal ? 1 : 0;
}
