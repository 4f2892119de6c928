/**
 * @module
 * Event hook filters (early access, shared spec §5.7): the subset of the Okta Expression
 * Language Okta accepts in `events.filter.eventFilterMap[].condition.expression`, as a
 * tokenizer, a parser to a plain tree, an evaluator over LogEvents and a formatter.
 */
export type {
  AndNode,
  CountOperator,
  EventFieldPath,
  FieldComparison,
  FilterExpression,
  OrNode,
  StringOperator,
  TargetFieldComparison,
  TargetFieldName,
  TargetPredicate,
  TargetSelection,
} from "./ast.js";
export { EVENT_FIELD_PATHS, TARGET_FIELD_NAMES } from "./ast.js";
export { compileFilter } from "./compile.js";
export type { FilterSyntaxErrorDetails } from "./errors.js";
export { FilterSyntaxError } from "./errors.js";
export type { FilterableEvent, FilterableTarget } from "./evaluate.js";
export { evaluateFilter } from "./evaluate.js";
export { formatFilter } from "./format.js";
export { MAX_FILTER_NESTING, parseFilter } from "./parser.js";
