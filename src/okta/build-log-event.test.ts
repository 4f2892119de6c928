import { describe, expect, expectTypeOf, it } from "vitest";
import { buildLogEvent } from "./build-log-event.js";
import { listEventTypes, targetTypesOf } from "./catalog.js";
import type { RandomBytes } from "./ids.js";
import type { DeliveryLogEvent } from "./log-event.js";

const EVENT_KEYS = [
  "uuid",
  "published",
  "eventType",
  "version",
  "displayMessage",
  "severity",
  "client",
  "device",
  "actor",
  "outcome",
  "target",
  "transaction",
  "debugContext",
  "legacyEventType",
  "authenticationContext",
  "securityContext",
  "insertionTimestamp",
];
const ENTITY_KEYS = ["id", "type", "alternateId", "displayName", "detailEntry"];
const UUID_V1 = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOW = Date.parse("2021-11-22T18:07:13.125Z");

function seeded(): RandomBytes {
  let state = 7;
  return (size) =>
    Uint8Array.from({ length: size }, () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state >> 23;
    });
}

describe("buildLogEvent: shape", () => {
  const event = buildLogEvent("user.lifecycle.create");

  it("has Okta's delivery keys in Okta's order", () => {
    expect(Object.keys(event)).toEqual(EVENT_KEYS);
    expect(Object.keys(event.client ?? {})).toEqual([
      "userAgent",
      "zone",
      "device",
      "id",
      "ipAddress",
      "geographicalContext",
      "ipChain",
    ]);
    expect(Object.keys(event.client?.ipChain[0] ?? {})).toEqual([
      "ip",
      "geographicalContext",
      "version",
      "source",
    ]);
    expect(Object.keys(event.actor)).toEqual(ENTITY_KEYS);
    for (const target of event.target ?? []) expect(Object.keys(target)).toEqual(ENTITY_KEYS);
    expect(Object.keys(event.outcome ?? {})).toEqual(["result", "reason"]);
    expect(Object.keys(event.transaction ?? {})).toEqual(["type", "id", "detail"]);
    expect(Object.keys(event.authenticationContext ?? {})).toEqual([
      "authenticationProvider",
      "credentialProvider",
      "credentialType",
      "issuer",
      "authenticationStep",
      "externalSessionId",
      "interface",
    ]);
    expect(Object.keys(event.securityContext ?? {})).toEqual([
      "asNumber",
      "asOrg",
      "isp",
      "domain",
      "isProxy",
    ]);
  });

  it("uses the delivery-specific values (§1.4)", () => {
    expect(event.client?.zone).toBe("null");
    expect(event.device).toBeNull();
    expect(event.insertionTimestamp).toBeNull();
    expect(event.version).toBe("0");
    expect(event.uuid).toMatch(UUID_V1);
    expect(event).not.toHaveProperty("request");
  });

  it("takes displayMessage from the catalog and legacyEventType from the known pairs", () => {
    expect(event.displayMessage).toBe("Create Okta user");
    expect(event.legacyEventType).toBe("core.user.config.user_creation.success");
    expect(buildLogEvent("user.session.start").legacyEventType).toBe(
      "core.user_auth.login_success",
    );
    expect(buildLogEvent("group.user_membership.add").legacyEventType).toBeNull();
    expect(buildLogEvent("access.request.cancel").displayMessage).toBe("Access request canceled");
  });

  it("carries the event type in its static type", () => {
    expectTypeOf(event).toEqualTypeOf<DeliveryLogEvent<"user.lifecycle.create">>();
    expect(event.eventType).toBe("user.lifecycle.create");
  });
});

