/**
 * Holds the builders against every real Okta delivery in test/fixtures/okta/okta-deliveries/:
 * `buildLogEvent(<the capture's eventType>)` wrapped by `buildDelivery` must have the capture's
 * keys, in the capture's order, with the same JSON value types (json-shape.ts states the rule):
 * - the 2021 capture (alb-event-user-update-profile.json) has Okta's modern shape: identical
 *   key lists at every level ("exact");
 * - the 2019 captures predate keys Okta added later (device, insertionTimestamp, detailEntry,
 *   reason, client.id, …): every key they have appears in the generated event in the same
 *   relative order, with the same type ("subset");
 * - the envelope keys of every ALB capture match exactly.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildDelivery, serializeDelivery } from "../../../src/okta/build-delivery.js";
import { buildLogEvent } from "../../../src/okta/build-log-event.js";
import { isCompactJson, type ShapeMode, shapeDifferences } from "./json-shape.js";

const DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "fixtures",
  "okta",
  "okta-deliveries",
);
/** Captures with Okta's full modern event shape; all others are from 2019. */
const MODERN = new Set(["alb-event-user-update-profile.json"]);

const UUID_V1 = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Capture {
  file: string;
  mode: ShapeMode;
  /** The ALB body, parsed; undefined for SNS captures. */
  body?: { source: string; data: { events: { eventType: string }[] } } & Record<string, unknown>;
  rawBody?: string;
  /** The LogEvent the capture holds. */
  event: { eventType: string } & Record<string, unknown>;
}

function loadCaptures(): Capture[] {
  return readdirSync(DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const json = JSON.parse(readFileSync(join(DIR, file), "utf8"));
      const mode: ShapeMode = MODERN.has(file) ? "exact" : "subset";
      if (file.startsWith("alb-")) {
        const body = JSON.parse(json.body);
        return { file, mode, body, rawBody: json.body, event: body.data.events[0] };
      }
      if (file.startsWith("sns-")) {
        return { file, mode, event: JSON.parse(json.Records[0].Sns.Message) };
      }
      throw new Error(`unknown capture kind: ${file}`);
    });
}

const captures = loadCaptures();
const albCaptures = captures.filter((c) => c.body !== undefined);

/** hookId and orgUrl from a capture's `source`, so the generated envelope names the same hook. */
function hookOf(source: string): { hookId: string; orgUrl: string } {
  const match = /^(https:\/\/[^/]+)\/api\/v1\/eventHooks\/(who[A-Za-z0-9]{17})$/.exec(source);
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`odd source ${source}`);
  return { orgUrl: match[1], hookId: match[2] };
}

function generateFor(capture: Capture) {
  const options = capture.body
    ? hookOf(capture.body.source)
    : hookOf("https://cru.oktapreview.com/api/v1/eventHooks/whoo0erni6PIVagJY0h7");
  return buildDelivery([buildLogEvent(capture.event.eventType)], options);
}

