import { describe, expect, it } from "vitest";
import { buildLogEvent } from "../../okta/index.js";
import { hookMatchesEvent, type RoutableHook } from "./hook-match.js";

function hook(overrides: Partial<RoutableHook> = {}): RoutableHook {
  return {
    status: "ACTIVE",
    verificationStatus: "VERIFIED",
    events: {
      type: "EVENT_TYPE",
      items: ["group.user_membership.add", "user.lifecycle.create"],
      filter: null,
    },
    ...overrides,
  };
}

const salesAdd = buildLogEvent("group.user_membership.add", {
  target: [{ type: "User" }, { type: "UserGroup", displayName: "Sales" }],
});
const engineeringAdd = buildLogEvent("group.user_membership.add", {
  target: [{ type: "User" }, { type: "UserGroup", displayName: "Engineering" }],
});

const salesOnly = {
  type: "EXPRESSION_LANGUAGE" as const,
  eventFilterMap: [
    {
      event: "group.user_membership.add",
      condition: {
        expression: "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0",
        version: null,
      },
    },
  ],
};

describe("hookMatchesEvent", () => {
  it("routes a subscribed type to an ACTIVE, VERIFIED hook", () => {
    expect(hookMatchesEvent(hook(), buildLogEvent("user.lifecycle.create"))).toBe(true);
  });

  it("does not route to an INACTIVE or UNVERIFIED hook", () => {
    const event = buildLogEvent("user.lifecycle.create");
    expect(hookMatchesEvent(hook({ status: "INACTIVE" }), event)).toBe(false);
    expect(hookMatchesEvent(hook({ verificationStatus: "UNVERIFIED" }), event)).toBe(false);
  });

  it("does not route a type the hook does not subscribe to", () => {
    expect(hookMatchesEvent(hook(), buildLogEvent("user.lifecycle.deactivate"))).toBe(false);
  });

  it("applies the filter of the event's type only", () => {
    const filtered = hook({ events: { ...hook().events, filter: salesOnly } });
    expect(hookMatchesEvent(filtered, salesAdd)).toBe(true);
    expect(hookMatchesEvent(filtered, engineeringAdd)).toBe(false);
    expect(hookMatchesEvent(filtered, buildLogEvent("user.lifecycle.create"))).toBe(true);
  });

  it("fails closed on a stored filter that does not parse", () => {
    const broken = {
      ...salesOnly,
      eventFilterMap: [
        {
          event: "group.user_membership.add",
          condition: { expression: "event.eventType eqq 'x'", version: null },
        },
      ],
    };
    expect(hookMatchesEvent(hook({ events: { ...hook().events, filter: broken } }), salesAdd)).toBe(
      false,
    );
  });
});
