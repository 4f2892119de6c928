import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AnyLogEvent, DeliveryLogEvent, LogTarget, SystemLogEvent } from "../log-event.js";
import { compileFilter } from "./compile.js";
import { FilterSyntaxError } from "./errors.js";
import type { FilterableEvent } from "./evaluate.js";
import { evaluateFilter } from "./evaluate.js";
import { parseFilter } from "./parser.js";

function targetOf(
  type: string,
  id: string,
  displayName: string,
  alternateId = "unknown",
): LogTarget {
  return { id, type, alternateId, displayName, detailEntry: null };
}

const JANE = targetOf("User", "00usnkgbd0FFDxYaj0h7", "Jane Doe", "jane@example.com");
const SALES = targetOf("UserGroup", "00gsales000000000001", "Sales");
const ADMIN = targetOf("UserGroup", "00gadmin000000000001", "Admin");
const BOOKMARK_APP = targetOf(
  "AppInstance",
  "0oabookmark000000001",
  "Bookmark",
  "My Company Bookmark App",
);

/** A delivery-shaped `group.user_membership.add`, typed as the real LogEvent. */
function membershipAdd(targets: LogTarget[]): DeliveryLogEvent {
  return {
    uuid: "a1b2c3d4-0000-11ee-8000-000000000000",
    published: "2024-05-01T12:00:00.000Z",
    eventType: "group.user_membership.add",
    version: "0",
    displayMessage: "Add user to group membership",
    severity: "INFO",
    client: null,
    device: null,
    actor: {
      id: "00uadmin000000000001",
      type: "User",
      alternateId: "admin@example.com",
      displayName: "Ada Admin",
      detailEntry: null,
    },
    outcome: { result: "SUCCESS", reason: null },
    target: targets,
    transaction: { type: "WEB", id: "ZCCzm8j2wTvzwele2NwLnwAADSc", detail: {} },
    debugContext: { debugData: { requestId: "ZCCzm8j2wTvzwele2NwLnwAADSc" } },
    legacyEventType: "core.user_group_member.user_add",
    authenticationContext: null,
    securityContext: null,
    insertionTimestamp: null,
  };
}

/** The same event as the System Log API would return it: the other LogEvent shape. */
function asSystemLog(event: DeliveryLogEvent): SystemLogEvent {
  const { insertionTimestamp: _unused, ...rest } = event;
  return { ...rest, client: null, request: { ipChain: [] } };
}

function matches(source: string, event: FilterableEvent): boolean {
  return evaluateFilter(parseFilter(source), event);
}

/** The LogEvents of the real captured deliveries in test/fixtures. */
function fixtureEvents(name: string): AnyLogEvent[] {
  const url = new URL(`../../../test/fixtures/okta/okta-deliveries/${name}`, import.meta.url);
  const capture = JSON.parse(readFileSync(url, "utf8"));
  if (typeof capture.body === "string") return JSON.parse(capture.body).data.events;
  return capture.Records.map((record: { Sns: { Message: string } }) =>
    JSON.parse(record.Sns.Message),
  );
}

describe("evaluateFilter: the examples of shared spec §5.7", () => {
  const apiExample =
    "event.target.?[type eq 'UserGroup'].size()>0 && event.target.?[displayName eq 'Sales'].size()>0";
  const groupExample = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size()> 0";
  const appExample =
    "event.target.?[type eq 'AppInstance' && alternateId eq 'My Company Bookmark App'].size()> 0";
  const combinedExample =
    "event.target.?[type eq 'User' && id eq '00usnkgbd0FFDxYaj0h7'].size()>0 && event.target.?[type eq 'UserGroup' && displayName eq 'Admin'].size()> 0";
  const legacyExample = "event.eventType eq 'Admin' && event.eventType ne 'Bob'";

  it("API example: passes a user added to Sales, not one added to Admin", () => {
    expect(matches(apiExample, membershipAdd([JANE, SALES]))).toBe(true);
    expect(matches(apiExample, membershipAdd([JANE, ADMIN]))).toBe(false);
  });

  it("the API example checks the two conditions on any targets; the group example on one", () => {
    const salesUser = targetOf("User", "00usales", "Sales");
    expect(matches(apiExample, membershipAdd([salesUser, ADMIN]))).toBe(true);
    expect(matches(groupExample, membershipAdd([salesUser, ADMIN]))).toBe(false);
    expect(matches(groupExample, membershipAdd([JANE, SALES]))).toBe(true);
  });

  it("app example: matches the bookmark app by alternateId only", () => {
    expect(matches(appExample, membershipAdd([JANE, BOOKMARK_APP]))).toBe(true);
    const otherApp = { ...BOOKMARK_APP, alternateId: "Other App" };
    expect(matches(appExample, membershipAdd([JANE, otherApp]))).toBe(false);
    const userNamedLikeApp = { ...JANE, alternateId: "My Company Bookmark App" };
    expect(matches(appExample, membershipAdd([userNamedLikeApp]))).toBe(false);
  });

  it("combined example: needs that exact user and the Admin group", () => {
    expect(matches(combinedExample, membershipAdd([JANE, ADMIN]))).toBe(true);
    expect(matches(combinedExample, membershipAdd([ADMIN, JANE]))).toBe(true);
    expect(matches(combinedExample, membershipAdd([JANE, SALES]))).toBe(false);
    const otherUser = { ...JANE, id: "00uother0000000000001" };
    expect(matches(combinedExample, membershipAdd([otherUser, ADMIN]))).toBe(false);
  });

  it("legacy example: eventType equal to Admin and not Bob", () => {
    expect(matches(legacyExample, { eventType: "Admin" })).toBe(true);
    expect(matches(legacyExample, { eventType: "Bob" })).toBe(false);
    expect(matches(legacyExample, membershipAdd([JANE, SALES]))).toBe(false);
  });

  it("gives the same answers on the System Log API shape of the event", () => {
    for (const source of [apiExample, groupExample, combinedExample]) {
      for (const targets of [
        [JANE, SALES],
        [JANE, ADMIN],
      ]) {
        const delivery = membershipAdd(targets);
        expect(matches(source, asSystemLog(delivery))).toBe(matches(source, delivery));
      }
    }
  });
});

