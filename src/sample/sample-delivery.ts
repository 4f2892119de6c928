import { buildDelivery, buildLogEvent, type Delivery } from "../okta/index.js";

/** Options of {@link sampleDelivery}. */
export interface SampleDeliveryOptions {
  /**
   * Event type of every event in the batch.
   * @default "user.lifecycle.create"
   */
  eventType?: string;
  /**
   * Logins (`alternateId`) of the target users, one event per user, in order.
   * @default ["john.doe@example.com"]
   */
  users?: readonly string[];
  /**
   * The delivery's `eventId` (a UUID).
   * @default a random v4 UUID
   */
  eventId?: string;
}

/** The hook and org the sample deliveries claim to come from (Okta's documentation values). */
export const SAMPLE_HOOK_ID = "who8vt36qfNpCGz9H1e6";
export const SAMPLE_ORG_URL = "https://dev-123456.okta.com";

/**
 * A delivery shaped like the ones Okta sends when an admin creates (or deactivates) users in
 * the Admin Console, built with the okta module's builders: the envelope, one LogEvent per user
 * with a `User` target whose display name follows the login (`john.doe@…` → `John Doe`).
 * About 2 KB of compact JSON for one event. Ids are fresh on every call.
 *
 * @example
 * const body = JSON.stringify(sampleDelivery({ users: ["ada@example.com", "bob@example.com"] }));
 */
export function sampleDelivery(options: SampleDeliveryOptions = {}): Delivery {
  const eventType = options.eventType ?? "user.lifecycle.create";
  const users = options.users ?? ["john.doe@example.com"];
  const events = users.map((login) =>
    buildLogEvent(eventType, {
      target: [{ type: "User", alternateId: login, displayName: displayNameOf(login) }],
    }),
  );
  return buildDelivery(events, {
    hookId: SAMPLE_HOOK_ID,
    orgUrl: SAMPLE_ORG_URL,
    ...(options.eventId === undefined ? {} : { eventId: options.eventId }),
  });
}

/** `john.doe@example.com` → `John Doe`, the way the Admin Console shows a new user. */
function displayNameOf(login: string): string {
  const local = login.split("@")[0] ?? login;
  return local
    .split(/[._-]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join(" ");
}
