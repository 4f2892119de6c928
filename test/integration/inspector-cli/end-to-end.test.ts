/**
 * The whole loop as a user runs it: `hooktap http` (spawned) in front of an app, a delivery
 * through the tunnel, then `hooktap requests`, `hooktap replay --set …` (the app receives the
 * edited delivery) and `hooktap export --format har`, each a process of its own.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { spawnHttp } from "../../helpers/http-process.js";
import { assertBuilt, runNode, stopAllProcesses } from "../../helpers/process.js";
import { syntheticDelivery } from "../../helpers/receiver-fixtures.js";
import { startUpstreamApp } from "../../helpers/upstream-app.js";

const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => assertBuilt());
afterEach(async () => {
  await stopAllProcesses();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("hooktap http + requests + replay + export", () => {
  it("captures a delivery, lists it, replays it with an edit, exports it as HAR", async () => {
    const app = await startUpstreamApp((_request, res) => {
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
    });
    cleanups.push(() => app.close());
    const dir = mkdtempSync(join(tmpdir(), "hooktap-e2e-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { proc: http, started } = await spawnHttp(app.port, dir, { timeoutMs: 20_000 });
    const inspector = ["--inspector", started.inspectorUrl ?? ""];

    const { body } = syntheticDelivery(["user.lifecycle.create"]);
    const delivered = await fetch(`${started.publicUrls[0]}/hooks/okta`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Basic c2VjcmV0" },
      body,
    });
    expect(delivered.status).toBe(200);
    // The capture is committed on a worker thread within ~10 ms of the answer: wait for it.
    await vi.waitFor(
      async () => {
        const page = await fetch(`${started.inspectorUrl}/api/exchanges?path=/hooks/okta`);
        expect(((await page.json()) as { items: unknown[] }).items).toHaveLength(1);
      },
      { timeout: 5000, interval: 20 },
    );

    const listed = await runNode(["bin/hooktap.js", "requests", ...inspector]);
    expect(listed.code).toBe(0);
    const row = listed.stdout.find((l) => l.includes("/hooks/okta"));
    expect(row).toMatch(/live\s+POST\s+\/hooks\/okta\s+200\s+.*user\.lifecycle\.create/);
    const id = row?.split(/\s+/)[1] ?? "";

    const replayed = await runNode([
      "bin/hooktap.js",
      "replay",
      id,
      ...inspector,
      "--set",
      "data.events[0].target[0].alternateId=jane.doe@example.com",
    ]);
    expect(replayed.stderr).toEqual([]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout[0]).toMatch(new RegExp(`^replayed ${id} as \\S+: 200 OK in \\d+ ms$`));
    expect(replayed.stdout).toContain('{"ok":true}');
    expect(replayed.stdout, replayed.stdout.join("\n")).toContain(
      "diff: the same response as the original",
    );
    expect(app.requests).toHaveLength(2);
    const edited = JSON.parse(app.requests[1]?.body.toString("utf8") ?? "{}");
    expect(edited.data.events[0].target[0].alternateId).toBe("jane.doe@example.com");
    expect(app.requests[1]?.rawHeaders).toContain("Basic c2VjcmV0");

    const exported = await runNode(["bin/hooktap.js", "export", "--format", "har", ...inspector]);
    expect(exported.code).toBe(0);
    const har = JSON.parse(exported.stdout.join("\n")) as {
      log: { entries: { request: { method: string; url: string } }[] };
    };
    expect(har.log.entries).toHaveLength(2);
    expect(har.log.entries[0]?.request.url).toBe(`${started.publicUrls[0]}/hooks/okta`);

    const bad = await runNode([
      "bin/hooktap.js",
      "replay",
      id,
      ...inspector,
      "--set",
      "data.nope.x=1",
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.join("\n")).toContain("[path_not_found]");
    expect(app.requests).toHaveLength(2);
    const exit = await http.stop("SIGINT");
    expect(exit.code).toBe(0);
  });
});
