import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CapturedResponse, RawHeaders } from "../capture/index.js";
import { diffResponses, MAX_BODY_DIFF_BYTES } from "./diff.js";
import { diffJson, MAX_JSON_CHANGES } from "./diff-json.js";
import { MAX_LINE_DIFF_CELLS, unifiedLineDiff } from "./diff-text.js";

const enc = (s: string) => new TextEncoder().encode(s);

function response(
  status: number,
  headers: RawHeaders,
  body: string | Uint8Array,
  truncatedSize?: number,
): CapturedResponse {
  const bytes = typeof body === "string" ? enc(body) : body;
  return {
    status,
    statusMessage: null,
    rawHeaders: headers,
    body: {
      bytes,
      size: truncatedSize ?? bytes.byteLength,
      truncated: truncatedSize !== undefined,
    },
  };
}

describe("diffResponses", () => {
  const headers: RawHeaders = [
    ["Content-Type", "application/json"],
    ["Date", "Mon, 01 Jan 2024 00:00:00 GMT"],
    ["Set-Cookie", "a=1"],
    ["Set-Cookie", "b=2"],
  ];

  it("finds two identical answers equal, Date aside", () => {
    const a = response(200, headers, '{"ok":true}');
    const b = response(
      200,
      [...headers.slice(0, 1), ["date", "Tue, 02 Jan 2024 00:00:00 GMT"], ...headers.slice(2)],
      '{"ok":true}',
    );
    const diff = diffResponses(a, b);
    expect(diff).toEqual({
      equal: true,
      status: null,
      headers: [],
      headerOrderChanged: false,
      ignoredHeaders: ["date"],
      body: { equal: true, kind: "json", sizes: { before: 11, after: 11 }, truncated: false },
    });
    expect(diffResponses(a, b, { ignoreHeaders: [] }).headers).toEqual([
      {
        name: "date",
        kind: "changed",
        before: ["Mon, 01 Jan 2024 00:00:00 GMT"],
        after: ["Tue, 02 Jan 2024 00:00:00 GMT"],
      },
    ]);
  });

  it("reports status, added, removed and changed headers (repeats in order), and order changes", () => {
    const a = response(
      200,
      [
        ["X-A", "1"],
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
        ["X-Gone", "x"],
      ],
      "",
    );
    const b = response(
      500,
      [
        ["Set-Cookie", "b=2"],
        ["Set-Cookie", "a=1"],
        ["x-a", "1"],
        ["X-New", "y"],
      ],
      "",
    );
    const diff = diffResponses(a, b);
    expect(diff.equal).toBe(false);
    expect(diff.status).toEqual({ before: 200, after: 500 });
    expect(diff.headers).toEqual([
      { name: "Set-Cookie", kind: "changed", before: ["a=1", "b=2"], after: ["b=2", "a=1"] },
      { name: "X-Gone", kind: "removed", before: ["x"], after: [] },
      { name: "X-New", kind: "added", before: [], after: ["y"] },
    ]);
    expect(diff.headerOrderChanged).toBe(true);
    const reordered = diffResponses(
      response(
        200,
        [
          ["A", "1"],
          ["B", "2"],
        ],
        "",
      ),
      response(
        200,
        [
          ["B", "2"],
          ["A", "1"],
        ],
        "",
      ),
    );
    expect([reordered.equal, reordered.headers, reordered.headerOrderChanged]).toEqual([
      false,
      [],
      true,
    ]);
  });

  it("lists the changed JSON paths", () => {
    const a = response(
      200,
      [],
      '{"commands":[{"type":"com.okta.action.update","value":{"status":"ok"}}],"n":1}',
    );
    const b = response(
      200,
      [],
      '{"commands":[{"type":"com.okta.action.update","value":{"status":"err","why":"x"}}],"m":2}',
    );
    const diff = diffResponses(a, b);
    expect(diff.body.kind).toBe("json");
    expect(diff.body.json).toEqual({
      changes: [
        { path: "n", kind: "removed", before: 1 },
        { path: "m", kind: "added", after: 2 },
        { path: "commands[0].value.why", kind: "added", after: "x" },
        { path: "commands[0].value.status", kind: "changed", before: "ok", after: "err" },
      ],
      truncated: false,
    });
  });

  it("says when JSON bodies differ only in formatting", () => {
    const diff = diffResponses(response(200, [], '{"a":1}'), response(200, [], '{ "a": 1 }\n'));
    expect(diff.body).toMatchObject({
      equal: false,
      kind: "json",
      json: { changes: [], truncated: false },
    });
    expect(diff.body.note).toContain("formatting");
  });

  it("gives a unified line diff for text, as diff -u would", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 3", "line three").replace("line 15\n", "");
    const diff = diffResponses(response(200, [], before), response(200, [], after));
    expect(diff.body.kind).toBe("text");
    const unified = diff.body.unified ?? "";
    expect(unified).toContain("-line 3\n+line three\n");
    expect(unified).toContain("-line 15\n");
    const dir = mkdtempSync(join(tmpdir(), "hooktap-diff-"));
    writeFileSync(join(dir, "before"), before);
    writeFileSync(join(dir, "after"), after);
    const gnu = spawnSync("diff", ["-u", "before", "after"], { cwd: dir, encoding: "utf8" });
    // Same hunks as diff(1); only its header lines (with timestamps) differ.
    const hunks = (text: string) =>
      text
        .split("\n")
        .filter((l) => !l.startsWith("---") && !l.startsWith("+++") && !l.startsWith("\\"));
    expect(hunks(unified).filter((l) => l !== "")).toEqual(
      hunks(gnu.stdout).filter((l) => l !== ""),
    );
  });

  it("compares binary bodies for equality, and reports truncation", () => {
    const diff = diffResponses(
      response(200, [], Uint8Array.of(0, 255)),
      response(200, [], Uint8Array.of(0, 254), 10),
    );
    expect(diff.body).toEqual({
      equal: false,
      kind: "binary",
      sizes: { before: 2, after: 10 },
      truncated: true,
    });
  });

  it("handles missing responses", () => {
    const a = response(200, [["X", "1"]], "x");
    const diff = diffResponses(a, null);
    expect(diff.status).toEqual({ before: 200, after: null });
    expect(diff.headers).toEqual([{ name: "X", kind: "removed", before: ["1"], after: [] }]);
    expect(diff.body).toMatchObject({
      equal: false,
      kind: "absent",
      sizes: { before: 1, after: null },
    });
    expect(diffResponses(null, null).equal).toBe(true);
  });

  it("stays bounded on large bodies", () => {
    const big = "x\n".repeat(MAX_BODY_DIFF_BYTES);
    const diff = diffResponses(response(200, [], big), response(200, [], `${big}y`));
    expect(diff.body).toMatchObject({ equal: false, kind: "text" });
    expect(diff.body.unified).toBeUndefined();
    expect(diff.body.note).toContain("compared for equality only");
  });
});

