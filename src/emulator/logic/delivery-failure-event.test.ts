import { describe, expect, it } from "vitest";
import { deliveryFailureEvent, OKTA_SYSTEM_ACTOR } from "./delivery-failure-event.js";

describe("deliveryFailureEvent", () => {
  const input = {
    hook: { id: "who8vt36qfNpCGz9H1e6", name: "Provisioning" },
    events: [
      { uuid: "2b7f4c10-61a2-11ef-9c1e-7b5d2a9e4c31", eventType: "user.lifecycle.create" },
      { uuid: "2b7f4c11-61a2-11ef-9c1e-7b5d2a9e4c31", eventType: "user.lifecycle.create" },
    ],
    cause: {
      kind: "http_status" as const,
      message: "the endpoint answered 500",
      status: 500,
      deliveryId: "3f0b5a4e-7c1d-4c53-9a57-1e2b8d6f90aa",
      attempts: 2,
    },
    now: Date.parse("2025-06-01T08:00:00.000Z"),
  };

  it("is a system event about the hook, failed with the cause", () => {
    const event = deliveryFailureEvent(input);
    expect(event.eventType).toBe("event_hook.delivery");
    expect(event.published).toBe("2025-06-01T08:00:00.000Z");
    expect(event.displayMessage).toBe("Event hook delivery failed");
    expect(event.severity).toBe("WARN");
    expect(event.actor).toEqual(OKTA_SYSTEM_ACTOR);
    expect(event.outcome).toEqual({ result: "FAILURE", reason: "the endpoint answered 500" });
    expect(event.target).toEqual([
      {
        id: "who8vt36qfNpCGz9H1e6",
        type: "EventHook",
        alternateId: "Provisioning",
        displayName: "Provisioning",
        detailEntry: null,
      },
    ]);
    expect(event.transaction).toEqual({ type: "JOB", id: "unknown", detail: {} });
    expect(event.request).toEqual({ ipChain: [] });
    expect(event.client?.ipAddress).toBeNull();
  });

  it("names the delivery, the events, the attempts and the status in debugData", () => {
    expect(deliveryFailureEvent(input).debugContext?.debugData).toEqual({
      deliveryId: "3f0b5a4e-7c1d-4c53-9a57-1e2b8d6f90aa",
      eventIds: "2b7f4c10-61a2-11ef-9c1e-7b5d2a9e4c31,2b7f4c11-61a2-11ef-9c1e-7b5d2a9e4c31",
      eventTypes: "user.lifecycle.create",
      attempts: "2",
      failure: "http_status",
      status: "500",
      errorMessage: "the endpoint answered 500",
    });
  });

  it("leaves the status out when no response came, and caps the reason at 255 characters", () => {
    const long = "x".repeat(300);
    const event = deliveryFailureEvent({
      ...input,
      cause: { ...input.cause, kind: "timeout", status: null, message: long },
    });
    expect(event.debugContext?.debugData).not.toHaveProperty("status");
    expect(event.outcome?.reason).toHaveLength(255);
    expect(event.debugContext?.debugData?.errorMessage).toBe(long);
  });
});
