/**
 * `hooktap okta` as a real process: it prints the org URL and the API token, keeps the org in
 * its file (a SIGKILLed org restarts with its hooks, System Log and token), and refuses bad
 * flags with exit code 2 before starting anything.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hookBody } from "../../helpers/okta-emulator.js";
import { assertBuilt, runNode, spawnNode, stopAllProcesses } from "../../helpers/process.js";

const BIN = "bin/hooktap.js";
let dir: string;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hooktap-okta-cli-"));
});
afterEach(async () => {
  await stopAllProcesses();
  await rm(dir, { recursive: true, force: true });
});

async function startOrg(extra: string[] = [], env: Record<string, string> = {}) {
  const proc = spawnNode([BIN, "okta", "--port", "0", "--data", join(dir, "okta.db"), ...extra], {
    env,
  });
  const [, url] = await proc.waitForLine(/^Org URL: +(http:\/\/127\.0\.0\.1:\d+)$/);
  const [, token] = await proc.waitForLine(/^API token: +(\S+)$/);
  await proc.waitForLine(/^Press Ctrl-C to stop\.$/);
  return { proc, url: url ?? "", token: token ?? "" };
}

function call(url: string, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `SSWS ${token}`, "content-type": "application/json" },
  });
}

describe("hooktap okta", () => {
  it("prints the org URL and a generated token, and keeps the org across a SIGKILL", async () => {
    const first = await startOrg();
    expect(first.token).toMatch(/^00[A-Za-z0-9_-]{40}$/);
    const created = await call(first.url, first.token, "/api/v1/eventHooks", {
      method: "POST",
      body: JSON.stringify(hookBody()),
    });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    await first.proc.stop("SIGKILL");

    const second = await startOrg();
    expect(second.token).toBe(first.token);
    const fetched = await call(second.url, second.token, `/api/v1/eventHooks/${id}`);
    expect(fetched.status).toBe(200);
    expect(
      ((await fetched.json()) as { _links: { self: { href: string } } })._links.self.href,
    ).toBe(`${second.url}/api/v1/eventHooks/${id}`);
    const logs = (await (await call(second.url, second.token, "/api/v1/logs")).json()) as {
      eventType: string;
    }[];
    expect(logs.map((e) => e.eventType)).toEqual(["event_hook.created"]);
    const exit = await second.proc.stop("SIGTERM");
    expect(exit.code).toBe(0);
  });

  it("--token replaces the stored token, which the next start keeps", async () => {
    const first = await startOrg(["--token", "my-local-token-1"]);
    expect(first.token).toBe("my-local-token-1");
    await first.proc.stop();
    const second = await startOrg([], { HOOKTAP_OKTA_TOKEN: "" });
    expect(second.token).toBe("my-local-token-1");
    expect((await call(second.url, "something-else", "/api/v1/eventHooks")).status).toBe(401);
    expect((await call(second.url, "my-local-token-1", "/api/v1/eventHooks")).status).toBe(200);
  });

  it.each([
    [["--port", "70000"], /--port must be an integer from 0 to 65535, got '70000'/],
    [["--token", "short"], /--token must be 8 to 512 visible ASCII characters/],
    [["--data", ""], /--data must not be empty/],
    [["--colour"], /unknown option '--colour'/],
  ])("%j: exit 2 with one clear line", async (args, message) => {
    const { code, stderr } = await runNode([BIN, "okta", ...args]);
    expect(code).toBe(2);
    expect(stderr.join("\n")).toMatch(message);
  });

  it("a data file of another program: exit 1, the file untouched", async () => {
    const path = join(dir, "notes.db");
    const { writeFile, readFile } = await import("node:fs/promises");
    await writeFile(path, "not a database, just notes".repeat(100));
    const { code, stderr } = await runNode([BIN, "okta", "--port", "0", "--data", path]);
    expect(code).toBe(1);
    expect(stderr.join("\n")).toMatch(/is not a hooktap Okta emulator database/);
    expect(await readFile(path, "utf8")).toBe("not a database, just notes".repeat(100));
  });
});