describe("unifiedLineDiff", () => {
  it("is empty for equal texts and writes empty ranges like diff -u", () => {
    expect(unifiedLineDiff("a", "a")).toBe("");
    expect(unifiedLineDiff("", "a")).toBe("--- before\n+++ after\n@@ -1 +1 @@\n-\n+a\n");
    expect(unifiedLineDiff("a\nb", "a\nb\nc")).toBe(
      "--- before\n+++ after\n@@ -1,2 +1,3 @@\n a\n b\n+c\n",
    );
  });

  it("gives up (null) when the changed part is too large to compare", () => {
    const side = Math.ceil(Math.sqrt(MAX_LINE_DIFF_CELLS)) + 1;
    const a = Array.from({ length: side }, (_, i) => `a${i}`).join("\n");
    const b = Array.from({ length: side }, (_, i) => `b${i}`).join("\n");
    expect(unifiedLineDiff(a, b)).toBeNull();
  });
});

describe("diffJson", () => {
  it("caps the list of changes", () => {
    const a = Array.from({ length: MAX_JSON_CHANGES + 10 }, (_, i) => i);
    const diff = diffJson(
      a,
      a.map((n) => n + 1),
    );
    expect(diff.changes).toHaveLength(MAX_JSON_CHANGES);
    expect(diff.truncated).toBe(true);
  });

  it("walks hostile nesting without recursion, and writes odd keys in edit syntax", () => {
    const deep = (leaf: number) => JSON.parse(`${"[".repeat(50_000)}${leaf}${"]".repeat(50_000)}`);
    expect(diffJson(deep(1), deep(2)).changes).toEqual([
      { path: "[0]".repeat(50_000), kind: "changed", before: 1, after: 2 },
    ]);
    expect(diffJson({ "a.b": 1 }, { "a.b": 2 }).changes).toEqual([
      { path: '["a.b"]', kind: "changed", before: 1, after: 2 },
    ]);
    expect(diffJson(1, "1").changes).toEqual([
      { path: "", kind: "changed", before: 1, after: "1" },
    ]);
  });
});
