import type { FilterableEvent } from "./evaluate.js";
import { evaluateFilter } from "./evaluate.js";
import { parseFilter } from "./parser.js";

/**
 * Parses `source` once and returns a predicate to run on many events. Throws
 * `FilterSyntaxError` right away when the source does not parse, so a bad filter is reported
 * when it is configured, not when the first event arrives.
 *
 * @example
 * const isSalesGroup = compileFilter("event.target.?[displayName eq 'Sales'].size() > 0");
 * events.filter(isSalesGroup);
 */
export function compileFilter(source: string): (event: FilterableEvent) => boolean {
  const expression = parseFilter(source);
  return function matchesFilter(event: FilterableEvent): boolean {
    return evaluateFilter(expression, event);
  };
}
