import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { curlCommand } from "./curl-command.js";
import { printfFormat, shellQuote } from "./shell.js";

function sh(script: string): Buffer {
  return spawnSync("sh", ["-c", script]).stdout;
}

describe("shellQuote", () => {
  it.each([
    "plain",
    "with space",
    "it's",
    `{"a":"b c"}`,
    "$HOME `x` \\n",
    "",
    "a\nb",
    "'; rm -rf ~; '",
  ])("survives a POSIX shell unchanged: %j", (value) => {
    const result = spawnSync("sh", ["-c", `printf %s ${shellQuote(value)}`], {
      encoding: "utf8",
    });
    expect(result.stdout).toBe(value);
  });
});

describe("printfFormat", () => {
  it("prints every byte value exactly, in sh and in bash", () => {
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);
    for (const shell of ["sh", "bash"]) {
      const out = spawnSync(shell, ["-c", `printf ${printfFormat(bytes)}`]).stdout;
      expect(new Uint8Array(out)).toEqual(bytes);
    }
  });

  it("keeps printable ASCII readable and escapes quote, backslash and percent", () => {
    expect(printfFormat(new TextEncoder().encode("a b'\\%\n"))).toBe("'a b\\047\\134\\045\\012'");
    expect(
      new Uint8Array(sh(`printf ${printfFormat(new TextEncoder().encode("100%\\n"))}`)),
    ).toEqual(new TextEncoder().encode("100%\\n"));
  });
});

describe("curlCommand", () => {
  it("writes a GET with headers, and a POST with its body (curl infers POST)", () => {
    expect(curlCommand({ method: "GET", url: "http://h:1/x", headers: [["a", "b c"]] })).toBe(
      "curl -i http://h:1/x -H 'a: b c'",
    );
    expect(curlCommand({ method: "POST", url: "http://h:1/x", headers: [], body: "{}" })).toBe(
      "curl -i http://h:1/x --data-binary '{}'",
    );
  });

  it("names other methods, uses --head for HEAD, and sends empty values as 'Name;'", () => {
    expect(curlCommand({ method: "PUT", url: "http://h/", headers: [["x-empty", ""]] })).toBe(
      "curl -i -X PUT http://h/ -H 'x-empty;'",
    );
    expect(curlCommand({ method: "HEAD", url: "http://h/", headers: [] })).toBe(
      "curl -i --head http://h/",
    );
    expect(curlCommand({ method: "GET", url: "http://h/", headers: [], body: "x" })).toBe(
      "curl -i -X GET http://h/ --data-binary x",
    );
  });

  it("switches curl's own headers off and passes flags as quoted words", () => {
    expect(
      curlCommand({
        method: "GET",
        url: "http://h/",
        headers: [],
        suppress: ["User-Agent"],
        flags: ["--request-target", "/a b"],
      }),
    ).toBe("curl -i http://h/ --request-target '/a b' -H User-Agent:");
  });

  it("pipes binary, '@'-prefixed and large bodies from printf", () => {
    const binary = curlCommand({
      method: "POST",
      url: "http://h/",
      headers: [],
      body: Uint8Array.of(0, 1),
    });
    expect(binary).toBe("printf '\\000\\001' | curl -i http://h/ --data-binary @-");
    expect(
      curlCommand({ method: "POST", url: "http://h/", headers: [], body: "@/etc/passwd" }),
    ).toBe("printf '@/etc/passwd' | curl -i http://h/ --data-binary @-");
    const large = curlCommand({
      method: "POST",
      url: "http://h/",
      headers: [],
      body: "a".repeat(70_000),
    });
    expect(large.startsWith("printf 'aaa")).toBe(true);
  });

  it("lays out one argument per line when asked", () => {
    expect(
      curlCommand(
        { method: "POST", url: "http://h/", headers: [["a", "1"]], body: "x" },
        { multiline: true },
      ),
    ).toBe("curl -i \\\n  http://h/ \\\n  -H 'a: 1' \\\n  --data-binary x");
  });
});
