import { describe, expect, it } from "vitest";
import { sampleDelivery } from "./sample-delivery.js";

describe("sampleDelivery", () => {
  it("is an Okta delivery envelope of about 2 KB with a User target", () => {
    const delivery = sampleDelivery();
    expect(Object.keys(delivery)).toEqual([
      "eventType",
      "eventTypeVersion",
      "cloudEventsVersion",
      "source",
      "eventId",
      "data",
      "eventTime",
      "contentType",
    ]);
    expect(delivery.eventType).toBe("com.okta.event_hook");
    const [event] = delivery.data.events;
    expect(event?.eventType).toBe("user.lifecycle.create");
    expect(event?.client?.zone).toBe("null");
    expect(event?.target?.[0]).toMatchObject({
      type: "User",
      alternateId: "john.doe@example.com",
      displayName: "John Doe",
    });
    const bytes = Buffer.byteLength(JSON.stringify(delivery));
    expect(bytes).toBeGreaterThan(1_800);
    expect(bytes).toBeLessThan(2_400);
  });

  it("has one event per user, fresh ids on every call, and the given eventId", () => {
    const a = sampleDelivery({
      users: ["a@x.io", "b@x.io"],
      eventType: "user.lifecycle.deactivate",
    });
    const b = sampleDelivery();
    expect(a.data.events.map((e) => e.target?.[0]?.alternateId)).toEqual(["a@x.io", "b@x.io"]);
    expect(a.data.events[0]?.displayMessage).toBe("Deactivate Okta user");
    expect(new Set([a.eventId, b.eventId, ...a.data.events.map((e) => e.uuid)]).size).toBe(4);
    const eventId = "3f0b5a4e-7c1d-4c53-9a57-1e2b8d6f90aa";
    expect(sampleDelivery({ eventId }).eventId).toBe(eventId);
  });
});
