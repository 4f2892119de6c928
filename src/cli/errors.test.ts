import { describe, expect, it } from "vitest";
import { EXIT_CODES, reportError, UsageError } from "./errors.js";

function systemError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error("listen failed"), fields);
}

describe("reportError", () => {
  it("maps a UsageError to exit 2 with its hint", () => {
    expect(reportError(new UsageError("unknown command 'x'"))).toEqual({
      exitCode: EXIT_CODES.usage,
      message: "unknown command 'x' (run 'hooktap help')",
    });
    expect(reportError(new UsageError("bad --port", "hooktap sample --help")).message).toBe(
      "bad --port (run 'hooktap sample --help')",
    );
  });

  it("maps a port in use to exit 1 naming the address and the fix", () => {
    const report = reportError(
      systemError({ code: "EADDRINUSE", address: "127.0.0.1", port: 8082 }),
    );
    expect(report.exitCode).toBe(1);
    expect(report.message).toMatch(
      /^cannot listen on 127\.0\.0\.1:8082: the port is already in use \(EADDRINUSE\)/,
    );
    expect(report.message).toContain("--port 0");
  });

  it.each([
    [{ code: "EACCES", address: "0.0.0.0", port: 80 }, /0\.0\.0\.0:80: permission denied/],
    [{ code: "EADDRNOTAVAIL", address: "10.9.9.9", port: 1 }, /10\.9\.9\.9:1: no such address/],
    [{ code: "ENOTFOUND", hostname: "nope.invalid" }, /nope\.invalid: unknown host/],
  ])("maps %j to exit 1", (fields, message) => {
    const report = reportError(systemError(fields));
    expect(report.exitCode).toBe(1);
    expect(report.message).toMatch(message);
  });

  it("keeps only the first line of any other error, exit 1", () => {
    expect(reportError(new Error("boom\n    at somewhere"))).toEqual({
      exitCode: 1,
      message: "boom",
    });
    expect(reportError("a string")).toEqual({ exitCode: 1, message: "a string" });
  });
});
