/**
 * The user an event is about, read defensively: Okta's guides read
 * `data.events[0].target[0].alternateId` and crash on anything else; deliveries edited by hand (or
 * by the Admin Console's Preview) may have no target at all.
 */

/**
 * The `alternateId` (login) of the event's `User` target, else of its first target; `null` when
 * the event has no target, an empty one, or a target without a string `alternateId`.
 *
 * @example
 * userAlternateIdOf({ target: [{ type: "AppInstance", alternateId: "Okta Admin Console" },
 *   { type: "User", alternateId: "john.doe@example.com" }] }); // "john.doe@example.com"
 * userAlternateIdOf({ target: [] }); // null
 */
export function userAlternateIdOf(event: { target?: unknown }): string | null {
  const targets = Array.isArray(event.target) ? event.target.filter(isObject) : [];
  const target = targets.find((t) => t.type === "User") ?? targets[0];
  const id = target?.alternateId;
  return typeof id === "string" && id !== "" ? id : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
