/**
 * Which hooks get an event (shared spec §4, §5.7): `ACTIVE` and `VERIFIED` hooks subscribed to
 * its type whose filter for that type, if any, passes.
 */
import {
  compileFilter,
  type EventHookFilters,
  type EventHookStatus,
  type EventHookVerificationStatus,
  type FilterableEvent,
} from "../../okta/index.js";

/** The parts of an EventHook that routing reads. */
export interface RoutableHook {
  status: EventHookStatus;
  verificationStatus: EventHookVerificationStatus;
  events: {
    type: "EVENT_TYPE";
    items: readonly string[];
    filter?: EventHookFilters | null;
  };
}

type Predicate = (event: FilterableEvent) => boolean;

/** Compiled filters by source; a hook's filter is parsed once, not once per event. */
const compiled = new Map<string, Predicate>();
const COMPILED_CACHE_LIMIT = 1_000;
const NEVER: Predicate = () => false;

/**
 * Whether `hook` receives `event`. A filter expression that does not parse matches nothing
 * (the API refuses such filters; a stored one must fail closed, never deliver everything).
 *
 * @example
 * hookMatchesEvent(hook, event); // true for an ACTIVE, VERIFIED hook subscribed to event.eventType
 */
export function hookMatchesEvent(hook: RoutableHook, event: FilterableEvent): boolean {
  if (hook.status !== "ACTIVE" || hook.verificationStatus !== "VERIFIED") return false;
  if (!hook.events.items.includes(event.eventType)) return false;
  return passesFilter(hook.events.filter ?? null, event);
}

/**
 * Whether `event` passes the hook's filter for its type; `true` when there is none (what
 * Preview uses is the opposite: it ignores filters altogether).
 *
 * @example
 * passesFilter(hook.events.filter, event);
 */
export function passesFilter(filter: EventHookFilters | null, event: FilterableEvent): boolean {
  if (filter === null) return true;
  const entry = filter.eventFilterMap.find((item) => item.event === event.eventType);
  if (entry === undefined) return true;
  return predicateOf(entry.condition.expression)(event);
}

function predicateOf(expression: string): Predicate {
  let predicate = compiled.get(expression);
  if (predicate === undefined) {
    try {
      predicate = compileFilter(expression);
    } catch {
      predicate = NEVER;
    }
    if (compiled.size >= COMPILED_CACHE_LIMIT) compiled.clear();
    compiled.set(expression, predicate);
  }
  return predicate;
}
