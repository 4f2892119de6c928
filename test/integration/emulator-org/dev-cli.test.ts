/**
 * `hooktap dev` as a real process: the org, the tunnel, the inspector and the sample app on
 * free ports, a verified hook; a user created through the SDK reaches the sample, the
 * inspector lists the exchange, `hooktap trigger` delivers through the tunnel, Ctrl-C stops
 * everything, and a second start reuses the hook.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import okta from "@okta/okta-sdk-nodejs";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { headerOf } from "../../helpers/emulator-delivery.js";
import { startReceiver } from "../../helpers/okta-org-hooks.js";
import { assertBuilt, runNode, spawnNode, stopAllProcesses } from "../../helpers/process.js";

const BIN = "bin/hooktap.js";
const FREE_PORTS = [
  "--okta-port",
  "0",
  "--sample-port",
  "0",
  "--listen-port",
  "0",
  "--inspect-addr",
  "127.0.0.1:0",
];
let dir: string;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hooktap-dev-"));
});
afterEach(async () => {
  await stopAllProcesses();
  await rm(dir, { recursive: true, force: true });
});

async function startDev(extra: string[] = []) {
  const proc = spawnNode([
    BIN,
    "dev",
    ...FREE_PORTS,
    "--data-dir",
    dir,
    "--batch-window",
    "0",
    ...extra,
  ]);
  const options = { timeoutMs: 30_000 };
  const [, orgUrl, token] = await proc.waitForLine(
    /^Okta org: +(http:\/\/\S+) +\(API token (\S+)\)$/,
    options,
  );
  const [, inspector] = await proc.waitForLine(/^Inspector: +(http:\/\/\S+)$/, options);
  const [, hookId, action, verification] = await proc.waitForLine(
    /^Event hook: +(who\w+) "hooktap dev" \((\w+)\) → \S+\/userCreated: (\S+)/,
    options,
  );
  await proc.waitForLine(/^Press Ctrl-C to stop\.$/, options);
  return {
    proc,
    orgUrl: orgUrl ?? "",
    token: token ?? "",
    inspector: inspector ?? "",
    hookId: hookId ?? "",
    action,
    verification,
  };
}

describe("hooktap dev", () => {
  it("runs the whole loop: SDK create → tunnel → sample prints, inspector lists it; trigger; Ctrl-C; reuse", async () => {
    const dev = await startDev();
    expect(dev.action).toBe("created");
    expect(dev.verification).toBe("VERIFIED");
    expect(dev.proc.stdout.join("\n")).toContain("hooktap trigger user.lifecycle.create");

    const client = new okta.Client({ orgUrl: dev.orgUrl, token: dev.token, cacheMiddleware: null });
    await client.userApi.createUser({
      body: {
        profile: {
          firstName: "Ada",
          lastName: "Lovelace",
          email: "ada@example.com",
          login: "ada@example.com",
        },
      },
      activate: true,
    });
    await dev.proc.waitForLine(
      /^\[sample\] The user ada@example\.com has been added to the Okta org!$/,
      {
        timeoutMs: 15_000,
      },
    );
    // The capture is written on a worker thread and committed within ~10 ms of the exchange:
    // wait for the inspector to list it rather than racing the app's log line.
    await vi.waitFor(
      async () => {
        const listed = await fetch(`${dev.inspector}/api/exchanges`);
        const { items } = (await listed.json()) as {
          items: { method: string; target: string; status: number | null; okta?: unknown }[];
        };
        expect(
          items.some((e) => e.method === "POST" && e.target === "/userCreated" && e.status === 200),
        ).toBe(true);
        expect(items.some((e) => e.method === "GET" && e.target === "/userCreated")).toBe(true); // the verification
      },
      { timeout: 5000, interval: 20 },
    );

    const triggered = await runNode(
      [
        BIN,
        "trigger",
        "user.lifecycle.create",
        "--okta",
        dev.orgUrl,
        "--data",
        join(dir, "okta.db"),
      ],
      { timeoutMs: 20_000 },
    );
    expect(triggered.code, triggered.stderr.join("\n")).toBe(0);
    expect(triggered.stdout.join("\n")).toMatch(
      /→ hook "hooktap dev" \(who\w+\) \S+\/userCreated\n +events: user\.lifecycle\.create\n +answered 200/,
    );
    const [, login] = /^- create (\S+):/m.exec(triggered.stdout.join("\n")) ?? [];
    await dev.proc.waitForLine(
      new RegExp(`^\\[sample\\] The user ${login?.replace(/\./g, "\\.")} has been added`),
      {
        timeoutMs: 15_000,
      },
    );

    expect(await dev.proc.stop("SIGINT")).toEqual({ code: 0, signal: null });

    const again = await startDev();
    expect(again.hookId).toBe(dev.hookId);
    expect(["reused", "updated"]).toContain(again.action);
    expect(again.verification).toBe("VERIFIED");
    const hooks = (await (
      await fetch(`${again.orgUrl}/api/v1/eventHooks`, {
        headers: { authorization: `SSWS ${again.token}` },
      })
    ).json()) as unknown[];
    expect(hooks).toHaveLength(1);
    expect(await again.proc.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  }, 90_000);

  it("--app: the hook points through the tunnel at the user's app; an app that is down leaves it unverified, still running", async () => {
    const down = await startDev(["--app", "http://127.0.0.1:1"]);
    expect(down.verification).toBe("NOT");
    expect(down.proc.stdout.join("\n")).toMatch(
      /NOT VERIFIED \(.+\); start your app, then: curl -X POST/,
    );
    expect(down.proc.stdout.join("\n")).not.toContain("[sample]");
    await down.proc.stop("SIGINT");

    const app = await startReceiver();
    try {
      const dev = await startDev(["--app", app.url]);
      expect(dev.action).toBe("updated"); // same hook, new channel: verified again
      expect(dev.verification).toBe("VERIFIED");
      const client = new okta.Client({
        orgUrl: dev.orgUrl,
        token: dev.token,
        cacheMiddleware: null,
      });
      await client.userApi.createUser({
        body: { profile: { email: "own@example.com", login: "own@example.com" } },
        activate: false,
      });
      const requests = await app.waitForRequests(2);
      const post = requests.find((r) => r.method === "POST");
      expect(post?.url).toBe("/userCreated");
      expect(post && headerOf(post, "authorization")).toBe("Basic YWRtaW46c3VwZXJzZWNyZXQ=");
      expect(app.deliveriesOnly()[0]?.data.events[0]?.target?.[0]?.alternateId).toBe(
        "own@example.com",
      );
      expect(await dev.proc.stop("SIGINT")).toEqual({ code: 0, signal: null });
    } finally {
      await app.close();
    }
  }, 90_000);

  it.each([
    [["--okta-port", "70000"], /--okta-port must be an integer from 0 to 65535/],
    [["--app", "ftp://example.com"], /--app must be a port or an http\(s\) URL/],
    [["--duplicates", "2"], /--duplicates must be a number from 0 to 1/],
    [["--delay", "5-1"], /--delay must be min-max/],
    [["--token", "x"], /--token must be 8 to 512/],
    [["--nope"], /unknown option '--nope'/],
  ])("%j: exit 2 with one clear line, nothing started", async (args, message) => {
    const result = await runNode([BIN, "dev", ...args, "--data-dir", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.join("\n")).toMatch(message);
    expect(result.stdout).toEqual([]);
  });
  it("exits 1 saying why when its tunnel's token is revoked under it", async () => {
    const dev = await startDev();
    const revoked = await runNode([
      BIN,
      "relay",
      "token",
      "revoke",
      "local",
      "--data",
      join(dir, "relay.db"),
    ]);
    expect(revoked.code).toBe(0);
    // The relay notices a revocation within 2 s; the agent then stops and dev closes.
    const exit = await dev.proc.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    expect(dev.proc.stderr.join("\n")).toMatch(
      /^hooktap: the tunnel stopped: .*bad_token \(the token was revoked\); the embedded relay's local token was revoked: start hooktap again to make a new one$/m,
    );
  }, 60_000);
});

describe("hooktap trigger and hooktap okta preview", () => {
  it("refuse bad command lines with exit 2, and an unreachable org with exit 1", async () => {
    const noType = await runNode([BIN, "trigger"]);
    expect(noType.code).toBe(2);
    const badCount = await runNode([
      BIN,
      "trigger",
      "user.lifecycle.create",
      "--count",
      "0",
      "--token",
      "tokentoken",
    ]);
    expect(badCount.code).toBe(2);
    expect(badCount.stderr.join("\n")).toMatch(/--count must be an integer from 1 to 100/);
    const badSet = await runNode([
      BIN,
      "trigger",
      "user.lifecycle.create",
      "--set",
      "novalue",
      "--token",
      "tokentoken",
    ]);
    expect(badSet.code).toBe(2);
    const noToken = await runNode(
      [BIN, "trigger", "user.lifecycle.create", "--data", join(dir, "none.db")],
      {
        env: { HOOKTAP_OKTA_TOKEN: "" },
      },
    );
    expect(noToken.code).toBe(2);
    expect(noToken.stderr.join("\n")).toMatch(/no API token/);
    const down = await runNode([
      BIN,
      "trigger",
      "user.lifecycle.create",
      "--okta",
      "http://127.0.0.1:1",
      "--token",
      "tokentoken",
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr.join("\n")).toMatch(
      /cannot reach the local Okta org at http:\/\/127\.0\.0\.1:1/,
    );
    const noEventType = await runNode([BIN, "okta", "preview", "whoX", "--token", "tokentoken"]);
    expect(noEventType.code).toBe(2);
    expect(noEventType.stderr.join("\n")).toMatch(/--event-type is required/);
    const badBody = await runNode([
      BIN,
      "okta",
      "preview",
      "whoX",
      "--event-type",
      "user.lifecycle.create",
      "--body",
      join(dir, "missing.json"),
      "--token",
      "tokentoken",
    ]);
    expect(badBody.code).toBe(2);
    expect(badBody.stderr.join("\n")).toMatch(/--body: cannot read/);
  });

  it("an Okta error from the org is one line and exit 1", async () => {
    const org = spawnNode([BIN, "okta", "--port", "0", "--data", join(dir, "okta.db")]);
    const [, url] = await org.waitForLine(/^Org URL: +(http:\/\/127\.0\.0\.1:\d+)$/);
    const result = await runNode([
      BIN,
      "trigger",
      "not.a.real.type",
      "--okta",
      url ?? "",
      "--data",
      join(dir, "okta.db"),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.join("\n")).toMatch(
      /400 E0000001 Api validation failed: eventType \(eventType: not\.a\.real\.type is not an event-hook-eligible event type/,
    );
    const preview = await runNode([
      BIN,
      "okta",
      "preview",
      "whoMissing",
      "--event-type",
      "user.lifecycle.create",
      "--okta",
      url ?? "",
      "--data",
      join(dir, "okta.db"),
    ]);
    expect(preview.code).toBe(1);
    expect(preview.stderr.join("\n")).toMatch(/404 E0000007/);
  });
});
