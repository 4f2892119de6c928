import type { Delivery } from "../okta/index.js";
import { DELIVERY_EVENT_TYPE } from "../okta/index.js";

/** Why a body is not a delivery: the `error` code the receiver answers with (all 400). */
export type InvalidDeliveryCode = "invalid_encoding" | "invalid_json" | "invalid_delivery";

/** Thrown by {@link parseDelivery}; `message` says exactly what is wrong with the body. */
export class InvalidDeliveryError extends Error {
  override readonly name = "InvalidDeliveryError";
  readonly code: InvalidDeliveryCode;

  constructor(code: InvalidDeliveryCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

// Top-level LogEvent fields Okta declares nullable; older deliveries (2019) omit some of them
// (`device`, `insertionTimestamp`), so a missing one is filled with `null` to make the types true.
const NULLABLE_EVENT_FIELDS = [
  "displayMessage",
  "client",
  "device",
  "outcome",
  "target",
  "transaction",
  "debugContext",
  "legacyEventType",
  "authenticationContext",
  "securityContext",
  "insertionTimestamp",
] as const;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses and validates an event hook delivery body (shared spec §1.3). Checks only what a
 * receiver relies on — a JSON object, `eventType` `"com.okta.event_hook"`, a non-empty string
 * `eventId`, and `data.events` a non-empty array of objects with a string `eventType` and a
 * non-empty string `uuid` — and tolerates everything else: unknown keys, `null` or missing
 * sub-objects, the IP chain under `client` or `request` (read it with `ipChainOf` from the
 * okta module). Missing nullable top-level event fields are set to `null`.
 *
 * @throws {InvalidDeliveryError} with code `invalid_encoding` (not UTF-8), `invalid_json`
 * or `invalid_delivery` (not an envelope), and a message naming the offending field.
 *
 * @example
 * const delivery = parseDelivery(bodyBytes);
 * for (const event of delivery.data.events) console.log(event.eventType, event.uuid);
 */
export function parseDelivery(body: Uint8Array | string): Delivery {
  let text: string;
  if (typeof body === "string") {
    text = body;
  } else {
    try {
      text = utf8.decode(body);
    } catch (error) {
      throw new InvalidDeliveryError("invalid_encoding", "body is not valid UTF-8", {
        cause: error,
      });
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? `: ${error.message}` : "";
    throw new InvalidDeliveryError("invalid_json", `body is not valid JSON${reason}`, {
      cause: error,
    });
  }
  return validateEnvelope(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(message: string): InvalidDeliveryError {
  return new InvalidDeliveryError("invalid_delivery", message);
}

function describe(value: unknown): string {
  if (value === undefined) return "it is missing";
  const json = JSON.stringify(value);
  return `got ${json.length > 80 ? `${json.slice(0, 80)}…` : json}`;
}

function validateEnvelope(value: unknown): Delivery {
  if (!isObject(value)) throw invalid("body must be a JSON object");
  if (value.eventType !== DELIVERY_EVENT_TYPE) {
    throw invalid(`eventType must be "${DELIVERY_EVENT_TYPE}", ${describe(value.eventType)}`);
  }
  if (typeof value.eventId !== "string" || value.eventId.length === 0) {
    throw invalid(`eventId must be a non-empty string, ${describe(value.eventId)}`);
  }
  const data = value.data;
  if (!isObject(data)) throw invalid(`data must be an object, ${describe(data)}`);
  const events = data.events;
  if (!Array.isArray(events) || events.length === 0) {
    throw invalid("data.events must be a non-empty array");
  }
  events.forEach((event: unknown, index) => {
    if (!isObject(event)) throw invalid(`data.events[${index}] must be an object`);
    if (typeof event.eventType !== "string") {
      throw invalid(
        `data.events[${index}].eventType must be a string, ${describe(event.eventType)}`,
      );
    }
    if (typeof event.uuid !== "string" || event.uuid.length === 0) {
      throw invalid(
        `data.events[${index}].uuid must be a non-empty string, ${describe(event.uuid)}`,
      );
    }
    for (const field of NULLABLE_EVENT_FIELDS) {
      if (event[field] === undefined) event[field] = null;
    }
  });
  return value as unknown as Delivery;
}
