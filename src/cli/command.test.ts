import { describe, expect, it } from "vitest";
import type { Command } from "./command.js";
import { parseFlags } from "./command.js";
import { UsageError } from "./errors.js";

const command: Command = {
  name: "demo",
  summary: "a demo",
  usage: "hooktap demo",
  options: {
    port: { type: "string", short: "p", description: "port" },
    quiet: { type: "boolean", description: "quiet" },
  },
  examples: [],
  run: async () => undefined,
};

function usageMessage(args: string[]): string {
  try {
    parseFlags(command, args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toBe("hooktap demo --help");
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseFlags", () => {
  it("returns the values by long name", () => {
    expect(parseFlags(command, ["-p", "0", "--quiet"])).toEqual({ port: "0", quiet: true });
    expect(parseFlags(command, ["--port=8"])).toEqual({ port: "8" });
  });

  it.each([
    [["--nope"], "unknown option '--nope' for 'hooktap demo'"],
    [["-z"], "unknown option '-z' for 'hooktap demo'"],
    [["--port"], "option '--port' needs a value"],
    [["--port", "--quiet"], "option '--port' needs a value"],
    [["--quiet=yes"], "option '--quiet' takes no value"],
    [["stray"], "unexpected argument 'stray' for 'hooktap demo'"],
  ])("%j → %s", (args, message) => {
    expect(usageMessage(args)).toBe(message);
  });
});