describe("evaluateFilter: operators", () => {
  const event = membershipAdd([JANE, SALES]);

  it("&& binds tighter than ||", () => {
    // false || (true && true) is true; (false || true) && false would be false.
    expect(
      matches(
        "event.eventType eq 'nope' || event.actor.type eq 'User' && event.outcome.result eq 'SUCCESS'",
        event,
      ),
    ).toBe(true);
    expect(
      matches(
        "event.eventType eq 'nope' || event.actor.type eq 'User' && event.outcome.result eq 'FAILURE'",
        event,
      ),
    ).toBe(false);
    expect(
      matches(
        "(event.eventType eq 'nope' || event.actor.type eq 'User') && event.outcome.result eq 'FAILURE'",
        event,
      ),
    ).toBe(false);
    expect(
      matches(
        "event.actor.type eq 'User' && event.eventType eq 'nope' || event.outcome.result eq 'SUCCESS'",
        event,
      ),
    ).toBe(true);
  });

  it("compares strings exactly and case-sensitively", () => {
    expect(matches("event.actor.displayName eq 'Ada Admin'", event)).toBe(true);
    expect(matches("event.actor.displayName eq 'ada admin'", event)).toBe(false);
    expect(matches("event.actor.displayName eq 'Ada'", event)).toBe(false);
    expect(matches("event.actor.displayName ne 'ada admin'", event)).toBe(true);
  });

  it.each([
    ["> 1", true],
    ["> 2", false],
    [">= 2", true],
    ["< 2", false],
    ["<= 2", true],
    ["== 2", true],
    ["!= 2", false],
    ["eq 2", true],
    ["ne 0", true],
    ["gt 1", true],
    ["ge 3", false],
    ["lt 3", true],
    ["le 1", false],
  ])("compares the selection size (2) with %s", (comparison, expected) => {
    const twoTargets = membershipAdd([JANE, SALES]);
    expect(matches(`event.target.?[id ne 'none'].size() ${comparison}`, twoTargets)).toBe(expected);
  });

  it("reads every event field from its place in the LogEvent", () => {
    const failed: FilterableEvent = {
      eventType: "user.session.start",
      outcome: { result: "FAILURE", reason: "INVALID_CREDENTIALS" },
      actor: { id: "00u1", type: "User", alternateId: "jane@example.com", displayName: "Jane" },
      debugContext: { debugData: { changedAttributes: "firstName,lastName" } },
    };
    expect(matches("event.eventType eq 'user.session.start'", failed)).toBe(true);
    expect(matches("event.outcome.result eq 'FAILURE'", failed)).toBe(true);
    expect(matches("event.outcome.reason eq 'INVALID_CREDENTIALS'", failed)).toBe(true);
    expect(matches("event.actor.id eq '00u1'", failed)).toBe(true);
    expect(matches("event.actor.type eq 'User'", failed)).toBe(true);
    expect(matches("event.actor.alternateId eq 'jane@example.com'", failed)).toBe(true);
    expect(matches("event.actor.displayName eq 'Jane'", failed)).toBe(true);
    expect(matches("event.debugData.changedAttributes eq 'firstName,lastName'", failed)).toBe(true);
    expect(matches("event.debugData.changedAttributes eq 'firstName'", failed)).toBe(false);
  });
});

