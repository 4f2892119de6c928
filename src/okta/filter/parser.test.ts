import { describe, expect, it } from "vitest";
import type { FilterExpression, TargetPredicate } from "./ast.js";
import { EVENT_FIELD_PATHS } from "./ast.js";
import { FilterSyntaxError } from "./errors.js";
import { MAX_FILTER_NESTING, parseFilter } from "./parser.js";

const eventType = (value: string, operator: "eq" | "ne" = "eq"): FilterExpression => ({
  kind: "field",
  field: "event.eventType",
  operator,
  value,
});
const target = (field: "id" | "type" | "alternateId" | "displayName", value: string) =>
  ({ kind: "targetField", field, operator: "eq", value }) as const;
const selection = (predicate: TargetPredicate): FilterExpression => ({
  kind: "targetSelection",
  predicate,
  operator: ">",
  count: 0,
});

/** Parses `source` expecting failure and returns the error. */
function syntaxError(source: string): FilterSyntaxError {
  try {
    parseFilter(source);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

describe("parseFilter: the examples of shared spec §5.7", () => {
  it("parses the API example (two selections joined by &&)", () => {
    expect(
      parseFilter(
        "event.target.?[type eq 'UserGroup'].size()>0 && event.target.?[displayName eq 'Sales'].size()>0",
      ),
    ).toEqual({
      kind: "and",
      operands: [selection(target("type", "UserGroup")), selection(target("displayName", "Sales"))],
    });
  });

  it("parses the group example (&& inside one selection, space before > 0)", () => {
    expect(
      parseFilter("event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size()> 0"),
    ).toEqual(
      selection({
        kind: "and",
        operands: [target("type", "UserGroup"), target("displayName", "Sales")],
      }),
    );
  });

  it("parses the app example (a literal with spaces)", () => {
    expect(
      parseFilter(
        "event.target.?[type eq 'AppInstance' && alternateId eq 'My Company Bookmark App'].size()> 0",
      ),
    ).toEqual(
      selection({
        kind: "and",
        operands: [target("type", "AppInstance"), target("alternateId", "My Company Bookmark App")],
      }),
    );
  });

  it("parses the combined user + group example", () => {
    expect(
      parseFilter(
        "event.target.?[type eq 'User' && id eq '00usnkgbd0FFDxYaj0h7'].size()>0 && event.target.?[type eq 'UserGroup' && displayName eq 'Admin'].size()> 0",
      ),
    ).toEqual({
      kind: "and",
      operands: [
        selection({
          kind: "and",
          operands: [target("type", "User"), target("id", "00usnkgbd0FFDxYaj0h7")],
        }),
        selection({
          kind: "and",
          operands: [target("type", "UserGroup"), target("displayName", "Admin")],
        }),
      ],
    });
  });

  it("parses the legacy eventType example", () => {
    expect(parseFilter("event.eventType eq 'Admin' && event.eventType ne 'Bob'")).toEqual({
      kind: "and",
      operands: [eventType("Admin"), eventType("Bob", "ne")],
    });
  });
});

describe("parseFilter: fields", () => {
  it.each(EVENT_FIELD_PATHS)("accepts %s", (field) => {
    expect(parseFilter(`${field} ne 'x'`)).toEqual({
      kind: "field",
      field,
      operator: "ne",
      value: "x",
    });
  });

  it.each(["id", "type", "alternateId", "displayName"] as const)(
    "accepts the bare target field %s inside a selection",
    (field) => {
      expect(parseFilter(`event.target.?[${field} eq 'v'].size() > 0`)).toEqual(
        selection(target(field, "v")),
      );
    },
  );
});

describe("parseFilter: precedence and grouping", () => {
  it("binds && tighter than ||, on either side", () => {
    const [a, b, c] = [eventType("a"), eventType("b"), eventType("c")];
    expect(
      parseFilter("event.eventType eq 'a' || event.eventType eq 'b' && event.eventType eq 'c'"),
    ).toEqual({ kind: "or", operands: [a, { kind: "and", operands: [b, c] }] });
    expect(
      parseFilter("event.eventType eq 'a' && event.eventType eq 'b' || event.eventType eq 'c'"),
    ).toEqual({ kind: "or", operands: [{ kind: "and", operands: [a, b] }, c] });
  });

  it("lets parentheses override precedence", () => {
    expect(
      parseFilter("(event.eventType eq 'a' || event.eventType eq 'b') && event.eventType eq 'c'"),
    ).toEqual({
      kind: "and",
      operands: [{ kind: "or", operands: [eventType("a"), eventType("b")] }, eventType("c")],
    });
  });

  it("collects a chain of the same operator into one node", () => {
    expect(
      parseFilter("event.eventType eq 'a' || event.eventType eq 'b' || event.eventType eq 'c'"),
    ).toEqual({ kind: "or", operands: [eventType("a"), eventType("b"), eventType("c")] });
  });

  it("drops redundant parentheses but keeps explicit grouping of the same operator", () => {
    expect(parseFilter("((event.eventType eq 'a'))")).toEqual(eventType("a"));
    expect(
      parseFilter("(event.eventType eq 'a' && event.eventType eq 'b') && event.eventType eq 'c'"),
    ).toEqual({
      kind: "and",
      operands: [{ kind: "and", operands: [eventType("a"), eventType("b")] }, eventType("c")],
    });
  });

  it("applies precedence and parentheses inside a selection too", () => {
    expect(
      parseFilter("event.target.?[type eq 'User' && (id eq '1' || id eq '2')].size() > 0"),
    ).toEqual(
      selection({
        kind: "and",
        operands: [
          target("type", "User"),
          { kind: "or", operands: [target("id", "1"), target("id", "2")] },
        ],
      }),
    );
  });
});

describe("parseFilter: lexical details", () => {
  it("accepts whitespace anywhere between tokens, or none where unambiguous", () => {
    const spaced = parseFilter(
      " event . target . ?[ type eq 'User' ] . size ( ) > 0 && ( event . eventType eq 'x' ) ",
    );
    const tight = parseFilter("event.target.?[type eq'User'].size()>0&&(event.eventType eq'x')");
    expect(spaced).toEqual(tight);
    expect(tight).toEqual({
      kind: "and",
      operands: [selection(target("type", "User")), eventType("x")],
    });
  });

  it("accepts double-quoted strings and escaped quotes", () => {
    expect(parseFilter(`event.eventType eq "it's"`)).toEqual(eventType("it's"));
    expect(parseFilter("event.eventType eq 'it\\'s'")).toEqual(eventType("it's"));
    expect(parseFilter("event.eventType eq 'it''s'")).toEqual(eventType("it's"));
    expect(parseFilter("event.eventType eq ''")).toEqual(eventType(""));
  });

  it.each([
    [">", ">"],
    [">=", ">="],
    ["<", "<"],
    ["<=", "<="],
    ["==", "=="],
    ["!=", "!="],
    ["eq", "=="],
    ["ne", "!="],
    ["gt", ">"],
    ["ge", ">="],
    ["lt", "<"],
    ["le", "<="],
  ])("accepts the count operator %s, stored as %s", (written, stored) => {
    expect(parseFilter(`event.target.?[type eq 'User'].size() ${written} 2`)).toMatchObject({
      operator: stored,
      count: 2,
    });
  });

  it("reads counts as decimal integers", () => {
    expect(parseFilter("event.target.?[id eq 'x'].size() == 007")).toMatchObject({ count: 7 });
    expect(
      parseFilter(`event.target.?[id eq 'x'].size() < ${Number.MAX_SAFE_INTEGER}`),
    ).toMatchObject({ count: Number.MAX_SAFE_INTEGER });
  });
});

describe("parseFilter: rejections name the exact position", () => {
  it.each([
    ["", 0, "Empty filter expression at position 0"],
    ["   ", 0, "Empty filter expression at position 0"],
    ["event.eventType eqq 'x'", 16, "Unexpected token 'eqq' at position 16: expected eq or ne"],
    ["event.foo eq 'x'", 6, "Unknown field 'event.foo' at position 6"],
    ["event.outcome.foo eq 'x'", 14, "Unknown field 'event.outcome.foo' at position 14"],
    ["event.actor eq 'x'", 12, "Unexpected token 'eq' at position 12: expected '.'"],
    ["event.debugData.requestId eq 'x'", 16, "Unknown field 'event.debugData.requestId'"],
    ["event.EventType eq 'x'", 6, "Unknown field 'event.EventType'"],
    ["Event.eventType eq 'x'", 0, "Unexpected token 'Event' at position 0: expected event or '('"],
    ["eventType eq 'x'", 0, "expected event or '('"],
    ["event eq 'x'", 6, "expected '.'"],
    ["event.target.id eq 'x'", 13, "Unexpected token 'id' at position 13: expected '?['"],
    ["event.target eq 'x'", 13, "Unexpected token 'eq' at position 13: expected '.'"],
    ["event.target.?[id eq 'x'].count() > 0", 26, "Unexpected token 'count' at position 26"],
    ["event.target.?[id eq 'x'].size > 0", 31, "Unexpected '>' at position 31: expected '('"],
    ["event.target.?[id eq 'x'].size()", 32, "Unexpected end of input at position 32"],
    ["event.target.?[id eq 'x'].size() > 'a'", 35, "expected a non-negative integer"],
    ["event.target.?[id eq 'x'].size() > -1", 35, "Unexpected character '-'"],
    ["event.target.?[id eq 'x'].size() > 1.5", 36, "Unexpected '.' at position 36"],
    ["event.target.?[id eq 'x'].size() > 9007199254740992", 35, "Integer too large"],
    ["event.target.?[id eq 'x'].size() = 0", 33, "Unexpected '=' at position 33: expected '=='"],
    ["event.target.?[id eq 'x'].size() >> 0", 34, "Unexpected '>' at position 34"],
    ["event.target.?[].size() > 0", 15, "Unexpected ']' at position 15"],
    ["event.target.?[event.eventType eq 'x'].size() > 0", 15, "expected id, type"],
    ["event.target.?[name eq 'x'].size() > 0", 15, "Unexpected token 'name'"],
    ["event.target.?[id eq 'x'.size() > 0", 24, "expected '&&', '||' or ']'"],
    ["event.target.^[id eq 'x'].size() > 0", 13, "Unexpected character '^'"],
    ["event.target.? [id eq 'x'].size() > 0", 13, "Unexpected '?' at position 13"],
    ["event.target.?[id eq 'x'].size().size() > 0", 32, "Unexpected '.' at position 32"],
    [
      "event.eventType.toLowerCase() eq 'x'",
      15,
      "Unexpected '.' at position 15: expected eq or ne",
    ],
    ["event.eventType == 'x'", 16, "Unexpected '==' at position 16: expected eq or ne"],
    ["event.eventType != 'x'", 16, "expected eq or ne"],
    ["event.eventType EQ 'x'", 16, "Unexpected token 'EQ'"],
    ["event.eventType eq x", 19, "Unexpected token 'x' at position 19: expected a string literal"],
    ["event.eventType eq 1", 19, "Unexpected number 1 at position 19: expected a string literal"],
    ["event.eventType eq", 18, "Unexpected end of input at position 18: expected a string literal"],
    ["'x' eq event.eventType", 0, "Unexpected string literal 'x' at position 0"],
    ["!(event.eventType eq 'x')", 0, "Unexpected '!' at position 0"],
    ["not event.eventType eq 'x'", 0, "Unexpected token 'not'"],
    [
      "event.eventType eq 'x' and event.eventType eq 'y'",
      23,
      "expected '&&', '||' or end of input",
    ],
    ["event.eventType eq 'x' & event.eventType eq 'y'", 23, "Unexpected '&' at position 23"],
    ["event.eventType eq 'x' | event.eventType eq 'y'", 23, "Unexpected '|' at position 23"],
    ["event.eventType eq 'x' &&", 25, "Unexpected end of input at position 25"],
    ["&& event.eventType eq 'x'", 0, "Unexpected '&&' at position 0"],
    ["event.eventType eq 'x' garbage", 23, "Unexpected token 'garbage' at position 23"],
    ["event.eventType eq 'x' 'y'", 23, "Unexpected string literal 'y' at position 23"],
    ["event.eventType eq 'x')", 22, "Unexpected ')' at position 22: expected '&&', '||' or end"],
    ["(event.eventType eq 'x'", 23, "expected '&&', '||' or ')'"],
    ["()", 1, "Unexpected ')' at position 1: expected event or '('"],
    ["event.eventType eq 'unterminated", 19, "Unterminated string literal at position 19"],
    [`event.eventType eq "unterminated'`, 19, 'expected a closing "'],
    ["event.eventType eq 'a\\tb'", 21, "Unsupported escape sequence '\\t' at position 21"],
    ["event.eventType eq 'x' # comment", 23, "Unexpected character '#'"],
  ])("%j fails at %i", (source, position, message) => {
    const error = syntaxError(source);
    expect(error.position).toBe(position);
    expect(error.message).toContain(message);
    expect(error.code).toBe("FILTER_SYNTAX");
    expect(error.expression).toBe(source);
  });

  it("reports the leftmost problem even when a later one is lexical", () => {
    expect(syntaxError("event.foo eq 'unterminated").position).toBe(6);
    expect(syntaxError("event.eventType eq 'x' # 'unterminated").position).toBe(23);
  });

  it("rejects nesting deeper than MAX_FILTER_NESTING at the first excess parenthesis", () => {
    const inner = "event.eventType eq 'x'";
    const ok = `${"(".repeat(MAX_FILTER_NESTING)}${inner}${")".repeat(MAX_FILTER_NESTING)}`;
    expect(parseFilter(ok)).toEqual(eventType("x"));
    const deep = `(${ok})`;
    const error = syntaxError(deep);
    expect(error.position).toBe(MAX_FILTER_NESTING);
    expect(error.message).toContain("Nesting too deep");
  });

  it("counts a selection as one level of nesting", () => {
    const open = "(".repeat(MAX_FILTER_NESTING - 1);
    const close = ")".repeat(MAX_FILTER_NESTING - 1);
    expect(() => parseFilter(`${open}event.target.?[id eq 'x'].size() > 0${close}`)).not.toThrow();
    const error = syntaxError(`${open}event.target.?[(id eq 'x')].size() > 0${close}`);
    expect(error.position).toBe(MAX_FILTER_NESTING - 1 + "event.target.?[".length);
  });

  it("survives hostile input with a syntax error, not a stack overflow", () => {
    expect(syntaxError("(".repeat(100_000)).message).toContain("Nesting too deep");
    expect(syntaxError("event.target.?[(".repeat(10_000)).code).toBe("FILTER_SYNTAX");
  });

  it("parses a very long flat chain without recursion trouble", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `event.eventType eq '${i}'`).join(
      " || ",
    );
    const parsed = parseFilter(chain);
    expect(parsed.kind === "or" && parsed.operands.length).toBe(20_000);
  });

  it("rejects a non-string source with a FilterSyntaxError", () => {
    for (const value of [undefined, null, 42, {}]) {
      const call = () => parseFilter(value as unknown as string);
      expect(call).toThrow(FilterSyntaxError);
      expect(call).toThrow(/^Filter expression is a (undefined|null|number|object) at position 0/);
    }
  });
});
