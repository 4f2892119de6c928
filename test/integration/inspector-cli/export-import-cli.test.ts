/**
 * `hooktap export` and `hooktap import` as processes against a real inspector: a fixture file
 * written by export imports back byte-exact; bad files and flags get clear messages.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type InspectorHarness, startInspectorHarness } from "../../helpers/inspector-harness.js";
import { assertBuilt, runNode } from "../../helpers/process.js";

const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => assertBuilt());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ h: InspectorHarness; dir: string }> {
  const h = await startInspectorHarness();
  cleanups.push(() => h.close());
  const dir = mkdtempSync(join(tmpdir(), "hooktap-export-cli-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { h, dir };
}

const cli = (h: InspectorHarness, ...args: string[]) =>
  runNode(["bin/hooktap.js", ...args, "--inspector", h.inspector.url]);

describe("hooktap export / import", () => {
  it("export --format json --out F, then import F: the same bytes come back under new ids", async () => {
    const { h, dir } = await setup();
    const original = h.seed({}, ["user.lifecycle.create"]);
    const file = join(dir, "fixture.json");
    const exported = await cli(h, "export", "--format", "json", "--out", file);
    expect(exported.code).toBe(0);
    expect(exported.stderr.join("\n")).toMatch(/wrote \d+ bytes \(json\) to .*fixture\.json/);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ format: "hooktap", version: 1 });
    h.store.clear();
    const imported = await cli(h, "import", file);
    expect(imported.stderr).toEqual([]);
    expect(imported.code).toBe(0);
    expect(imported.stdout[0]).toBe(`imported 1 exchange from ${file}`);
    expect(imported.stdout[2]).toContain("user.lifecycle.create");
    const [copy] = h.store.list().items;
    expect(copy?.id).not.toBe(original.id);
    expect(
      Buffer.from(copy?.request.body.bytes ?? []).equals(Buffer.from(original.request.body.bytes)),
    ).toBe(true);
  });

  it("export prints HAR to stdout by default; curl of chosen ids", async () => {
    const { h } = await setup();
    const a = h.seed();
    const har = await cli(h, "export");
    expect(har.code).toBe(0);
    expect(JSON.parse(har.stdout.join("\n")).log.entries).toHaveLength(1);
    const curl = await cli(h, "export", "--format", "curl", a.id);
    expect(curl.code).toBe(0);
    expect(curl.stdout[0]).toMatch(/^curl /);
  });

  it.each([
    [["export", "--format", "xml"], 2, "--format must be har, curl or json"],
    [["export", "01X", "--filter", "status=200"], 2, "give ids, or --filter/--limit, not both"],
    [["export", "--filter", "status=nope"], 2, "status must be a status code"],
    [["export", "01MISSING"], 1, "no exchange with id '01MISSING'"],
    [["import"], 2, "name the file to import"],
    [["import", "/nonexistent/file.har"], 1, "cannot read /nonexistent/file.har (ENOENT)"],
  ])("%j exits %i: %s", async (args, code, message) => {
    const { h } = await setup();
    const result = await cli(h, ...args);
    expect(result.code).toBe(code);
    expect(result.stderr.join("\n")).toContain(message);
  });

  it("import of a file that is neither HAR nor a hooktap export: exit 1, store unchanged", async () => {
    const { h, dir } = await setup();
    h.seed();
    const before = h.snapshot();
    const file = join(dir, "bad.json");
    writeFileSync(file, '{"hello": "world"}');
    const result = await cli(h, "import", file);
    expect(result.code).toBe(1);
    expect(result.stderr.join("\n")).toMatch(/^hooktap: .*\[invalid_import\]$/);
    expect(h.snapshot()).toBe(before);
  });
});
