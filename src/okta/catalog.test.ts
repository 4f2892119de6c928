import { describe, expect, it } from "vitest";
import {
  describeEventType,
  eventTypeCategories,
  isEventHookEligible,
  listEventTypes,
  listEventTypesByCategory,
  targetTypesOf,
} from "./catalog.js";
import { CATALOG_RELEASE } from "./catalog-data.js";

describe("catalog", () => {
  it("lists exactly the 314 eligible types of release 2026.08.1, sorted and unique", () => {
    const ids = listEventTypes().map((t) => t.id);
    expect(CATALOG_RELEASE).toBe("2026.08.1");
    expect(ids).toHaveLength(314);
    expect(new Set(ids).size).toBe(314);
    expect([...ids].sort()).toEqual(ids);
  });

  it("accepts eligible types", () => {
    for (const id of ["user.lifecycle.create", "group.user_membership.add", "user.session.start"]) {
      expect(isEventHookEligible(id)).toBe(true);
    }
  });

  it("rejects System Log types that cannot be subscribed, and non-types", () => {
    for (const id of [
      "user.lifecycle.delete.completed",
      "event_hook.created",
      "event_hook.verified",
      "application.user_membership.provision",
      "user.session.expire",
      "",
      "USER.LIFECYCLE.CREATE",
      "user.lifecycle.create ",
    ]) {
      expect(isEventHookEligible(id), id).toBe(false);
      expect(describeEventType(id), id).toBeUndefined();
    }
  });

  it("carries the beta and oie-only flags (50 beta, 15 oie-only)", () => {
    expect(listEventTypes().filter((t) => t.beta)).toHaveLength(50);
    expect(listEventTypes().filter((t) => t.oieOnly)).toHaveLength(15);
    expect(describeEventType("device.lifecycle.activate")).toMatchObject({
      oieOnly: true,
      beta: false,
    });
    expect(describeEventType("policy.branch.rule.add")).toMatchObject({
      oieOnly: false,
      beta: true,
    });
    expect(describeEventType("user.lifecycle.create")).toMatchObject({
      oieOnly: false,
      beta: false,
    });
  });

  it("describes a type with its catalog fields and a first-sentence summary", () => {
    const info = describeEventType("access.request.cancel");
    expect(info).toMatchObject({
      id: "access.request.cancel",
      summary: "Access request canceled",
      category: "iga-access-request",
      release: "2023.06.0",
      tags: ["access"],
      schema: {
        actor: null,
        targets: ["AccessRequestResourceDetails"],
        debugData: "AccessRequestRequestDebugData",
        changeDetails: false,
      },
    });
    expect(info?.description.startsWith("Access request canceled. Can be used")).toBe(true);
    expect(describeEventType("group.user_membership.add")?.summary).toBe(
      "Add user to group membership",
    );
    expect(describeEventType("user.account.update_profile")?.summary).toBe(
      "Update user profile for Okta",
    );
  });

  it("never has a summary ending in a period", () => {
    const bad = listEventTypes().filter((t) => t.summary.endsWith(".") || t.summary === "");
    expect(bad.map((t) => t.id)).toEqual([]);
  });

  it("groups every type under its category, categories sorted", () => {
    const groups = listEventTypesByCategory();
    const categories = eventTypeCategories();
    expect([...groups.keys()]).toEqual(categories);
    expect([...categories].sort()).toEqual(categories);
    expect([...groups.values()].reduce((n, list) => n + list.length, 0)).toBe(314);
    for (const [category, list] of groups) {
      expect(list.every((t) => t.category === category)).toBe(true);
    }
    expect(groups.get("core-identity")?.length).toBeGreaterThan(0);
  });

  it("returns immutable data", () => {
    const info = describeEventType("user.lifecycle.create");
    expect(Object.isFrozen(info)).toBe(true);
    expect(Object.isFrozen(listEventTypes())).toBe(true);
    expect(Object.isFrozen(info?.targetTypes)).toBe(true);
  });

  it("gives every eligible type at least one target type", () => {
    const empty = listEventTypes().filter((t) => t.targetTypes.length === 0);
    expect(empty.map((t) => t.id)).toEqual([]);
  });
});

describe("targetTypesOf", () => {
  it.each([
    ["group.user_membership.add", ["User", "UserGroup"]],
    ["group.user_membership.remove", ["User", "UserGroup"]],
    ["user.lifecycle.create", ["User"]],
    ["user.lifecycle.delete.initiated", ["User"]],
    ["user.account.update_profile", ["User"]],
    ["user.mfa.factor.activate", ["User"]],
    ["group.lifecycle.create", ["UserGroup"]],
    ["group.profile.update", ["UserGroup"]],
    ["group.privilege.grant", ["UserGroup"]],
    ["application.user_membership.add", ["AppUser", "AppInstance", "User"]],
    ["application.lifecycle.create", ["AppInstance"]],
    ["user.session.start", ["AuthenticatorEnrollment", "AppInstance"]],
    ["device.lifecycle.suspend", ["Device"]],
    ["device.user.add", ["Device", "User"]],
    ["policy.rule.update", ["PolicyEntity", "PolicyRule"]],
  ])("%s → %j", (type, expected) => {
    expect(targetTypesOf(type)).toEqual(expected);
  });

  it("falls back to the catalog's schema hints where no rule fits", () => {
    expect(targetTypesOf("system.api_token.create")).toEqual(["ApiToken"]);
    expect(targetTypesOf("security.trusted_origin.create")).toEqual(["TrustedOrigin"]);
    expect(targetTypesOf("resource_servers.api_server.auth_server.add")).toEqual([
      "ApiServer",
      "ApiAuthServer",
    ]);
    // The generic hint `ResourceDetails` is named after the noun before the verb.
    expect(targetTypesOf("system.log_stream.lifecycle.create")).toEqual(["LogStream"]);
  });

  it("works for types outside the eligible catalog", () => {
    expect(targetTypesOf("user.lifecycle.delete.completed")).toEqual(["User"]);
    expect(targetTypesOf("event_hook.verified")).toEqual(["EventHook"]);
  });

  it("returns a fresh array each call", () => {
    const a = targetTypesOf("group.user_membership.add");
    a.push("X");
    expect(targetTypesOf("group.user_membership.add")).toEqual(["User", "UserGroup"]);
  });
});
