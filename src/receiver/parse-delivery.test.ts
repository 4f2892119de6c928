import { describe, expect, it } from "vitest";
import { InvalidDeliveryError, parseDelivery } from "./parse-delivery.js";

const event = { uuid: "u1", eventType: "user.lifecycle.create" };

function envelope(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    eventType: "com.okta.event_hook",
    eventId: "6e08cca5-9488-4367-b75b-e0bb1c973c58",
    data: { events: [event] },
    ...overrides,
  });
}

function failureOf(body: string | Uint8Array): { code: string; message: string } {
  try {
    parseDelivery(body);
  } catch (error) {
    if (error instanceof InvalidDeliveryError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("parseDelivery accepted the body");
}

describe("parseDelivery", () => {
  it("parses bytes and strings, filling missing nullable event fields with null", () => {
    const delivery = parseDelivery(Buffer.from(envelope(), "utf8"));
    expect(delivery.eventId).toBe("6e08cca5-9488-4367-b75b-e0bb1c973c58");
    expect(delivery.data.events[0]).toMatchObject({
      ...event,
      client: null,
      device: null,
      target: null,
      insertionTimestamp: null,
    });
    expect(parseDelivery(envelope()).data.events).toHaveLength(1);
  });

  it("keeps present values and unknown keys", () => {
    const withFields = { ...event, client: { zone: "null" }, future: [1] };
    const delivery = parseDelivery(envelope({ data: { events: [withFields] }, extra: 1 }));
    expect(delivery.data.events[0]).toMatchObject({ client: { zone: "null" }, future: [1] });
  });

  it("decodes UTF-8 (and skips a BOM), rejecting invalid bytes", () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(envelope())]);
    expect(parseDelivery(bom).eventId).toBe("6e08cca5-9488-4367-b75b-e0bb1c973c58");
    expect(failureOf(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({
      code: "invalid_encoding",
      message: "body is not valid UTF-8",
    });
  });

  it.each([
    ["", "invalid_json", /^body is not valid JSON/],
    ['"a string"', "invalid_delivery", /^body must be a JSON object$/],
    [
      envelope({ eventType: "x" }),
      "invalid_delivery",
      /^eventType must be "com.okta.event_hook", got "x"$/,
    ],
    [envelope({ eventType: undefined }), "invalid_delivery", /it is missing$/],
    [envelope({ eventId: 7 }), "invalid_delivery", /^eventId must be a non-empty string, got 7$/],
    [envelope({ data: null }), "invalid_delivery", /^data must be an object, got null$/],
    [
      envelope({ data: { events: {} } }),
      "invalid_delivery",
      /^data.events must be a non-empty array$/,
    ],
    [
      envelope({ data: { events: [] } }),
      "invalid_delivery",
      /^data.events must be a non-empty array$/,
    ],
    [
      envelope({ data: { events: [event, null] } }),
      "invalid_delivery",
      /^data.events\[1\] must be an object$/,
    ],
    [
      envelope({ data: { events: [{ uuid: "u" }] } }),
      "invalid_delivery",
      /^data.events\[0\].eventType must be a string, it is missing$/,
    ],
    [
      envelope({ data: { events: [{ eventType: "a.b", uuid: "" }] } }),
      "invalid_delivery",
      /^data.events\[0\].uuid must be a non-empty string, got ""$/,
    ],
  ])("rejects %s", (body, code, message) => {
    const failure = failureOf(body);
    expect(failure.code).toBe(code);
    expect(failure.message).toMatch(message);
  });

  it("shortens a long offending value in the message", () => {
    const { message } = failureOf(envelope({ eventType: "x".repeat(500) }));
    expect(message.length).toBeLessThan(150);
  });
});