describe("buildLogEvent: targets and request", () => {
  it("makes a User and a UserGroup for group.user_membership.add, ids in the request path", () => {
    const event = buildLogEvent("group.user_membership.add");
    const [user, group] = event.target ?? [];
    expect(user).toMatchObject({ type: "User", detailEntry: null });
    expect(user?.id).toMatch(/^00u[A-Za-z0-9]{17}$/);
    expect(user?.alternateId).toMatch(/^[a-z]+\.[a-z]+@example\.com$/);
    expect(user?.displayName).toMatch(/^\S+ \S+$/);
    expect(group).toMatchObject({ type: "UserGroup", alternateId: "unknown" });
    expect(group?.id).toMatch(/^00g[A-Za-z0-9]{17}$/);
    expect(event.debugContext?.debugData).toEqual({
      requestId: event.transaction?.id,
      requestUri: `/api/v1/groups/${group?.id}/users/${user?.id}`,
      url: `/api/v1/groups/${group?.id}/users/${user?.id}?`,
    });
  });

  it("gives the AppUser and the User of an app assignment the same person", () => {
    const [appUser, app, user] = buildLogEvent("application.user_membership.add").target ?? [];
    expect(appUser?.id).toMatch(/^0ua/);
    expect(app?.id).toMatch(/^0oa/);
    expect(app?.alternateId).toBe(app?.displayName);
    expect(appUser?.alternateId).toBe(user?.alternateId);
  });

  it("uses a 27-character request id shared by transaction and debugData", () => {
    const event = buildLogEvent("user.lifecycle.suspend");
    expect(event.transaction?.id).toMatch(/^[A-Za-z0-9@-]{27}$/);
    expect(event.debugContext?.debugData?.requestId).toBe(event.transaction?.id);
    const userId = event.target?.[0]?.id;
    expect(event.debugContext?.debugData?.requestUri).toBe(
      `/api/v1/users/${userId}/lifecycle/suspend`,
    );
  });

  it("lists changed attributes for a profile update, before url", () => {
    const debugData = buildLogEvent("user.account.update_profile").debugContext?.debugData ?? {};
    expect(Object.keys(debugData)).toEqual(["requestId", "requestUri", "changedAttributes", "url"]);
  });

  it("builds every eligible type with its target types and a display message", () => {
    for (const { id } of listEventTypes()) {
      const event = buildLogEvent(id);
      expect(
        event.target?.map((t) => t.type),
        id,
      ).toEqual(targetTypesOf(id));
      expect(event.displayMessage, id).toBeTruthy();
      expect(event.debugContext?.debugData?.requestUri, id).toMatch(/^\/[\w/@.-]+$/);
    }
  });

  it("accepts System Log types outside the eligible catalog", () => {
    const event = buildLogEvent("event_hook.verified");
    expect(event.eventType).toBe("event_hook.verified");
    expect(event.target?.[0]?.type).toBe("EventHook");
    expect(event.debugContext?.debugData?.requestUri).toBe(
      `/api/v1/eventHooks/${event.target?.[0]?.id}/lifecycle/verify`,
    );
    expect(buildLogEvent("user.lifecycle.delete.completed").displayMessage).toBe(
      "Delete Okta user completed",
    );
    expect(buildLogEvent("some.unknown.type").displayMessage).toBeNull();
  });
});

