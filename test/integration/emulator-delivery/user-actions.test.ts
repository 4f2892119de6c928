/**
 * The events of the emulator's user actions: the types and order Okta writes, one transaction
 * per action, and — once in delivery shape — the keys, order and value types of the real
 * captures of the same types (test/fixtures/okta/okta-deliveries/).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  EMULATOR_ADMIN_ACTOR,
  toDeliveryLogEvent,
  type UserAction,
  userActionEvents,
} from "../../../src/emulator/index.js";
import { buildDelivery } from "../../../src/okta/index.js";
import { shapeDifferences } from "../okta/json-shape.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "okta");
const ORG = "http://127.0.0.1:7070";
const NOW = Date.parse("2025-05-05T12:00:00.000Z");
const user = { id: "00u3m90rxKjGQ0G6L1d6", login: "john.doe@example.com", displayName: "John Doe" };
const group = { id: "00g1emaKYZTWRYYRRTSK", name: "Sales" };

function typesOf(action: UserAction, extra: Record<string, unknown> = {}): string[] {
  return userActionEvents(action, { user, orgUrl: ORG, now: NOW, group, ...extra }).map(
    (e) => e.eventType,
  );
}

function captured(file: string): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(FIXTURES, "okta-deliveries", file), "utf8"));
  if (file.startsWith("alb-")) return JSON.parse(json.body).data.events[0];
  return JSON.parse(json.Records[0].Sns.Message);
}

describe("userActionEvents", () => {
  it("writes each action's events in Okta's order", () => {
    expect(typesOf("create")).toEqual(["user.lifecycle.create"]);
    expect(typesOf("create_and_activate")).toEqual([
      "user.lifecycle.create",
      "user.lifecycle.activate",
    ]);
    expect(
      typesOf("create_and_activate", {
        everyoneGroup: { id: "00gEveryone000000001", name: "Everyone" },
      }),
    ).toEqual(["user.lifecycle.create", "group.user_membership.add", "user.lifecycle.activate"]);
    for (const verb of ["activate", "deactivate", "reactivate", "suspend", "unsuspend"] as const) {
      expect(typesOf(verb)).toEqual([`user.lifecycle.${verb}`]);
    }
    expect(typesOf("delete")).toEqual([
      "user.lifecycle.delete.initiated",
      "user.lifecycle.delete.completed",
    ]);
    expect(typesOf("update_profile")).toEqual(["user.account.update_profile"]);
    expect(typesOf("group_add")).toEqual(["group.user_membership.add"]);
    expect(typesOf("group_remove")).toEqual(["group.user_membership.remove"]);
    expect(typesOf("sign_in")).toEqual(["user.session.start"]);
    expect(
      typesOf("sign_in", { mfa: true, app: { id: "0oa1slack00000000001", name: "Slack" } }),
    ).toEqual([
      "user.authentication.auth_via_mfa",
      "user.session.start",
      "user.authentication.sso",
    ]);
    expect(typesOf("sign_in_failed")).toEqual(["user.session.start"]);
  });

  it("shares one transaction and request id per action, published a millisecond apart", () => {
    const events = userActionEvents("delete", { user, orgUrl: ORG, now: NOW });
    const [initiated, completed] = events;
    expect(initiated?.transaction).toMatchObject({ type: "WEB" });
    expect(completed?.transaction).toMatchObject({ type: "JOB", id: initiated?.transaction?.id });
    expect(initiated?.debugContext?.debugData?.requestId).toBe(initiated?.transaction?.id);
    expect(events.map((e) => e.published)).toEqual([
      "2025-05-05T12:00:00.000Z",
      "2025-05-05T12:00:00.001Z",
    ]);
    expect(initiated?.transaction?.id).toMatch(/^[A-Za-z0-9@-]{27}$/);
  });

  it("targets the user, by the administrator, in System Log shape", () => {
    const [event] = userActionEvents("deactivate", { user, orgUrl: ORG, now: NOW });
    expect(event?.actor).toEqual(EMULATOR_ADMIN_ACTOR);
    expect(event?.target).toEqual([
      {
        id: user.id,
        type: "User",
        alternateId: user.login,
        displayName: user.displayName,
        detailEntry: null,
      },
    ]);
    expect(event?.displayMessage).toBe("Deactivate Okta user");
    expect(event?.legacyEventType).toBe("core.user.config.user_deactivated");
    expect(event?.request?.ipChain).toHaveLength(1);
    expect(event?.debugContext?.debugData?.requestUri).toBe(
      `/api/v1/users/${user.id}/lifecycle/deactivate`,
    );
  });

  it("names the create request with its activate flag", () => {
    const [staged] = userActionEvents("create", { user, orgUrl: ORG, now: NOW });
    const [active] = userActionEvents("create_and_activate", { user, orgUrl: ORG, now: NOW });
    expect(staged?.debugContext?.debugData?.url).toBe("/api/v1/users?activate=false");
    expect(active?.debugContext?.debugData?.url).toBe("/api/v1/users?activate=true");
  });

  it("puts user and group targets on membership events", () => {
    const [event] = userActionEvents("group_add", { user, group, orgUrl: ORG, now: NOW });
    expect(event?.target?.map((t) => [t.type, t.id, t.displayName])).toEqual([
      ["User", user.id, user.displayName],
      ["UserGroup", group.id, "Sales"],
    ]);
  });

  it("lists the changed attributes of a profile update", () => {
    const [event] = userActionEvents("update_profile", {
      user,
      orgUrl: ORG,
      now: NOW,
      changedAttributes: ["firstName", "nickName"],
    });
    expect(event?.debugContext?.debugData?.changedAttributes).toBe("firstName,nickName");
  });

  it("makes a sign-in the user's own act; a failed one has no session", () => {
    const [ok] = userActionEvents("sign_in", { user, orgUrl: ORG, now: NOW });
    expect(ok?.actor).toMatchObject({ id: user.id, alternateId: user.login, type: "User" });
    expect(ok?.outcome).toEqual({ result: "SUCCESS", reason: null });
    expect(ok?.target?.map((t) => t.type)).toEqual(["AuthenticatorEnrollment", "AppInstance"]);
    expect(ok?.debugContext?.debugData?.origin).toBe(ORG);
    expect(ok?.authenticationContext?.externalSessionId).toEqual(expect.any(String));
    const [failed] = userActionEvents("sign_in_failed", { user, orgUrl: ORG, now: NOW });
    expect(failed?.outcome).toEqual({ result: "FAILURE", reason: "INVALID_CREDENTIALS" });
    expect(failed?.authenticationContext?.externalSessionId).toBeNull();
  });

  it("refuses an unknown action and a group action without a group", () => {
    expect(() => userActionEvents("explode" as UserAction, { user, orgUrl: ORG })).toThrow(
      /unknown user action "explode"/,
    );
    expect(() => userActionEvents("group_add", { user, orgUrl: ORG })).toThrow(
      /needs context.group/,
    );
    expect(() =>
      userActionEvents("activate", { user: { ...user, login: "" }, orgUrl: ORG }),
    ).toThrow("context.user.login must be a non-empty string");
    expect(() =>
      userActionEvents("activate", { user: { id: user.id } as typeof user, orgUrl: ORG }),
    ).toThrow("context.user.login must be a non-empty string");
    expect(() => userActionEvents("activate", { user, orgUrl: ORG, now: Number.NaN })).toThrow(
      /context.now/,
    );
  });

  it.each([
    ["alb-event-user-update-profile.json", "update_profile", "exact"],
    ["alb-event-user-lifecycle-create.json", "create", "subset"],
    ["sns-user-lifecycle-deactivate.json", "deactivate", "subset"],
    ["sns-user-lifecycle-reactivate.json", "reactivate", "subset"],
    ["alb-event-user-lifecycle-delete.json", "delete", "subset"],
  ] as const)("%s: the %s event, delivered, has the capture's shape", (file, action, mode) => {
    const real = captured(file);
    const event = userActionEvents(action, {
      user,
      orgUrl: ORG,
      now: NOW,
      changedAttributes: ["nickName"],
    })[0];
    const delivered = buildDelivery([toDeliveryLogEvent(event as NonNullable<typeof event>)], {
      hookId: "whoo0erni6PIVagJY0h7",
      orgUrl: ORG,
    }).data.events[0];
    expect(delivered).toBeDefined();
    expect(delivered?.eventType).toBe(real.eventType);
    const differences = shapeDifferences(delivered, real, mode, "data.events[0]");
    expect(differences).toEqual([]);
  });
});
