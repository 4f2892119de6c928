import { describe, expect, it } from "vitest";
import { buildLogEvent } from "../../okta/index.js";
import { toSystemLogEvent } from "./log-event-shape.js";
import { compileLogFilter } from "./log-filter.js";
import { LogFilterError, parseLogFilter } from "./log-filter-parse.js";

const failedSignIn = toSystemLogEvent(
  buildLogEvent("user.session.start", {
    published: "2025-03-01T10:00:00.000Z",
    outcome: { result: "FAILURE", reason: "INVALID_CREDENTIALS" },
    actor: { id: "00uActor00000000001", alternateId: "kim@example.com" },
    client: { ipAddress: "184.73.186.14" },
  }),
);
const groupAdd = toSystemLogEvent(
  buildLogEvent("group.user_membership.add", {
    published: "2025-03-02T10:00:00.000Z",
    target: [
      { type: "User", id: "00uxc78lMKUMVIHLTAXY" },
      { type: "UserGroup", id: "00g1emaKYZTWRYYRRTSK", displayName: "Sales" },
    ],
  }),
);
const events = [failedSignIn, groupAdd];

function select(filter: string): string[] {
  const matches = compileLogFilter(filter);
  return events.filter(matches).map((e) => e.eventType);
}

describe("compileLogFilter", () => {
  it("runs Okta's documented examples", () => {
    expect(select('eventType eq "user.session.start" and outcome.result eq "FAILURE"')).toEqual([
      "user.session.start",
    ]);
    expect(
      select('target.id eq "00uxc78lMKUMVIHLTAXY" and target.id eq "00g1emaKYZTWRYYRRTSK"'),
    ).toEqual(["group.user_membership.add"]);
    expect(select('actor.id ne "00uActor00000000001"')).toEqual(["group.user_membership.add"]);
    expect(select('client.ipAddress eq "184.73.186.14"')).toEqual(["user.session.start"]);
    expect(select('eventType sw "group"')).toEqual(["group.user_membership.add"]);
    expect(select('eventType co "session"')).toEqual(["user.session.start"]);
    expect(select('eventType ew ".add"')).toEqual(["group.user_membership.add"]);
    expect(select('actor.alternateId eq "kim@example.com"')).toEqual(["user.session.start"]);
    expect(select('severity eq "INFO"')).toHaveLength(2);
  });

  it("combines with or, not and parentheses; and binds tighter than or", () => {
    expect(select('eventType eq "x" or eventType eq "user.session.start"')).toEqual([
      "user.session.start",
    ]);
    expect(select('not (eventType eq "user.session.start")')).toEqual([
      "group.user_membership.add",
    ]);
    expect(
      select(
        'eventType eq "group.user_membership.add" or eventType eq "user.session.start" and outcome.result eq "SUCCESS"',
      ),
    ).toEqual(["group.user_membership.add"]);
    expect(
      select(
        '(eventType eq "group.user_membership.add" or eventType eq "user.session.start") and outcome.result eq "SUCCESS"',
      ),
    ).toEqual(["group.user_membership.add"]);
  });

  it("matches any element of a multi-valued attribute; ne means no element equals", () => {
    expect(select('target.type eq "UserGroup"')).toEqual(["group.user_membership.add"]);
    expect(select('target.displayName eq "Sales"')).toEqual(["group.user_membership.add"]);
    expect(select('target.type ne "UserGroup"')).toEqual(["user.session.start"]);
  });

  it("tests presence with pr", () => {
    expect(select("outcome.reason pr")).toEqual(["user.session.start"]);
    expect(select("debugContext.debugData.requestId pr")).toHaveLength(2);
    expect(select("securityContext.asNumber pr")).toEqual([]);
  });

  it("orders published as instants with gt, ge, lt, le", () => {
    expect(select('published gt "2025-03-01T12:00:00Z"')).toEqual(["group.user_membership.add"]);
    expect(select('published ge "2025-03-01T10:00:00.000Z"')).toHaveLength(2);
    expect(select('published lt "2025-03-01T10:00:00.000Z"')).toEqual([]);
    expect(select('published le "2025-03-01T11:00:00+01:00"')).toEqual(["user.session.start"]);
  });

  it("is case-insensitive in operators and keywords, case-sensitive in names and values", () => {
    expect(select('eventType EQ "user.session.start" AND NOT outcome.result Eq "SUCCESS"')).toEqual(
      ["user.session.start"],
    );
    expect(select('eventType eq "USER.SESSION.START"')).toEqual([]);
    expect(() => parseLogFilter('EventType eq "x"')).toThrow("field is not valid: EventType");
  });

  it("reads escaped quotes inside strings", () => {
    expect(parseLogFilter('displayMessage eq "say \\"hi\\""')).toEqual({
      kind: "compare",
      path: ["displayMessage"],
      operator: "eq",
      value: 'say "hi"',
    });
  });
});

describe("log filter errors", () => {
  function errorOf(filter: string): LogFilterError {
    try {
      parseLogFilter(filter);
    } catch (error) {
      if (error instanceof LogFilterError) return error;
      throw error;
    }
    throw new Error(`parsed: ${filter}`);
  }

  it("names an unknown operator and its position, like Okta", () => {
    const error = errorOf('displayMessage eqq "Create okta user"');
    expect(error.code).toBe("invalid_filter");
    expect(error.position).toBe(15);
    expect(error.message).toBe(
      "Unrecognized attribute operator 'eqq' at position 15. Expected: eq,ne,co,sw,ew,pr,gt,ge,lt,le",
    );
    expect(error.errorSummary).toBe(
      `Invalid filter 'displayMessage eqq "Create okta user"': ${error.message}`,
    );
  });

  it("refuses a field a LogEvent does not have", () => {
    const error = errorOf('some_invalid_field eq "x"');
    expect(error).toMatchObject({ code: "invalid_field", position: 0 });
    expect(error.errorSummary).toBe("field is not valid: some_invalid_field");
  });

  it("refuses co on the debugData URL fields, as Okta does", () => {
    const error = errorOf('debugContext.debugData.url co "/api"');
    expect(error.code).toBe("unsupported_combination");
    expect(error.message).toBe(
      "The supplied combination of operator and field is not currently supported. Operator: co, Field: debugContext.debugData.url",
    );
  });

  it("names the position of every syntax error", () => {
    expect(errorOf('eventType eq "x" and').position).toBe(20);
    expect(errorOf('(eventType eq "x"').message).toBe("Expected ')' at position 17");
    expect(errorOf('eventType eq "x" eventType').message).toMatch(
      /^Unexpected 'eventType' at position 17/,
    );
    expect(errorOf('eventType eq "open').message).toBe(
      "Unterminated string starting at position 13",
    );
    expect(errorOf("eventType eq user").position).toBe(13);
    expect(errorOf("eventType co 3").message).toBe(
      "Operator 'co' needs a string value at position 13",
    );
    expect(errorOf("").position).toBe(0);
    expect(errorOf(")").position).toBe(0);
  });

  it("caps nesting so hostile input cannot exhaust the stack", () => {
    const deep = `${"(".repeat(10_000)}eventType eq "x"${")".repeat(10_000)}`;
    expect(errorOf(deep).message).toMatch(/nested deeper than 64/);
    const nots = `${"not ".repeat(10_000)}eventType eq "x"`;
    expect(errorOf(nots).message).toMatch(/nested deeper than 64/);
  });
});
