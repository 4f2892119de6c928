/**
 * Checks of what callers hand the delivery engine: a bad hook or event is a programming error
 * of the caller, reported as a `TypeError` before anything is queued.
 */
import type { AnyLogEvent } from "../../okta/index.js";
import type { DeliveryHook } from "./engine-types.js";

const HOOK_ID = /^[A-Za-z0-9_-]+$/;

/**
 * @throws {TypeError} unless `hook` has an id of Okta's alphabet and a string `channel.uri`.
 * @example
 * checkHook({ id: "who8vt36qfNpCGz9H1e6", channel: { uri: "http://127.0.0.1:3000/hook" } });
 */
export function checkHook(hook: DeliveryHook): void {
  if (
    typeof hook !== "object" ||
    hook === null ||
    typeof hook.id !== "string" ||
    !HOOK_ID.test(hook.id)
  ) {
    throw new TypeError(
      `delivery: hook.id must be an event hook id, got ${JSON.stringify(hook?.id)}`,
    );
  }
  const channel = hook.channel as unknown;
  if (typeof channel !== "object" || channel === null || typeof hook.channel.uri !== "string") {
    throw new TypeError(`delivery: hook ${hook.id} has no channel.uri`);
  }
}

/**
 * @throws {TypeError} unless `event` is an object with a string `uuid` and `eventType`.
 * @example
 * checkEvent(buildLogEvent("user.lifecycle.create"));
 */
export function checkEvent(event: AnyLogEvent): void {
  const e = event as unknown as Record<string, unknown> | null;
  if (
    typeof e !== "object" ||
    e === null ||
    typeof e.uuid !== "string" ||
    typeof e.eventType !== "string"
  ) {
    throw new TypeError("delivery: an event must be a LogEvent with a string uuid and eventType");
  }
}
