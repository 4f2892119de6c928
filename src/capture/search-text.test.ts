import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { body, makeExchange } from "./exchange-samples.case.js";
import {
  FTS_TOKENIZER,
  ftsPhrase,
  matchesWords,
  SEARCH_TEXT_LIMIT_BYTES,
  searchText,
  searchWords,
} from "./search-text.js";

describe("searchWords", () => {
  it("cuts runs of letters and digits, lower-cased and without accents", () => {
    expect(searchWords('{"alternateId":"Jane.Doe@Example.com","x":"Café Zürich 42"}')).toEqual([
      "alternateid",
      "jane",
      "doe",
      "example",
      "com",
      "x",
      "cafe",
      "zurich",
      "42",
    ]);
    expect(searchWords("snake_case-and/slashes?q=1")).toEqual([
      "snake",
      "case",
      "and",
      "slashes",
      "q",
      "1",
    ]);
    expect(searchWords(" -- ")).toEqual([]);
  });

  it("agrees with SQLite's FTS5 tokenizer the SQLite store uses, across scripts", () => {
    const db = new Database(":memory:");
    db.exec(
      `CREATE VIRTUAL TABLE t USING fts5(text, tokenize = "${FTS_TOKENIZER}");` +
        "CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);",
    );
    const samples = [
      "Café Ünïcode naïve façade",
      "e\u0301tude (decomposed accents)",
      "한국어 텍스트",
      "ÆØÅ æøå ß straße",
      "İstanbul ǅemal ǈ",
      "x²+y³ ①② ٣٤٥ عربى",
      "日本語テキスト ＡＢＣ",
      "ﬁle ligature",
      "a_b-c.d@e/f?g=h&i tab\there",
      "emoji 😀 ok",
      "0x7F \u0000 nul \uFFFD replacement",
    ];
    try {
      for (const text of samples) {
        db.prepare("DELETE FROM t").run();
        db.prepare("INSERT INTO t (text) VALUES (?)").run(text);
        const sqlite = db.prepare("SELECT term FROM v ORDER BY offset").pluck().all();
        expect(searchWords(text), text).toEqual(sqlite);
      }
    } finally {
      db.close();
    }
  });
});

describe("matchesWords", () => {
  const words = ["jane", "doe", "example", "com"];
  it.each([
    [["jane"], true],
    [["ja"], true],
    [["doe", "exa"], true],
    [["jane", "doe", "example", "com"], true],
    [["com"], true],
    [["ane"], false],
    [["jane", "example"], false],
    [["do", "example"], false],
    [["com", "x"], false],
  ])("%j → %s", (query, expected) => {
    expect(matchesWords(words, query)).toBe(expected);
  });

  it("matches nothing in no words", () => {
    expect(matchesWords([], ["a"])).toBe(false);
  });
});

describe("searchText", () => {
  it("is the target, or a body decoded leniently and cut at the search limit", () => {
    const x = makeExchange();
    expect(searchText(x, "target")).toBe(x.request.target);
    const big = new Uint8Array(SEARCH_TEXT_LIMIT_BYTES + 10).fill(0x61);
    const cut = searchText({ ...x, request: { ...x.request, body: body(big) } }, "request");
    expect(cut.length).toBe(SEARCH_TEXT_LIMIT_BYTES);
    expect(searchText({ ...x, response: null }, "response")).toBe("");
    const invalid = searchText(
      { ...x, request: { ...x.request, body: body(new Uint8Array([0x61, 0xff, 0x62])) } },
      "request",
    );
    expect(invalid).toBe("a\uFFFDb");
  });
});

describe("ftsPhrase", () => {
  it("is one quoted phrase with a prefix star", () => {
    expect(ftsPhrase(["jane", "doe"])).toBe('"jane doe" *');
  });
});