describe("evaluateFilter: missing, null and odd data", () => {
  const bare: FilterableEvent = { eventType: "user.lifecycle.create" };

  it("treats a missing or null field as equal to nothing: eq is false, ne is true", () => {
    for (const event of [
      bare,
      { eventType: "x", outcome: null, actor: null, debugContext: null },
      {
        eventType: "x",
        outcome: { result: "SUCCESS", reason: null },
        debugContext: { debugData: null },
      },
    ]) {
      expect(matches("event.outcome.reason eq 'x'", event)).toBe(false);
      expect(matches("event.outcome.reason ne 'x'", event)).toBe(true);
      expect(matches("event.actor.id eq 'x'", event)).toBe(false);
      expect(matches("event.actor.id ne 'x'", event)).toBe(true);
      expect(matches("event.debugData.changedAttributes ne 'x'", event)).toBe(true);
      expect(matches("event.debugData.changedAttributes eq ''", event)).toBe(false);
    }
  });

  it("treats a missing or null target list as empty", () => {
    for (const event of [bare, { eventType: "x", target: null }, { eventType: "x", target: [] }]) {
      expect(matches("event.target.?[type ne 'x'].size() > 0", event)).toBe(false);
      expect(matches("event.target.?[type ne 'x'].size() == 0", event)).toBe(true);
    }
  });

  it("never throws on data of the wrong types, and such data matches nothing", () => {
    const odd = [
      { eventType: 42, outcome: "SUCCESS", actor: [1, 2], target: "User", debugContext: 7 },
      { eventType: "x", target: [null, 3, "User", [], { type: 5 }, { type: "User" }] },
      { eventType: "x", actor: { id: { nested: true } }, debugContext: { debugData: [] } },
      { eventType: "x", debugContext: { debugData: { changedAttributes: ["login"] } } },
      null,
      undefined,
      "a string",
      Object.create(null),
    ] as unknown as FilterableEvent[];
    const sources = [
      "event.eventType eq '42'",
      "event.outcome.result eq 'SUCCESS'",
      "event.actor.id ne 'x'",
      "event.debugData.changedAttributes eq 'login'",
      "event.target.?[type eq 'User'].size() > 0",
      "event.target.?[type ne 'User'].size() > 0",
    ];
    const results = odd.map((event) => sources.map((source) => matches(source, event)));
    expect(results).toEqual([
      [false, false, true, false, false, false],
      [false, false, true, false, true, true],
      [false, false, true, false, false, false],
      [false, false, true, false, false, false],
      [false, false, true, false, false, false],
      [false, false, true, false, false, false],
      [false, false, true, false, false, false],
      [false, false, true, false, false, false],
    ]);
  });

  it("reads own properties only", () => {
    const inherited = Object.create({ eventType: "user.lifecycle.create" }) as FilterableEvent;
    expect(matches("event.eventType eq 'user.lifecycle.create'", inherited)).toBe(false);
    const polluted = JSON.parse('{"eventType":"x","actor":{"__proto__":{"id":"00u1"}}}');
    expect(matches("event.actor.id eq '00u1'", polluted)).toBe(false);
  });
});

describe("evaluateFilter on real captured deliveries", () => {
  const updateProfile = fixtureEvents("alb-event-user-update-profile.json")[0];
  const created = fixtureEvents("sns-user-lifecycle-create.json")[0];

  it("finds the captured events", () => {
    expect(updateProfile?.eventType).toBe("user.account.update_profile");
    expect(created?.eventType).toBe("user.lifecycle.create");
  });

  it("filters on changedAttributes, actor and target of a profile update", () => {
    if (updateProfile === undefined) throw new Error("fixture missing");
    expect(
      matches("event.debugData.changedAttributes eq 'usDesignationNumber'", updateProfile),
    ).toBe(true);
    expect(
      matches(
        "event.actor.id eq 'badactor' && event.target.?[alternateId eq 'thor.odinson@avengers.org'].size() > 0",
        updateProfile,
      ),
    ).toBe(true);
    expect(matches("event.outcome.reason ne 'anything'", updateProfile)).toBe(true);
  });

  it("tells a system-created user from an admin-created one", () => {
    if (created === undefined) throw new Error("fixture missing");
    const bySystem =
      "event.actor.type eq 'SystemPrincipal' && event.eventType eq 'user.lifecycle.create'";
    expect(matches(bySystem, created)).toBe(true);
    expect(matches("event.target.?[type eq 'UserGroup'].size() > 0", created)).toBe(false);
  });
});

describe("compileFilter", () => {
  it("parses once and returns a reusable predicate", () => {
    const isSales = compileFilter(
      "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0",
    );
    const events = [membershipAdd([JANE, SALES]), membershipAdd([JANE, ADMIN]), { eventType: "x" }];
    expect(events.map(isSales)).toEqual([true, false, false]);
  });

  it("throws FilterSyntaxError at compile time, before any event", () => {
    expect(() => compileFilter("event.eventType eqq 'x'")).toThrow(FilterSyntaxError);
  });
});
