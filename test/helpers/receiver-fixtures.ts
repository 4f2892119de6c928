/**
 * The real Okta captures of test/fixtures/okta/okta-deliveries, shaped for receiver tests,
 * and builders of synthetic deliveries on top of the okta module's builders.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DeliveryLogEvent } from "../../src/okta/index.js";
import { buildDelivery, buildLogEvent, serializeDelivery } from "../../src/okta/index.js";

const DELIVERIES_DIR = fileURLToPath(new URL("../fixtures/okta/okta-deliveries/", import.meta.url));

// Headers fetch sets itself (or refuses to set): the rest of a capture is sent as captured.
const HEADERS_FETCH_OWNS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
]);

/** A delivery captured behind an AWS ALB (alb-*.json): what Okta put on the wire. */
export interface AlbCapture {
  /** File name without `.json`. */
  name: string;
  method: string;
  path: string;
  /** Every captured header except those fetch owns. */
  headers: Record<string, string>;
  /** The body exactly as Okta sent it. */
  body: string;
  /** The captured `authorization` value (Okta's configured secret). */
  authorization: string;
}

/** One LogEvent of a real delivery, from an SNS record (sns-*.json). */
export interface SnsCapture {
  name: string;
  /** The LogEvent JSON exactly as captured. */
  eventJson: string;
}

function fixtureFiles(prefix: string): string[] {
  return readdirSync(DELIVERIES_DIR)
    .filter((file) => file.startsWith(prefix) && file.endsWith(".json"))
    .sort();
}

/**
 * Every alb-*.json capture.
 *
 * @example
 * for (const { method, headers, body } of loadAlbCaptures()) await fetch(url, { method, headers, body });
 */
export function loadAlbCaptures(): AlbCapture[] {
  return fixtureFiles("alb-").map((file) => {
    const raw = JSON.parse(readFileSync(join(DELIVERIES_DIR, file), "utf8")) as {
      httpMethod: string;
      path: string;
      headers: Record<string, string>;
      body: string;
    };
    const headers = Object.fromEntries(
      Object.entries(raw.headers).filter(([name]) => !HEADERS_FETCH_OWNS.has(name.toLowerCase())),
    );
    const authorization = raw.headers.authorization;
    if (authorization === undefined) throw new Error(`${file} has no authorization header`);
    return {
      name: file.replace(/\.json$/, ""),
      method: raw.httpMethod,
      path: raw.path,
      headers,
      body: raw.body,
      authorization,
    };
  });
}

/**
 * Every sns-*.json capture (one LogEvent each).
 *
 * @example
 * const body = envelopeOf([loadSnsCaptures()[0].eventJson]);
 */
export function loadSnsCaptures(): SnsCapture[] {
  return fixtureFiles("sns-").map((file) => {
    const raw = JSON.parse(readFileSync(join(DELIVERIES_DIR, file), "utf8")) as {
      Records: { Sns: { Message: string } }[];
    };
    const message = raw.Records[0]?.Sns.Message;
    if (message === undefined) throw new Error(`${file} has no SNS message`);
    return { name: file.replace(/\.json$/, ""), eventJson: message };
  });
}

/**
 * A delivery body wrapping already-serialized LogEvents byte for byte, in Okta's envelope.
 *
 * @example
 * envelopeOf(['{"uuid":"…","eventType":"user.lifecycle.create"}'], crypto.randomUUID());
 */
export function envelopeOf(eventJsons: readonly string[], eventId: string): string {
  return (
    '{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1",' +
    '"source":"https://dev-123456.okta.com/api/v1/eventHooks/who8vt36qfNpCGz9H1e6",' +
    `"eventId":${JSON.stringify(eventId)},"data":{"events":[${eventJsons.join(",")}]},` +
    '"eventTime":"2019-10-24T14:21:37.009Z","contentType":"application/json"}'
  );
}

/**
 * A realistic delivery body (okta builders) with the given events; fresh `eventId` unless given.
 *
 * @example
 * const { body, events } = syntheticDelivery(["user.lifecycle.create"]);
 */
export function syntheticDelivery(
  types: readonly string[],
  eventId?: string,
): { body: string; eventId: string; events: DeliveryLogEvent[] } {
  const events = types.map((type) => buildLogEvent(type));
  const delivery = buildDelivery(events, {
    hookId: "who8vt36qfNpCGz9H1e6",
    orgUrl: "https://dev-123456.okta.com",
    ...(eventId === undefined ? {} : { eventId }),
  });
  return {
    body: serializeDelivery(delivery),
    eventId: delivery.eventId,
    events: delivery.data.events,
  };
}

/** The alternateId of an event's first `User` target. */
export function userAlternateIdOf(event: DeliveryLogEvent): string | null | undefined {
  return event.target?.find((target) => target.type === "User")?.alternateId;
}
