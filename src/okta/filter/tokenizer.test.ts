import { describe, expect, it } from "vitest";
import { tokenize } from "./tokenizer.js";

function kinds(source: string): string[] {
  return tokenize(source).map((token) => token.kind);
}

describe("tokenize", () => {
  it("splits a selection into words, punctuation, a number and eof", () => {
    const tokens = tokenize("event.target.?[type eq 'User'].size()>0");
    expect(tokens.map((t) => [t.kind, t.text, t.position])).toEqual([
      ["word", "event", 0],
      ["dot", ".", 5],
      ["word", "target", 6],
      ["dot", ".", 12],
      ["select", "?[", 13],
      ["word", "type", 15],
      ["word", "eq", 20],
      ["string", "'User'", 23],
      ["rbracket", "]", 29],
      ["dot", ".", 30],
      ["word", "size", 31],
      ["lparen", "(", 35],
      ["rparen", ")", 36],
      ["compare", ">", 37],
      ["number", "0", 38],
      ["eof", "", 39],
    ]);
  });

  it("prefers two-character operators over their one-character prefixes", () => {
    expect(tokenize(">= <= == != > < && ||").map((t) => t.text)).toEqual([
      ">=",
      "<=",
      "==",
      "!=",
      ">",
      "<",
      "&&",
      "||",
      "",
    ]);
  });

  it("skips any whitespace, including tabs, newlines and no-break spaces", () => {
    expect(kinds(" \t\n(\u00a0)\r\n")).toEqual(["lparen", "rparen", "eof"]);
    expect(tokenize("  ").at(-1)?.position).toBe(2);
  });

  it("decodes both quote styles with backslash and doubled-quote escapes", () => {
    const values = (source: string) => tokenize(source)[0]?.value;
    expect(values("'plain'")).toBe("plain");
    expect(values(`"double"`)).toBe("double");
    expect(values("'O\\'Brien'")).toBe("O'Brien");
    expect(values("'O''Brien'")).toBe("O'Brien");
    expect(values(`"say \\"hi\\""`)).toBe(`say "hi"`);
    expect(values(`"say ""hi"""`)).toBe(`say "hi"`);
    expect(values("'back\\\\slash'")).toBe("back\\slash");
    expect(values(`'mixed "quotes"'`)).toBe(`mixed "quotes"`);
    expect(values("''")).toBe("");
  });

  it("keeps the raw text of a string token for error messages", () => {
    expect(tokenize("'O''Brien'")[0]?.text).toBe("'O''Brien'");
  });

  it("ends with an invalid token at an unterminated string, pointing at its opening quote", () => {
    const tokens = tokenize("event eq 'abc");
    expect(tokens.at(-1)).toMatchObject({ kind: "invalid", position: 9 });
    expect(tokenize("'abc\\").at(-1)).toMatchObject({ kind: "invalid", position: 0 });
    expect(tokenize("'abc\\'").at(-1)).toMatchObject({ kind: "invalid", position: 0 });
  });

  it("rejects unknown escapes at the backslash", () => {
    expect(tokenize("'a\\nb'").at(-1)).toMatchObject({
      kind: "invalid",
      position: 2,
      problem: "Unsupported escape sequence '\\n'",
    });
  });

  it.each([
    ["a & b", 2, "Unexpected '&'"],
    ["a | b", 2, "Unexpected '|'"],
    ["a = b", 2, "Unexpected '='"],
    ["!a", 0, "Unexpected '!'"],
    ["a ? b", 2, "Unexpected '?'"],
    ["a # b", 2, "Unexpected character '#' (U+0023)"],
    ["a\u0000", 1, "Unexpected character U+0000"],
    ["x[0]", 1, "Unexpected character '[' (U+005B)"],
    ["é", 0, "Unexpected character 'é' (U+00E9)"],
  ])("stops at the first bad character in %j", (source, position, problem) => {
    const last = tokenize(source).at(-1);
    expect(last).toMatchObject({ kind: "invalid", position, problem });
  });

  it("stops at the first lexical error and does not read past it", () => {
    const tokens = tokenize("a # 'unterminated");
    expect(tokens.map((t) => t.kind)).toEqual(["word", "invalid"]);
  });

  it("reads identifiers with digits, underscores and dollars, and digit runs as numbers", () => {
    expect(tokenize("a_1$ 0042").map((t) => [t.kind, t.text])).toEqual([
      ["word", "a_1$"],
      ["number", "0042"],
      ["eof", ""],
    ]);
  });
});
