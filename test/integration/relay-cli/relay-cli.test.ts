/**
 * `hooktap relay` and `hooktap relay token …` as real processes (`node bin/hooktap.js`, after
 * `npm run build`), including the durability promise: a relay killed with SIGKILL and
 * restarted on the same file delivers every request it acknowledged, in order.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_STORE_WATCH_MS } from "../../../src/relay/index.js";
import { assertBuilt, runNode, spawnNode, stopAllProcesses } from "../../helpers/process.js";
import {
  BIN,
  createTokenCli,
  startRelayProcess as startRelay,
} from "../../helpers/relay-cli-process.js";
import { closeFakeAgents, connectFakeAgent, recordingApp } from "../../helpers/relay-fake-agent.js";
import { send } from "../../helpers/relay-harness.js";
import { HAS_OPENSSL, makeCertificate } from "../../helpers/relay-tls.js";
import { startUpstreamApp } from "../../helpers/upstream-app.js";

let dir: string;
let data: string;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hooktap-relay-cli-"));
  data = join(dir, "relay.db");
});
afterEach(async () => {
  await closeFakeAgents();
  await stopAllProcesses();
  await rm(dir, { recursive: true, force: true });
});

const createToken = (name: string): Promise<string> => createTokenCli(data, name);
const startRelayProcess = (extra: string[] = []) => startRelay(data, extra);

describe("hooktap relay token (process)", () => {
  it("creates (secret shown once, with a hint), lists and revokes tokens", async () => {
    const created = await runNode([BIN, "relay", "token", "create", "laptop", "--data", data]);
    expect(created.code).toBe(0);
    const text = created.stdout.join("\n");
    expect(text).toMatch(/^Created token laptop \(tok_\w+\)\.$/m);
    const secret = /^ {2}(htk_\S+)$/m.exec(text)?.[1] ?? "";
    expect(text).toContain(
      `hooktap http 3000 --relay ws://localhost:8080/_hooktap/agent --token ${secret}`,
    );

    const listed = await runNode([BIN, "relay", "token", "ls", "--data", data]);
    expect(listed.code).toBe(0);
    expect(listed.stdout[0]).toMatch(/^ID +NAME +CREATED +LAST USED +REVOKED$/);
    expect(listed.stdout[1]).toMatch(/^tok_\w+ +laptop +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +- +-$/);
    expect(listed.stdout.join("\n")).not.toContain(secret);

    const revoked = await runNode([BIN, "relay", "token", "revoke", "laptop", "--data", data]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout[0]).toMatch(/^Revoked token laptop \(tok_\w+\)\.$/);
    const after = await runNode([BIN, "relay", "token", "ls", "--data", data]);
    expect(after.stdout[1]).toMatch(/ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.each([
    [["relay", "token"], 2, /needs an action: create, ls or revoke/],
    [["relay", "token", "create"], 2, /usage: hooktap relay token create <name>/],
    [["relay", "token", "create", "has space"], 2, /invalid token name 'has space'/],
    [["relay", "token", "frob"], 2, /unknown token action 'frob'/],
    [["relay", "token", "revoke", "nobody"], 1, /no token 'nobody'/],
    [["relay", "token", "ls", "--nope"], 2, /unknown option '--nope' for 'hooktap relay token'/],
  ])("hooktap %j exits %i with one clear line", async (args, exit, pattern) => {
    const { code, stderr } = await runNode([BIN, ...args, "--data", data]);
    expect(code).toBe(exit);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(pattern);
  });
});

describe("hooktap relay (process)", () => {
  it("prints its URLs, forwards to an agent that uses a created token, and stops on SIGINT", async () => {
    const secret = await createToken("laptop");
    const { proc, url, agentUrl } = await startRelayProcess();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(agentUrl).toBe(`${url.replace(/^http/, "ws")}/_hooktap/agent`);
    const app = recordingApp(() => ({ status: 201, body: "from the app" }));
    const agent = await connectFakeAgent({
      url: agentUrl,
      token: secret,
      endpoint: "okta-dev",
      onRequest: app.handler,
    });
    expect((await agent.welcome).urls).toEqual([`${url}/okta-dev`]);
    await proc.waitForLine(/^agent connected endpoint=okta-dev /);
    const res = await send(`${url}/okta-dev/userCreated`, { method: "POST", body: "{}" });
    expect([res.status, res.body.toString()]).toEqual([201, "from the app"]);
    expect((await proc.stop("SIGINT")).code).toBe(0);
    expect((await agent.closed).code).toBe(1001);
  });

  it("refuses an agent whose token was revoked while the relay runs", async () => {
    const secret = await createToken("laptop");
    const { agentUrl } = await startRelayProcess();
    expect((await runNode([BIN, "relay", "token", "revoke", "laptop", "--data", data])).code).toBe(
      0,
    );
    const agent = await connectFakeAgent({ url: agentUrl, token: secret, endpoint: "okta-dev" });
    expect((await agent.error).code).toBe("bad_token");
  });

  it("disconnects the agents of a token revoked while they run (within 2 s), and only those", async () => {
    const laptop = await createToken("laptop");
    const ci = await createToken("ci");
    const { proc: relay, url } = await startRelayProcess();
    const app = await startUpstreamApp((request, res) => {
      res.writeHead(200, ["X-Echo-Target", request.url]).end();
    });
    try {
      const http = (token: string, name: string) =>
        spawnNode(
          [
            BIN,
            "http",
            String(app.port),
            "--relay",
            url,
            "--name",
            name,
            "--no-inspect",
            "--data-dir",
            join(dir, name),
            "--log",
            "json",
          ],
          { env: { HOOKTAP_TOKEN: token } },
        );
      const revokedAgent = http(laptop, "laptop-hooks");
      const keptAgent = http(ci, "ci-hooks");
      for (const agent of [revokedAgent, keptAgent]) {
        await agent.waitForLine(/"event":"started"/, { timeoutMs: 15_000 });
      }
      const revoke = await runNode([BIN, "relay", "token", "revoke", "laptop", "--data", data]);
      expect(revoke.code).toBe(0);
      expect(revoke.stdout[1]).toBe(
        "A relay running on this file disconnects its agents within 2 s and refuses them from now on; its endpoints stay reserved.",
      );
      const revokedAt = performance.now();
      await revokedAgent.waitForLine(/"event":"state","state":"closed"/);
      expect(performance.now() - revokedAt).toBeLessThan(DEFAULT_STORE_WATCH_MS + 1500);
      // It stops for good (exit 1, saying why) rather than reconnecting.
      expect(await revokedAgent.exited).toEqual({ code: 1, signal: null });
      expect(revokedAgent.stdout).toContainEqual(
        expect.stringContaining(
          '"state":"closed","previous":"online","reason":"relay closed the connection: bad_token (the token was revoked)"',
        ),
      );
      expect(revokedAgent.stderr.at(-1)).toBe(
        "hooktap: the tunnel stopped: relay closed the connection: bad_token (the token was revoked); the relay no longer accepts this token: ask its operator for a new one ('hooktap relay token create <name>')",
      );
      await relay.waitForLine(
        /^agent disconnected: its token was revoked endpoint=laptop-hooks .*token=laptop$/,
      );
      expect(
        relay.stdout.filter((l) => l.startsWith("agent connected endpoint=laptop-hooks")),
      ).toHaveLength(1);
      const kept = await send(`${url}/ci-hooks/still`);
      expect([kept.status, kept.headers["x-echo-target"]]).toEqual([200, "/still"]);
      expect(keptAgent.stdout.join("\n")).not.toMatch(/"state":"(offline|closed)"/);
    } finally {
      await app.close();
    }
    // Five processes: slow on a loaded machine.
  }, 60_000);

  it.each([
    [["--tls-cert", "cert.pem"], 2, /--tls-cert and --tls-key go together/],
    [["--tls-key", "key.pem"], 2, /--tls-cert and --tls-key go together/],
    [
      ["--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"],
      1,
      /cannot read --tls-cert \/nonexistent\/cert\.pem \(ENOENT\)/,
    ],
    [["--port", "http"], 2, /--port must be an integer from 0 to 65535/],
    [["--domain", "localhost"], 2, /--domain must be a host name with at least two labels/],
    [
      ["--queue-ttl", "soon"],
      2,
      /--queue-ttl must be a duration such as 90s, 30m, 24h or 7d, got 'soon'/,
    ],
    [
      ["--keep-delivered", "1w"],
      2,
      /--keep-delivered must be a duration such as 90s, 30m, 24h or 7d, got '1w'/,
    ],
    [
      ["--keep-delivered", "0d"],
      2,
      /--keep-delivered must be a duration such as 90s, 30m, 24h or 7d, got '0d'/,
    ],
    [["stray"], 2, /unexpected argument 'stray' for 'hooktap relay'/],
  ])("hooktap relay %j exits %i with one clear line", async (args, exit, pattern) => {
    const { code, stderr } = await runNode([BIN, "relay", "--port", "0", "--data", data, ...args]);
    expect(code).toBe(exit);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(pattern);
  });

  it.skipIf(!HAS_OPENSSL)(
    "serves https and wss with --tls-cert and --tls-key (skipped without openssl)",
    async () => {
      const pem = makeCertificate(dir);
      const secret = await createToken("laptop");
      const { url, agentUrl } = await startRelayProcess([
        "--tls-cert",
        pem.cert,
        "--tls-key",
        pem.key,
      ]);
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(agentUrl).toMatch(/^wss:\/\//);
      const agent = await connectFakeAgent({
        url: agentUrl,
        token: secret,
        endpoint: "secure",
        ws: { rejectUnauthorized: false },
      });
      await agent.welcome;
      const res = await send(`${url}/secure/x`, { rejectUnauthorized: false });
      expect(res.status).toBe(200);
    },
  );

  it("delivers every acknowledged request, in order, after a SIGKILL and a restart", async () => {
    const secret = await createToken("laptop");
    const first = await startRelayProcess();
    // The agent's first hello reserves the endpoint; then it goes away.
    const claim = await connectFakeAgent({
      url: first.agentUrl,
      token: secret,
      endpoint: "okta-dev",
    });
    await claim.welcome;
    await claim.close();

    const acked: { id: string; digest: string }[] = [];
    const digest = (body: Buffer) => createHash("sha256").update(body).digest("hex");
    let senderDone = false;
    const sender = (async () => {
      for (let i = 0; ; i++) {
        const body = Buffer.concat([Buffer.from(`event-${i}:`), randomBytes(1 + (i % 7) * 300)]);
        const res = await send(`${first.url}/okta-dev/events`, { method: "POST", body });
        if (res.status !== 200) throw new Error(`status ${res.status}: ${res.body.toString()}`);
        acked.push({ id: String(res.headers["hooktap-queue-id"]), digest: digest(body) });
      }
    })()
      .catch(() => {})
      .finally(() => {
        senderDone = true;
      });
    while (acked.length < 40 && !senderDone) await new Promise((r) => setImmediate(r));
    expect(acked.length).toBeGreaterThanOrEqual(40);
    await first.proc.stop("SIGKILL");
    await sender;
    const acknowledged = [...acked];

    const second = await startRelayProcess();
    expect(second.proc.stdout).toContainEqual(
      expect.stringMatching(/\(1 active token, 1 reserved endpoint\)$/),
    );
    const app = recordingApp();
    await connectFakeAgent({
      url: second.agentUrl,
      token: secret,
      endpoint: "okta-dev",
      onRequest: app.handler,
    });
    const delivered = await app.count(acknowledged.length);
    // At least once: a request stored just before the kill may be delivered without its 200 having
    // reached the sender, so the acknowledged ones are a prefix of the deliveries.
    expect(
      delivered.map((r) => ({
        id: r.head.origin === "queued" ? r.head.queueId : "",
        digest: digest(r.body),
      })),
    ).toEqual(acknowledged);
    expect(delivered.every((r) => r.head.origin === "queued" && r.head.attempt === 1)).toBe(true);
  });
});
