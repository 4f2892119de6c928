/**
 * How the CLI prints a delivery the org made (trigger, preview): one line per delivery, the
 * response body's first line under it.
 */
import type { DeliveryView } from "../emulator/index.js";

const BODY_PREVIEW = 200;

/** `→ hook "name" (who…) http://… : 200 in 12 ms` and the body. */
export function deliveryLines(view: DeliveryView): string[] {
  const head = `  → hook "${view.hookName}" (${view.hookId}) ${view.url}`;
  const events = `    events: ${view.eventTypes.join(", ")}`;
  if (view.response === null) {
    return [head, events, `    failed: ${view.failure?.message ?? "no response"}`];
  }
  const { status, durationMs, body } = view.response;
  const verdict =
    view.outcome === "success" ? "" : " (failed: Okta would retry a 5xx or a timeout, not a 4xx)";
  const lines = [head, events, `    answered ${status} in ${Math.round(durationMs)} ms${verdict}`];
  if (body !== null && body !== "") {
    const oneLine = body.replace(/\s+/g, " ").trim();
    lines.push(
      `    body: ${oneLine.length > BODY_PREVIEW ? `${oneLine.slice(0, BODY_PREVIEW)}…` : oneLine}`,
    );
  }
  return lines;
}
