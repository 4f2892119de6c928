import type {
  CountOperator,
  EventFieldPath,
  FilterExpression,
  StringOperator,
  TargetFieldName,
  TargetPredicate,
} from "./ast.js";

/** The parts of a target element a filter can read. */
export interface FilterableTarget {
  readonly id?: string | null;
  readonly type?: string | null;
  readonly alternateId?: string | null;
  readonly displayName?: string | null;
}

/**
 * The parts of a LogEvent a filter can read. Both LogEvent shapes (delivery and System Log
 * API) fit, and so does a partial or hand-made object: every sub-object may be missing or null.
 */
export interface FilterableEvent {
  readonly eventType: string;
  readonly outcome?: { readonly result?: string | null; readonly reason?: string | null } | null;
  readonly actor?: {
    readonly id?: string | null;
    readonly type?: string | null;
    readonly alternateId?: string | null;
    readonly displayName?: string | null;
  } | null;
  readonly target?: readonly (FilterableTarget | null)[] | null;
  readonly debugContext?: { readonly debugData?: Readonly<Record<string, unknown>> | null } | null;
}

/** Where each event field lives in a LogEvent (note `debugData` sits under `debugContext`). */
const EVENT_FIELD_LOCATIONS: Readonly<Record<EventFieldPath, readonly string[]>> = {
  "event.eventType": ["eventType"],
  "event.outcome.reason": ["outcome", "reason"],
  "event.outcome.result": ["outcome", "result"],
  "event.actor.id": ["actor", "id"],
  "event.actor.type": ["actor", "type"],
  "event.actor.alternateId": ["actor", "alternateId"],
  "event.actor.displayName": ["actor", "displayName"],
  "event.debugData.changedAttributes": ["debugContext", "debugData", "changedAttributes"],
};

/**
 * Whether `event` passes the filter. Comparisons are case-sensitive; a field that is missing,
 * null or not a string equals no literal (`eq` is false, `ne` is true); a missing or non-array
 * `target` is an empty list and non-object elements never match. Never throws on odd data,
 * so it is safe on untrusted JSON.
 *
 * @example
 * const filter = parseFilter("event.target.?[type eq 'UserGroup'].size() > 0");
 * evaluateFilter(filter, event); // true when some target is a group
 */
export function evaluateFilter(expression: FilterExpression, event: FilterableEvent): boolean {
  switch (expression.kind) {
    case "and":
      return expression.operands.every((operand) => evaluateFilter(operand, event));
    case "or":
      return expression.operands.some((operand) => evaluateFilter(operand, event));
    case "field":
      return compareString(
        readPath(event, EVENT_FIELD_LOCATIONS[expression.field]),
        expression.operator,
        expression.value,
      );
    case "targetSelection": {
      const targets = readPath(event, ["target"]);
      const list = Array.isArray(targets) ? targets : [];
      const size = list.filter((target) => matchesTarget(expression.predicate, target)).length;
      return compareCount(size, expression.operator, expression.count);
    }
    default:
      return unreachable(expression);
  }
}

function matchesTarget(predicate: TargetPredicate, target: unknown): boolean {
  if (!isRecord(target)) return false;
  switch (predicate.kind) {
    case "and":
      return predicate.operands.every((operand) => matchesTarget(operand, target));
    case "or":
      return predicate.operands.some((operand) => matchesTarget(operand, target));
    case "targetField":
      return compareString(readField(target, predicate.field), predicate.operator, predicate.value);
    default:
      return unreachable(predicate);
  }
}

function readField(target: Record<string, unknown>, field: TargetFieldName): unknown {
  return Object.hasOwn(target, field) ? target[field] : undefined;
}

/** Walks own properties only, so `__proto__` or `constructor` in data cannot leak in. */
function readPath(root: unknown, path: readonly string[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function compareString(actual: unknown, operator: StringOperator, expected: string): boolean {
  const equal = typeof actual === "string" && actual === expected;
  return operator === "eq" ? equal : !equal;
}

function compareCount(size: number, operator: CountOperator, count: number): boolean {
  switch (operator) {
    case ">":
      return size > count;
    case ">=":
      return size >= count;
    case "<":
      return size < count;
    case "<=":
      return size <= count;
    case "==":
      return size === count;
    case "!=":
      return size !== count;
    default:
      return unreachable(operator);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A node kind the types say cannot exist: only a hand-built, malformed tree gets here. */
function unreachable(value: never): never {
  const node: unknown = value;
  const kind = isRecord(node) ? String(node.kind) : typeof node;
  throw new TypeError(`Malformed filter expression node (kind ${kind})`);
}
