/**
 * Read access to Okta's catalog of event-hook-eligible event types (shared spec §6, Appendix A).
 * The data is the generated `catalog-data.ts`; this file adds lookups, grouping and the target
 * types of each event type.
 */
import { EVENT_HOOK_ELIGIBLE_TYPES, type EventHookEligibleType } from "./catalog-data.js";
import { resolveTargetTypes } from "./target-types.js";

/** One event-hook-eligible event type, as the catalog describes it. */
export interface EventTypeInfo {
  /** The event type id, e.g. `user.lifecycle.create`. */
  readonly id: EventHookEligibleType;
  /** The catalog's full description (several sentences for newer types). */
  readonly description: string;
  /** The first sentence of {@link description} without its period: the usual `displayMessage`. */
  readonly summary: string;
  /** Catalog category, e.g. `core-identity`, `iga-access-request`. */
  readonly category: string;
  /** The Okta release that introduced the type, e.g. `2016.02` or `2024.06.1`. */
  readonly release: string;
  /** The catalog's beta flag. */
  readonly beta: boolean;
  /** Only fired in Identity Engine orgs (the catalog tag `oie-only`). */
  readonly oieOnly: boolean;
  /** Catalog tags except `event-hook-eligible` (which every entry has). */
  readonly tags: readonly string[];
  /** Catalog schema hints: names of Okta's detail schemas, not wire types. */
  readonly schema: {
    readonly actor: string | null;
    /** Detail schema names such as `ResourceDetails`; see {@link targetTypes} for `LogTarget.type`s. */
    readonly targets: readonly string[];
    readonly debugData: string | null;
    /** Whether targets may carry `changeDetails`. */
    readonly changeDetails: boolean;
  };
  /** The `LogTarget.type`s an event of this type carries, e.g. `["User", "UserGroup"]`. */
  readonly targetTypes: readonly string[];
}

const INFOS: readonly EventTypeInfo[] = Object.freeze(
  EVENT_HOOK_ELIGIBLE_TYPES.map((entry) =>
    Object.freeze({
      id: entry.id,
      description: entry.description,
      summary: firstSentence(entry.description),
      category: entry.category,
      release: entry.release,
      beta: entry.beta,
      oieOnly: (entry.tags as readonly string[]).includes("oie-only"),
      tags: Object.freeze([...entry.tags]),
      schema: Object.freeze({ ...entry.schema, targets: Object.freeze([...entry.schema.targets]) }),
      targetTypes: Object.freeze(resolveTargetTypes(entry.id, entry.schema.targets)),
    }),
  ),
);

const BY_ID: ReadonlyMap<string, EventTypeInfo> = new Map(INFOS.map((info) => [info.id, info]));

const BY_CATEGORY: ReadonlyMap<string, readonly EventTypeInfo[]> = (() => {
  const groups = new Map<string, EventTypeInfo[]>();
  for (const info of INFOS) groups.set(info.category, [...(groups.get(info.category) ?? []), info]);
  const sorted = [...groups.keys()].sort();
  return new Map(sorted.map((category) => [category, Object.freeze(groups.get(category) ?? [])]));
})();

/** `"Access request canceled. Can be used…"` → `"Access request canceled"`. */
function firstSentence(text: string): string {
  const match = /^(.*?)\.(?:\s|$)/.exec(text);
  return (match?.[1] ?? text).trim();
}

/**
 * Whether Okta can deliver events of this type to an event hook (the catalog tag
 * `event-hook-eligible`). Narrows the type.
 *
 * @example
 * isEventHookEligible("user.lifecycle.create"); // true
 * isEventHookEligible("user.lifecycle.delete.completed"); // false: System Log only
 */
export function isEventHookEligible(type: string): type is EventHookEligibleType {
  return BY_ID.has(type);
}

/**
 * The catalog entry of an eligible event type, or `undefined` for any other string.
 *
 * @example
 * describeEventType("group.user_membership.add")?.summary; // "Add user to group membership"
 */
export function describeEventType(type: string): EventTypeInfo | undefined {
  return BY_ID.get(type);
}

/**
 * Every eligible event type (314 in release 2026.08.1), sorted by id.
 *
 * @example
 * listEventTypes().filter((t) => t.oieOnly).length; // 15
 */
export function listEventTypes(): readonly EventTypeInfo[] {
  return INFOS;
}

/**
 * Eligible event types grouped by catalog category. Categories iterate in alphabetical order;
 * inside each, types are sorted by id.
 *
 * @example
 * listEventTypesByCategory().get("core-identity")?.map((t) => t.id);
 */
export function listEventTypesByCategory(): ReadonlyMap<string, readonly EventTypeInfo[]> {
  return BY_CATEGORY;
}

/**
 * The catalog categories that hold at least one eligible type, sorted.
 *
 * @example
 * eventTypeCategories().includes("core-identity"); // true
 */
export function eventTypeCategories(): string[] {
  return [...BY_CATEGORY.keys()];
}

/**
 * The `LogTarget.type`s an event of this type carries, in the order the builder emits them.
 * Works for any type string: eligible types use the catalog's hints as a fallback, other types
 * (e.g. `event_hook.verified`) only the rule table in `target-types.ts`.
 *
 * @example
 * targetTypesOf("group.user_membership.add"); // ["User", "UserGroup"]
 */
export function targetTypesOf(type: string): string[] {
  const info = BY_ID.get(type);
  return info === undefined ? resolveTargetTypes(type, []) : [...info.targetTypes];
}
