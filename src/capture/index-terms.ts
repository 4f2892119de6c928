/**
 * The derived facts a list filter looks up, computed from the bytes the same way for both
 * stores: the Okta event types and target users of a delivery (the SQLite store keeps them in
 * index tables, the memory store computes them on demand).
 */
import { asciiLower } from "./list-query.js";
import { deriveOktaView } from "./okta-view.js";
import type { Exchange } from "./types.js";

/** What the `oktaEventType` and `targetUser` filters match against. */
export interface IndexTerms {
  /** Distinct event types of the delivery's events; empty for anything but a delivery. */
  eventTypes: string[];
  /** Distinct lower-cased (ASCII) ids and alternateIds of its `User` targets. */
  users: string[];
}

/**
 * The index terms of an exchange (only its request counts).
 *
 * @example
 * indexTermsOf(exchange); // { eventTypes: ["user.lifecycle.create"], users: ["00u1", "jane@example.com"] }
 */
export function indexTermsOf(exchange: Exchange): IndexTerms {
  const view = deriveOktaView(exchange);
  if (view.kind !== "delivery") return { eventTypes: [], users: [] };
  const users = new Set<string>();
  for (const user of view.targetUsers) {
    users.add(asciiLower(user.id));
    if (user.alternateId !== null && user.alternateId !== "")
      users.add(asciiLower(user.alternateId));
  }
  return { eventTypes: view.eventTypes, users: [...users] };
}
