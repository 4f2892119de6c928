/**
 * A stored hook as Okta's EventHook object (shared spec §5.2–5.4): Okta's key order, second
 * precision timestamps, `authScheme.value` left out (write-only), `_links` by status exactly as
 * the recorded traffic shows them.
 */
import type { EventHook, HalLink } from "../../okta/index.js";
import type { StoredEventHook } from "../store/types.js";

/** `2025-03-13T23:36:13.000Z` from epoch milliseconds (whole seconds, as Okta). */
export function oktaTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

function lifecycle(href: string, method: string): HalLink {
  return { href, hints: { allow: [method] } };
}

/**
 * `ACTIVE`: self, verify, deactivate. `INACTIVE`: activate, self, delete (in that order, as in
 * the recorded responses).
 */
export function eventHookLinks(hook: StoredEventHook, orgUrl: string): Record<string, HalLink> {
  const self = `${orgUrl}/api/v1/eventHooks/${hook.id}`;
  if (hook.status === "ACTIVE") {
    return {
      self: { href: self },
      verify: lifecycle(`${self}/lifecycle/verify`, "POST"),
      deactivate: lifecycle(`${self}/lifecycle/deactivate`, "POST"),
    };
  }
  return {
    activate: lifecycle(`${self}/lifecycle/activate`, "POST"),
    self: { href: self },
    delete: lifecycle(self, "DELETE"),
  };
}

/**
 * The EventHook object Okta returns for `hook`.
 *
 * @example
 * toEventHookJson(hook, "http://127.0.0.1:7070").channel.config.authScheme; // { type: "HEADER", key: "Authorization" }
 */
export function toEventHookJson(hook: StoredEventHook, orgUrl: string): EventHook {
  const { config } = hook.channel;
  return {
    id: hook.id,
    status: hook.status,
    verificationStatus: hook.verificationStatus,
    name: hook.name,
    description: hook.description,
    created: oktaTimestamp(hook.createdAt),
    createdBy: hook.createdBy,
    lastUpdated: oktaTimestamp(hook.lastUpdatedAt),
    events: {
      type: hook.events.type,
      items: [...hook.events.items],
      filter: hook.events.filter,
    },
    channel: {
      type: hook.channel.type,
      version: hook.channel.version,
      config: {
        uri: config.uri,
        headers: config.headers.map((h) => ({ key: h.key, value: h.value })),
        method: "POST",
        authScheme:
          config.authScheme === null
            ? null
            : { type: config.authScheme.type, key: config.authScheme.key },
      },
    },
    _links: eventHookLinks(hook, orgUrl),
  };
}
