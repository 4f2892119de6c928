import { describe, expect, it } from "vitest";
import type { FilterExpression } from "./ast.js";
import { formatFilter } from "./format.js";
import { parseFilter } from "./parser.js";

const a: FilterExpression = { kind: "field", field: "event.eventType", operator: "eq", value: "a" };
const b: FilterExpression = { kind: "field", field: "event.actor.id", operator: "ne", value: "b" };
const c: FilterExpression = {
  kind: "field",
  field: "event.outcome.result",
  operator: "eq",
  value: "c",
};

describe("formatFilter", () => {
  it("prints the canonical spelling of a spec example", () => {
    expect(
      formatFilter(
        parseFilter("event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size()>0"),
      ),
    ).toBe("event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0");
  });

  it("normalises count operators to symbols", () => {
    expect(formatFilter(parseFilter("event.target.?[id eq 'x'].size() ge 1"))).toBe(
      "event.target.?[id eq 'x'].size() >= 1",
    );
  });

  it("adds parentheses only where precedence would change the tree", () => {
    expect(formatFilter({ kind: "or", operands: [{ kind: "and", operands: [a, b] }, c] })).toBe(
      "event.eventType eq 'a' && event.actor.id ne 'b' || event.outcome.result eq 'c'",
    );
    expect(formatFilter({ kind: "and", operands: [{ kind: "or", operands: [a, b] }, c] })).toBe(
      "(event.eventType eq 'a' || event.actor.id ne 'b') && event.outcome.result eq 'c'",
    );
    expect(formatFilter({ kind: "and", operands: [{ kind: "and", operands: [a, b] }, c] })).toBe(
      "(event.eventType eq 'a' && event.actor.id ne 'b') && event.outcome.result eq 'c'",
    );
    expect(formatFilter({ kind: "or", operands: [a, { kind: "or", operands: [b, c] }] })).toBe(
      "event.eventType eq 'a' || (event.actor.id ne 'b' || event.outcome.result eq 'c')",
    );
  });

  it("escapes quotes and backslashes so the value survives a round trip", () => {
    const tricky: FilterExpression = {
      kind: "field",
      field: "event.actor.displayName",
      operator: "eq",
      value: `O'Brien "Jr" C:\\path\\'`,
    };
    const printed = formatFilter(tricky);
    expect(printed).toBe(`event.actor.displayName eq 'O\\'Brien "Jr" C:\\\\path\\\\\\''`);
    expect(parseFilter(printed)).toEqual(tricky);
  });

  it("round-trips every shape of tree", () => {
    const trees: FilterExpression[] = [
      a,
      { kind: "or", operands: [{ kind: "and", operands: [a, b] }, c] },
      {
        kind: "and",
        operands: [
          { kind: "or", operands: [a, b] },
          { kind: "and", operands: [b, c] },
        ],
      },
      {
        kind: "targetSelection",
        operator: "!=",
        count: 3,
        predicate: {
          kind: "and",
          operands: [
            {
              kind: "or",
              operands: [
                { kind: "targetField", field: "id", operator: "eq", value: "1" },
                { kind: "targetField", field: "id", operator: "eq", value: "2" },
              ],
            },
            { kind: "targetField", field: "type", operator: "ne", value: "User" },
          ],
        },
      },
    ];
    for (const tree of trees) expect(parseFilter(formatFilter(tree))).toEqual(tree);
  });
});
