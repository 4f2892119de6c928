import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { curlCommand, shellQuote } from "./curl.js";

describe("shellQuote", () => {
  it.each(["plain", "with space", "it's", `{"a":"b c"}`, "$HOME `x` \\n", ""])(
    "survives a POSIX shell unchanged: %j",
    (value) => {
      const result = spawnSync("sh", ["-c", `printf %s ${shellQuote(value)}`], {
        encoding: "utf8",
      });
      expect(result.stdout).toBe(value);
    },
  );
});

describe("curlCommand", () => {
  it("writes a GET with headers, and a POST with its body", () => {
    expect(curlCommand({ method: "GET", url: "http://h:1/x", headers: [["a", "b c"]] })).toBe(
      "curl -i http://h:1/x -H 'a: b c'",
    );
    expect(curlCommand({ method: "POST", url: "http://h:1/x", headers: [], body: "{}" })).toBe(
      "curl -i -X POST http://h:1/x --data-binary '{}'",
    );
  });
});
