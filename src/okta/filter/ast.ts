/**
 * The parsed form of an event hook filter (shared spec §5.7): plain, JSON-serialisable data,
 * a discriminated union on `kind`. Nodes carry no source positions so that equal expressions
 * compare equal whatever their spacing.
 */

/** Fields an event-level comparison may read, spelled as in the filter source. */
export const EVENT_FIELD_PATHS = [
  "event.eventType",
  "event.outcome.reason",
  "event.outcome.result",
  "event.actor.id",
  "event.actor.type",
  "event.actor.alternateId",
  "event.actor.displayName",
  "event.debugData.changedAttributes",
] as const;

/** One of {@link EVENT_FIELD_PATHS}. */
export type EventFieldPath = (typeof EVENT_FIELD_PATHS)[number];

/** Bare names that refer to the current element inside `event.target.?[ … ]`. */
export const TARGET_FIELD_NAMES = ["id", "type", "alternateId", "displayName"] as const;

/** One of {@link TARGET_FIELD_NAMES}. */
export type TargetFieldName = (typeof TARGET_FIELD_NAMES)[number];

/** String comparison: case-sensitive equality. */
export type StringOperator = "eq" | "ne";

/**
 * Comparison of `.size()` with an integer, in canonical (symbolic) spelling; the parser also
 * accepts `eq`, `ne`, `gt`, `ge`, `lt` and `le` and stores them as their symbols.
 */
export type CountOperator = ">" | ">=" | "<" | "<=" | "==" | "!=";

/** `a && b && …` (at least two operands). */
export interface AndNode<T> {
  kind: "and";
  operands: T[];
}

/** `a || b || …` (at least two operands). */
export interface OrNode<T> {
  kind: "or";
  operands: T[];
}

/** `event.actor.alternateId eq 'jane@example.com'`. */
export interface FieldComparison {
  kind: "field";
  field: EventFieldPath;
  operator: StringOperator;
  value: string;
}

/** `event.target.?[ predicate ].size() > 0`. */
export interface TargetSelection {
  kind: "targetSelection";
  predicate: TargetPredicate;
  operator: CountOperator;
  count: number;
}

/** `type eq 'UserGroup'` inside a target selection. */
export interface TargetFieldComparison {
  kind: "targetField";
  field: TargetFieldName;
  operator: StringOperator;
  value: string;
}

/** A condition over one element of `event.target`. */
export type TargetPredicate =
  | AndNode<TargetPredicate>
  | OrNode<TargetPredicate>
  | TargetFieldComparison;

/**
 * A parsed event hook filter expression. Build it with `parseFilter`, run it with
 * `evaluateFilter`, print it back with `formatFilter`.
 */
export type FilterExpression =
  | AndNode<FilterExpression>
  | OrNode<FilterExpression>
  | FieldComparison
  | TargetSelection;