describe("buildLogEvent: clock, randomness and overrides", () => {
  it("stamps published, uuid and request id from the injected clock", () => {
    const event = buildLogEvent("user.lifecycle.create", {}, { now: () => NOW });
    expect(event.published).toBe("2021-11-22T18:07:13.125Z");
    // The capture alb-event-user-update-profile.json, published at that instant, has the uuid
    // 04b1f1d4-4bbf-11ec-… and the request id YZvcUWlrybfJE38ty-heiAAACpQ.
    expect(event.uuid.slice(9, 18)).toBe("4bbf-11ec");
    expect(event.transaction?.id.slice(0, 5)).toBe("YZvcU");
  });

  it("is reproducible with an injected random source and clock", () => {
    const a = buildLogEvent("group.user_membership.add", {}, { now: () => NOW, random: seeded() });
    const b = buildLogEvent("group.user_membership.add", {}, { now: () => NOW, random: seeded() });
    expect(a).toEqual(b);
  });

  it("derives the time-based ids from an overridden published", () => {
    const event = buildLogEvent("user.lifecycle.create", { published: "2019-10-24T14:21:28.577Z" });
    expect(event.published).toBe("2019-10-24T14:21:28.577Z");
    expect(event.uuid.slice(9, 18)).toBe("f669-11e9"); // as the capture 9191ef7a-f669-11e9-…
  });

  it("merges nested overrides keeping key order, and appends unknown keys", () => {
    const event = buildLogEvent("user.session.start", {
      outcome: { result: "FAILURE", reason: "INVALID_CREDENTIALS" },
      authenticationContext: { externalSessionId: null },
      securityContext: { isProxy: false },
      actor: { id: "00u2di94bAMSEPvAY1d6", displayName: "Okta Trainer" },
      extraTopLevel: 1,
    } as Parameters<typeof buildLogEvent>[1]);
    expect(Object.keys(event)).toEqual([...EVENT_KEYS, "extraTopLevel"]);
    expect(event.outcome).toEqual({ result: "FAILURE", reason: "INVALID_CREDENTIALS" });
    expect(event.authenticationContext?.externalSessionId).toBeNull();
    expect(Object.keys(event.actor)).toEqual(ENTITY_KEYS);
    expect(event.actor).toMatchObject({ id: "00u2di94bAMSEPvAY1d6", displayName: "Okta Trainer" });
    expect(event.actor.alternateId).toBe("admin@example.com");
  });

  it("replaces the target list, completing partial entries in Okta's key order", () => {
    const event = buildLogEvent("group.user_membership.add", {
      target: [
        { id: "00usnkgbd0FFDxYaj0h7", alternateId: "kim@example.com" },
        { type: "UserGroup", displayName: "Sales" },
      ],
    });
    const [user, group] = event.target ?? [];
    expect(event.target).toHaveLength(2);
    expect(Object.keys(user ?? {})).toEqual(ENTITY_KEYS);
    expect(user).toMatchObject({
      id: "00usnkgbd0FFDxYaj0h7",
      type: "User",
      alternateId: "kim@example.com",
    });
    expect(group).toMatchObject({
      type: "UserGroup",
      displayName: "Sales",
      alternateId: "unknown",
    });
    expect(event.debugContext?.debugData?.requestUri).toBe(
      `/api/v1/groups/${group?.id}/users/00usnkgbd0FFDxYaj0h7`,
    );
    expect(buildLogEvent("user.lifecycle.create", { target: null }).target).toBeNull();
  });

  it("uses an explicit transaction id as the request id", () => {
    const event = buildLogEvent("user.lifecycle.create", {
      transaction: { id: "XbHgP-OT7cn8YM13gzo6nAAABBw" },
    });
    expect(event.debugContext?.debugData?.requestId).toBe("XbHgP-OT7cn8YM13gzo6nAAABBw");
    expect(Object.keys(event.transaction ?? {})).toEqual(["type", "id", "detail"]);
  });

  it("cannot change eventType through overrides", () => {
    const event = buildLogEvent("user.lifecycle.create", { eventType: "x.y" } as never);
    expect(event.eventType).toBe("user.lifecycle.create");
  });

  it("rejects a malformed type or overrides with a TypeError", () => {
    expect(() => buildLogEvent("")).toThrow(TypeError);
    expect(() => buildLogEvent("user lifecycle")).toThrow(/not an Okta event type/);
    expect(() => buildLogEvent("user.lifecycle.create", [] as never)).toThrow(TypeError);
    expect(() => buildLogEvent("user.lifecycle.create", { target: {} as never })).toThrow(/target/);
    expect(() => buildLogEvent("user.lifecycle.create", { target: [1 as never] })).toThrow(
      /target\[0\]/,
    );
  });
});