describe("real Okta deliveries", () => {
  it("has the captures this test is about (3 ALB bodies, 4 SNS events, 1 modern)", () => {
    expect(albCaptures).toHaveLength(3);
    expect(captures).toHaveLength(7);
    expect(captures.filter((c) => c.mode === "exact").map((c) => c.file)).toEqual([...MODERN]);
  });

  it.each(captures.map((c) => [c.file, c] as const))(
    "%s: the generated event has the capture's keys, order and value types",
    (_file, capture) => {
      const generated = generateFor(capture).data.events[0];
      expect(shapeDifferences(generated, capture.event, capture.mode, "data.events[0]")).toEqual(
        [],
      );
    },
  );

  it.each(albCaptures.map((c) => [c.file, c] as const))(
    "%s: the generated delivery body has the capture's envelope keys and shape",
    (_file, capture) => {
      const delivery = generateFor(capture);
      expect(Object.keys(delivery)).toEqual(Object.keys(capture.body ?? {}));
      expect(shapeDifferences(delivery, capture.body, capture.mode)).toEqual([]);
      expect(delivery.source).toBe(capture.body?.source);
    },
  );

  it.each(albCaptures.map((c) => [c.file, c] as const))(
    "%s: both bodies are compact JSON",
    (_file, capture) => {
      expect(isCompactJson(capture.rawBody ?? "")).toBe(true);
      expect(isCompactJson(serializeDelivery(generateFor(capture)))).toBe(true);
    },
  );

  it.each(captures.map((c) => [c.file, c] as const))(
    "%s: generated ids have the formats the capture shows",
    (_file, capture) => {
      const delivery = generateFor(capture);
      const event = delivery.data.events[0];
      const real = capture.event;
      expect(real.uuid).toMatch(UUID_V1);
      expect(event?.uuid).toMatch(UUID_V1);
      expect(event?.published).toMatch(ISO_MS);
      expect(delivery.eventId).toMatch(UUID_V4);
      expect(delivery.eventTime).toMatch(ISO_MS);
      expect(event?.transaction?.id).toMatch(/^[A-Za-z0-9@-]{27}$/);
      expect(event?.debugContext?.debugData?.requestId).toBe(event?.transaction?.id);
      const user = event?.target?.find((t) => t.type === "User");
      expect(user?.id).toMatch(/^00u[A-Za-z0-9]{17}$/);
      expect(user?.alternateId).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
      expect(event?.debugContext?.debugData?.targetEventHookIds).toMatch(/^who[A-Za-z0-9]{17}$/);
      if (capture.body) expect(capture.body.eventId as string).toMatch(UUID_V4);
    },
  );

  it("generates the capture's displayMessage and legacyEventType where the catalog agrees", () => {
    for (const capture of captures) {
      const event = generateFor(capture).data.events[0];
      expect(event?.legacyEventType, capture.file).toBe(capture.event.legacyEventType);
      // Okta's casing drifts ("Create okta user" in 2019 vs the catalog's "Create Okta user").
      expect(event?.displayMessage?.toLowerCase(), capture.file).toBe(
        String(capture.event.displayMessage).toLowerCase(),
      );
    }
  });
});

describe("the shape comparison itself", () => {
  const modern = captures.find((c) => c.mode === "exact");
  if (modern === undefined) throw new Error("no modern capture");

  it("fails on reordered keys, in both modes", () => {
    const { uuid, published, ...rest } = modern.event;
    const reordered = { published, uuid, ...rest };
    expect(shapeDifferences(reordered, modern.event, "exact", "data.events[0]")).not.toEqual([]);
    expect(shapeDifferences(reordered, modern.event, "subset", "data.events[0]")).not.toEqual([]);
  });

  it("fails on a missing key, and on an extra key only in exact mode", () => {
    const { severity: _severity, ...missing } = modern.event;
    const extra = { ...modern.event, added: 1 };
    expect(shapeDifferences(missing, modern.event, "subset", "data.events[0]")).not.toEqual([]);
    expect(shapeDifferences(extra, modern.event, "exact", "data.events[0]")).not.toEqual([]);
    expect(shapeDifferences(extra, modern.event, "subset", "data.events[0]")).toEqual([]);
  });

  it("fails on a changed type, and on null where Okta does not document it", () => {
    expect(
      shapeDifferences({ ...modern.event, version: 0 }, modern.event, "subset", "data.events[0]"),
    ).not.toEqual([]);
    expect(
      shapeDifferences({ ...modern.event, uuid: null }, modern.event, "subset", "data.events[0]"),
    ).not.toEqual([]);
    expect(
      shapeDifferences(
        { ...modern.event, legacyEventType: null },
        modern.event,
        "exact",
        "data.events[0]",
      ),
    ).toEqual([]);
  });

  it("detects whitespace outside strings only", () => {
    expect(isCompactJson('{"a":"x y"}')).toBe(true);
    expect(isCompactJson('{"a": "x"}')).toBe(false);
    expect(isCompactJson(JSON.stringify({ a: [1] }, null, 2))).toBe(false);
  });
});
