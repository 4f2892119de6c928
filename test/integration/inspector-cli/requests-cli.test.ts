/**
 * `hooktap requests` as a process against a real inspector: the table, --json, --filter,
 * --follow over the live stream, and clear failures (no inspector, bad filter).
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type InspectorHarness, startInspectorHarness } from "../../helpers/inspector-harness.js";
import { assertBuilt, runNode, spawnNode, stopAllProcesses } from "../../helpers/process.js";
import { closedPort } from "../../helpers/upstream-app.js";

const harnesses: InspectorHarness[] = [];
beforeAll(() => assertBuilt());
afterEach(async () => {
  await stopAllProcesses();
  for (const h of harnesses.splice(0)) await h.close();
});

async function harness(): Promise<InspectorHarness> {
  const h = await startInspectorHarness();
  harnesses.push(h);
  return h;
}

function cli(h: InspectorHarness, ...args: string[]) {
  return runNode(["bin/hooktap.js", "requests", "--inspector", h.inspector.url, ...args]);
}

describe("hooktap requests", () => {
  it("prints a table, oldest first, with the Okta event types", async () => {
    const h = await harness();
    const first = h.seed({}, ["user.lifecycle.create"]);
    const second = h.seed({}, ["user.account.lock"]);
    const { code, stdout, stderr } = await cli(h);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^TIME\s+ID\s+ORIGIN\s+METHOD\s+TARGET\s+STATUS\s+DURATION\s+OKTA$/);
    expect(stdout[1]).toContain(first.id);
    expect(stdout[1]).toMatch(
      /live\s+POST\s+\/hooks\/okta\?source=test\s+200\s+16 ms\s+user\.lifecycle\.create/,
    );
    expect(stdout[2]).toContain(second.id);
    expect(stdout[2]).toContain("user.account.lock");
  });

  it("--json prints the API's page; --limit limits it", async () => {
    const h = await harness();
    h.seed();
    const latest = h.seed();
    const { code, stdout } = await cli(h, "--json", "--limit", "1");
    expect(code).toBe(0);
    const page = JSON.parse(stdout.join("\n")) as { items: { id: string }[] };
    expect(page.items.map((item) => item.id)).toEqual([latest.id]);
  });

  it("a filter the inspector refuses is a usage error (exit 2) with its reason", async () => {
    const h = await harness();
    const { code, stderr } = await cli(h, "--filter", "status=abc");
    expect(code).toBe(2);
    expect(stderr.join("\n")).toMatch(/status must be a status code .*'abc'/);
    const malformed = await cli(h, "--filter", "nonsense");
    expect(malformed.code).toBe(2);
    expect(malformed.stderr.join("\n")).toContain("--filter must be key=value");
  });

  it("without a running inspector: a clear message and exit 1", async () => {
    const port = await closedPort();
    const { code, stderr } = await runNode([
      "bin/hooktap.js",
      "requests",
      "--inspector",
      `http://127.0.0.1:${port}`,
    ]);
    expect(code).toBe(1);
    expect(stderr.join("\n")).toContain(
      `hooktap: no inspector is running at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });

  it("--follow prints each request as it completes, and stops on SIGINT with 0", async () => {
    const h = await harness();
    const proc = spawnNode([
      "bin/hooktap.js",
      "requests",
      "--follow",
      "--inspector",
      h.inspector.url,
    ]);
    await proc.waitForLine(/^TIME\s+ID/);
    // The stream is open once the inspector has a subscriber: seed until the line shows up.
    const seeded = h.seed({}, ["group.user_membership.add"]);
    const replayed = await h.api("POST", `/api/exchanges/${seeded.id}/replay`);
    expect(replayed.status).toBe(201);
    const line = await proc.waitForLine(/replay\s+POST/);
    expect(line.input).toContain("group.user_membership.add");
    const exit = await proc.stop("SIGINT");
    expect(exit.code).toBe(0);
  });

  it("--follow exits 1 when the inspector goes away", async () => {
    const h = await harness();
    const proc = spawnNode(["bin/hooktap.js", "requests", "-f", "--inspector", h.inspector.url]);
    await proc.waitForLine(/^TIME\s+ID/);
    await h.inspector.close();
    await proc.waitForLine(/closed the live stream|live stream broke/, { stream: "stderr" });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
  });
});
