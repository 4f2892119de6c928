import { describe, expect, it } from "vitest";
import { buildDelivery, serializeDelivery } from "./build-delivery.js";
import { buildLogEvent } from "./build-log-event.js";

const HOOK = "who8vt36qfNpCGz9H1e6";
const ORG = "https://dev-123456.okta.com";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("buildDelivery", () => {
  it("builds Okta's envelope in Okta's key order", () => {
    const delivery = buildDelivery([buildLogEvent("user.lifecycle.create")], {
      hookId: HOOK,
      orgUrl: ORG,
    });
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
    expect(delivery).toMatchObject({
      eventType: "com.okta.event_hook",
      eventTypeVersion: "1.0",
      cloudEventsVersion: "0.1",
      source: `${ORG}/api/v1/eventHooks/${HOOK}`,
      contentType: "application/json",
    });
    expect(delivery.eventId).toMatch(UUID_V4);
    expect(delivery.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("strips trailing slashes from orgUrl and keeps a path prefix", () => {
    expect(
      buildDelivery([buildLogEvent("user.lifecycle.create")], { hookId: HOOK, orgUrl: `${ORG}//` })
        .source,
    ).toBe(`${ORG}/api/v1/eventHooks/${HOOK}`);
    expect(
      buildDelivery([buildLogEvent("user.lifecycle.create")], {
        hookId: HOOK,
        orgUrl: "http://127.0.0.1:8080/okta/",
      }).source,
    ).toBe(`http://127.0.0.1:8080/okta/api/v1/eventHooks/${HOOK}`);
  });

  it("uses the given eventId and eventTime", () => {
    const delivery = buildDelivery([buildLogEvent("user.lifecycle.create")], {
      hookId: HOOK,
      orgUrl: ORG,
      eventId: "85b60edb-4263-4e13-993b-818e26201052",
      eventTime: "2023-03-28T17:03:37.093Z",
    });
    expect(delivery.eventId).toBe("85b60edb-4263-4e13-993b-818e26201052");
    expect(delivery.eventTime).toBe("2023-03-28T17:03:37.093Z");
  });

  it("names the hook in targetEventHookIds, before url, without mutating the input", () => {
    const event = buildLogEvent("user.lifecycle.deactivate");
    const before = structuredClone(event);
    const [delivered] = buildDelivery([event], { hookId: HOOK, orgUrl: ORG }).data.events;
    expect(Object.keys(delivered?.debugContext?.debugData ?? {})).toEqual([
      "requestId",
      "requestUri",
      "targetEventHookIds",
      "url",
    ]);
    expect(delivered?.debugContext?.debugData?.targetEventHookIds).toBe(HOOK);
    expect(event).toEqual(before);
    expect(Object.keys(delivered ?? {})).toEqual(Object.keys(event));
  });

  it("keeps an existing targetEventHookIds and leaves events without debugData alone", () => {
    const routed = buildLogEvent("user.lifecycle.create", {
      debugContext: {
        debugData: { targetEventHookIds: "who1hzk33c2pxL1Yl0h8,who1mpwgrxrsCR23M0h8" },
      },
    });
    const bare = buildLogEvent("user.lifecycle.create", { debugContext: null });
    const [a, b] = buildDelivery([routed, bare], { hookId: HOOK, orgUrl: ORG }).data.events;
    expect(a?.debugContext?.debugData?.targetEventHookIds).toBe(
      "who1hzk33c2pxL1Yl0h8,who1mpwgrxrsCR23M0h8",
    );
    expect(b?.debugContext).toBeNull();
  });

  it.each([
    [{ hookId: "", orgUrl: ORG }, /hookId/],
    [{ hookId: "who 1", orgUrl: ORG }, /hookId/],
    [{ hookId: HOOK, orgUrl: "dev-123456.okta.com" }, /orgUrl.*not a URL/],
    [{ hookId: HOOK, orgUrl: "ftp://dev-123456.okta.com" }, /orgUrl.*scheme/],
    [{ hookId: HOOK, orgUrl: "https://u:p@dev-123456.okta.com" }, /orgUrl.*credentials/],
    [{ hookId: HOOK, orgUrl: "https://dev-123456.okta.com/?a=1" }, /orgUrl.*query/],
    [{ hookId: HOOK, orgUrl: "https://dev-123456.okta.com#x" }, /orgUrl.*fragment/],
    [{ hookId: HOOK, orgUrl: 42 }, /orgUrl.*not a string/],
    [{ hookId: HOOK, orgUrl: ORG, eventId: "nope" }, /eventId/],
    [{ hookId: HOOK, orgUrl: ORG, eventTime: "yesterday" }, /eventTime/],
    [{ hookId: HOOK, orgUrl: ORG, eventTime: "2023-03-28T17:03:37.093+02:00" }, /eventTime/],
  ])("rejects bad options eagerly: %j", (options, message) => {
    expect(() => buildDelivery([buildLogEvent("user.lifecycle.create")], options as never)).toThrow(
      message,
    );
  });

  it("rejects an empty or missing event list", () => {
    expect(() => buildDelivery([], { hookId: HOOK, orgUrl: ORG })).toThrow(/non-empty/);
    expect(() => buildDelivery(null as never, { hookId: HOOK, orgUrl: ORG })).toThrow(TypeError);
  });
});

describe("serializeDelivery", () => {
  it("is compact JSON that round-trips", () => {
    const delivery = buildDelivery([buildLogEvent("user.session.start")], {
      hookId: HOOK,
      orgUrl: ORG,
    });
    const body = serializeDelivery(delivery);
    expect(body.startsWith('{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0",')).toBe(
      true,
    );
    expect(body).toBe(JSON.stringify(JSON.parse(body)));
    expect(body).not.toMatch(/\n/);
    expect(JSON.parse(body)).toEqual(delivery);
  });
});
