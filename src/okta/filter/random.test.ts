/**
 * Seeded, bounded randomized tests: the parser only ever returns a tree or throws
 * FilterSyntaxError, trees survive format → parse, and evaluation is compositional and total.
 */
import { describe, expect, it } from "vitest";
import type { FilterExpression, TargetPredicate } from "./ast.js";
import { EVENT_FIELD_PATHS, TARGET_FIELD_NAMES } from "./ast.js";
import { FilterSyntaxError } from "./errors.js";
import type { FilterableEvent } from "./evaluate.js";
import { evaluateFilter } from "./evaluate.js";
import { formatFilter } from "./format.js";
import { parseFilter } from "./parser.js";

/** mulberry32: a tiny deterministic PRNG, so a failure reproduces from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

/** Fragments of the language and near misses; random sequences of them hit most error paths. */
const ALPHABET = [
  "event",
  "target",
  "eventType",
  "outcome",
  "reason",
  "result",
  "actor",
  "id",
  "type",
  "alternateId",
  "displayName",
  "debugData",
  "changedAttributes",
  "size",
  "eq",
  "ne",
  "gt",
  "foo",
  ".",
  ".",
  "?[",
  "?",
  "[",
  "]",
  "(",
  ")",
  "&&",
  "||",
  "&",
  "|",
  "!",
  "=",
  "==",
  "!=",
  ">",
  ">=",
  "<",
  "<=",
  "-",
  "0",
  "1",
  "42",
  "99999999999999999999",
  "'",
  '"',
  "\\",
  "'x'",
  '"y"',
  "''",
  "'a\\'b'",
  " ",
  " ",
  "\t",
  "\n",
  "#",
  "é",
  "\u0000",
  "$",
  "_",
];

/** Checks the parser contract on one source and returns the tree when it parsed. */
function parseOrSyntaxError(source: string): FilterExpression | undefined {
  try {
    return parseFilter(source);
  } catch (error) {
    expect(error, JSON.stringify(source)).toBeInstanceOf(FilterSyntaxError);
    const syntax = error as FilterSyntaxError;
    expect(syntax.position).toBeGreaterThanOrEqual(0);
    expect(syntax.position).toBeLessThanOrEqual(source.length);
    expect(syntax.message).toContain(`at position ${syntax.position}: expected `);
    expect(syntax.excerpt.split("\n")).toHaveLength(2);
    return undefined;
  }
}

function randomString(rng: Rng): string {
  const length = Math.floor(rng() * 25);
  return Array.from({ length }, () => pick(rng, ALPHABET)).join("");
}

function randomValue(rng: Rng): string {
  return pick(rng, ["User", "UserGroup", "Sales", "Admin", "", "O'Brien", 'say "hi"', "a\\b"]);
}

function randomPredicate(rng: Rng, depth: number): TargetPredicate {
  if (depth <= 0 || rng() < 0.5) {
    return {
      kind: "targetField",
      field: pick(rng, TARGET_FIELD_NAMES),
      operator: pick(rng, ["eq", "ne"] as const),
      value: randomValue(rng),
    };
  }
  const operands = Array.from({ length: 2 + Math.floor(rng() * 2) }, () =>
    randomPredicate(rng, depth - 1),
  );
  return { kind: pick(rng, ["and", "or"] as const), operands };
}

function randomExpression(rng: Rng, depth: number): FilterExpression {
  const roll = rng();
  if (depth <= 0 || roll < 0.3) {
    return {
      kind: "field",
      field: pick(rng, EVENT_FIELD_PATHS),
      operator: pick(rng, ["eq", "ne"] as const),
      value: randomValue(rng),
    };
  }
  if (roll < 0.55) {
    return {
      kind: "targetSelection",
      predicate: randomPredicate(rng, 2),
      operator: pick(rng, [">", ">=", "<", "<=", "==", "!="] as const),
      count: Math.floor(rng() * 3),
    };
  }
  const operands = Array.from({ length: 2 + Math.floor(rng() * 2) }, () =>
    randomExpression(rng, depth - 1),
  );
  return { kind: pick(rng, ["and", "or"] as const), operands };
}

