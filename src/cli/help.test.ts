import { describe, expect, it } from "vitest";
import { formatCommandHelp, formatMainHelp } from "./help.js";
import { COMMANDS } from "./registry.js";

const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("help", () => {
  it("the main help lists every command with its summary, and help", () => {
    const text = formatMainHelp(COMMANDS, "9.9.9");
    expect(text.split("\n")[0]).toMatch(/^hooktap 9\.9\.9 — /);
    const lines = text.split("\n");
    for (const command of COMMANDS) {
      const line = lines.find((l) => l.startsWith(`  ${command.name} `));
      expect(line, command.name).toMatch(new RegExp(`^ {2}${command.name} +\\S`));
      expect(line?.trimEnd().endsWith(command.summary), command.name).toBe(true);
    }
    expect(text).toMatch(/^ {2}help\s+Show/m);
  });

  for (const command of COMMANDS) {
    it(`'${command.name}' help shows every flag, each default, and an example`, () => {
      const text = formatCommandHelp(command);
      expect(text).toContain(`Usage: ${command.usage}`);
      for (const [name, option] of Object.entries(command.options)) {
        expect(text).toContain(`--${name}`);
        if (option.default !== undefined) expect(text).toContain(`(default: ${option.default})`);
      }
      expect(command.examples.length).toBeGreaterThan(0);
      for (const example of command.examples) expect(text).toContain(`  ${example}`);
      for (const section of command.sections ?? []) {
        expect(text).toContain(`\n${section.title}:\n`);
        for (const [left, right] of section.rows) {
          expect(text).toMatch(new RegExp(`^ {2}${literal(left)} +${literal(right)}$`, "m"));
        }
      }
    });
  }
});
