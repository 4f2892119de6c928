import { describe, expect, it } from "vitest";
import { buildLogEvent, type SystemLogEvent } from "../../okta/index.js";
import { toDeliveryLogEvent, toSystemLogEvent } from "./log-event-shape.js";

describe("LogEvent shapes", () => {
  it("round-trips a delivery event through the System Log shape, byte for byte", () => {
    const delivered = buildLogEvent("user.session.start");
    const stored = toSystemLogEvent(delivered);
    expect(JSON.stringify(toDeliveryLogEvent(stored))).toBe(JSON.stringify(delivered));
  });

  it("puts the chain under request, drops insertionTimestamp and un-strings the zone for the API", () => {
    const delivered = buildLogEvent("user.lifecycle.create");
    const stored = toSystemLogEvent(delivered);
    expect(stored.request?.ipChain).toEqual(delivered.client?.ipChain);
    expect(stored.client).not.toHaveProperty("ipChain");
    expect(stored.client?.zone).toBeNull();
    expect(stored).not.toHaveProperty("insertionTimestamp");
    expect(Object.keys(stored).slice(0, 3)).toEqual(["actor", "client", "device"]);
    expect(Object.keys(stored).at(-1)).toBe("target");
    expect(delivered.client?.zone).toBe("null");
  });

  it("gives a delivery event the keys deliveries always carry, and keeps unknown keys", () => {
    const sparse = {
      uuid: "u",
      published: "2025-01-01T00:00:00.000Z",
      eventType: "user.lifecycle.create",
      version: "0",
      severity: "INFO",
      actor: { id: "00u1", type: "User", alternateId: null, displayName: null, detailEntry: null },
      client: null,
      request: { ipChain: [] },
      newOktaField: { x: 1 },
    } as unknown as SystemLogEvent;
    const delivered = toDeliveryLogEvent(sparse);
    expect(delivered.client).toBeNull();
    expect(delivered.device).toBeNull();
    expect(delivered.insertionTimestamp).toBeNull();
    expect(delivered).not.toHaveProperty("request");
    expect(Object.keys(delivered).at(-1)).toBe("newOktaField");
    expect(sparse.request).toEqual({ ipChain: [] });
  });

  it("keeps a __proto__ key from JSON as data", () => {
    const hostile = JSON.parse(
      '{"uuid":"u","eventType":"a.b","__proto__":{"polluted":true}}',
    ) as SystemLogEvent;
    const delivered = toDeliveryLogEvent(hostile) as unknown as Record<string, unknown>;
    expect(Object.hasOwn(delivered, "__proto__")).toBe(true);
    expect((delivered as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