function randomEvent(rng: Rng): FilterableEvent {
  const maybe = <T>(value: T): T | null | undefined => pick(rng, [value, value, null, undefined]);
  const targets = Array.from({ length: Math.floor(rng() * 4) }, () => ({
    id: randomValue(rng),
    type: randomValue(rng),
    alternateId: maybe(randomValue(rng)),
    displayName: maybe(randomValue(rng)),
  }));
  return {
    eventType: randomValue(rng),
    outcome: maybe({ result: randomValue(rng), reason: maybe(randomValue(rng)) }),
    actor: maybe({ id: randomValue(rng), type: randomValue(rng), displayName: randomValue(rng) }),
    target: maybe(targets),
    debugContext: maybe({ debugData: maybe({ changedAttributes: randomValue(rng) }) }),
  } as FilterableEvent;
}

function mutate(rng: Rng, source: string): string {
  const at = Math.floor(rng() * (source.length + 1));
  const fragment = pick(rng, ALPHABET);
  switch (pick(rng, ["insert", "delete", "replace"] as const)) {
    case "insert":
      return source.slice(0, at) + fragment + source.slice(at);
    case "delete":
      return source.slice(0, at) + source.slice(at + 1 + Math.floor(rng() * 3));
    case "replace":
      return source.slice(0, at) + fragment + source.slice(at + 1);
  }
}

describe("randomized (seeded)", () => {
  it("parses 2,000 random strings from the alphabet into a tree or a FilterSyntaxError", () => {
    const rng = random(0x5eed);
    let parsed = 0;
    for (let i = 0; i < 2_000; i += 1) {
      const tree = parseOrSyntaxError(randomString(rng));
      if (tree !== undefined) parsed += 1;
    }
    // Almost all random strings are invalid; this proves the loop ran the error paths.
    expect(parsed).toBeLessThan(2_000);
  });

  it("round-trips 500 random trees through formatFilter and parseFilter", () => {
    const rng = random(0x7ee5);
    for (let i = 0; i < 500; i += 1) {
      const tree = randomExpression(rng, 3);
      const source = formatFilter(tree);
      expect(parseFilter(source), source).toEqual(tree);
    }
  });

  it("keeps the contract on 2,000 one-edit mutations of valid filters", () => {
    const rng = random(0xbad);
    let rejected = 0;
    for (let i = 0; i < 2_000; i += 1) {
      const source = mutate(rng, formatFilter(randomExpression(rng, 2)));
      if (parseOrSyntaxError(source) === undefined) rejected += 1;
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it("evaluates && and || compositionally and totally on random events", () => {
    const rng = random(0xe7a1);
    for (let i = 0; i < 300; i += 1) {
      const left = randomExpression(rng, 2);
      const right = randomExpression(rng, 2);
      const event = randomEvent(rng);
      const l = evaluateFilter(left, event);
      const r = evaluateFilter(right, event);
      const both = parseFilter(`(${formatFilter(left)}) && (${formatFilter(right)})`);
      const either = parseFilter(`(${formatFilter(left)}) || (${formatFilter(right)})`);
      expect(evaluateFilter(both, event)).toBe(l && r);
      expect(evaluateFilter(either, event)).toBe(l || r);
    }
  });

  it("makes eq and ne exact complements on random events", () => {
    const rng = random(0xc0de);
    for (let i = 0; i < 300; i += 1) {
      const event = randomEvent(rng);
      const field = pick(rng, EVENT_FIELD_PATHS);
      const value = randomValue(rng);
      const eq = evaluateFilter({ kind: "field", field, operator: "eq", value }, event);
      const ne = evaluateFilter({ kind: "field", field, operator: "ne", value }, event);
      expect(eq).toBe(!ne);
    }
  });
});
