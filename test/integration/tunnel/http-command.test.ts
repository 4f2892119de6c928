/**
 * `hooktap http` in-process (runCli with a memory io) against the real relay: the embedded
 * relay end to end, the local token kept between runs, a remote relay, and the exit codes.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteCaptureStore } from "../../../src/capture/index.js";
import type { Closable } from "../../../src/cli/command.js";
import { runCli } from "../../../src/cli/run.js";
import { openSqliteRelayStore, startRelay } from "../../../src/relay/index.js";
import { createMemoryIo, type MemoryIo } from "../../helpers/cli-io.js";
import { startUpstreamApp, type UpstreamApp } from "../../helpers/upstream-app.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hooktap-http-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function app(): Promise<UpstreamApp> {
  const started = await startUpstreamApp((request, res) => {
    res.writeHead(200, ["X-Echo-Target", request.url]).end(request.body);
  });
  cleanups.push(() => started.close());
  return started;
}

interface Started {
  publicUrls: string[];
  inspectorUrl: string | null;
  relayPort: number | null;
  endpoint: string;
}

async function startHttp(args: string[], env: Record<string, string> = {}) {
  const io = createMemoryIo(env);
  const outcome = await runCli(["http", ...args], io);
  let running: Closable | undefined = outcome.running;
  const stop = async (): Promise<void> => {
    const handle = running;
    running = undefined;
    await handle?.close();
  };
  cleanups.push(stop);
  return { io, outcome, stop };
}

async function startedLine(io: MemoryIo): Promise<Started> {
  const [line] = await io.waitForOut(/^\{.*"event":"started".*\}$/);
  return JSON.parse(line ?? "{}") as Started;
}

describe("hooktap http (in-process): the embedded relay", () => {
  it("forwards byte-exact, prints JSON events, serves /api/tunnels, captures to .hooktap", async () => {
    const target = await app();
    const dir = tempDir();
    const { io, outcome, stop } = await startHttp([
      String(target.port),
      "--listen-port",
      "0",
      "--inspect-addr",
      "127.0.0.1:0",
      "--data-dir",
      dir,
      "--log",
      "json",
    ]);
    expect(outcome.exitCode).toBe(0);
    const started = await startedLine(io);
    expect(started.endpoint).toBe("local");
    expect(started.publicUrls).toEqual([`http://127.0.0.1:${started.relayPort}/local`]);

    const body = randomBytes(4096);
    const seen = target.nextRequest();
    const res = await fetch(`${started.publicUrls[0]}/userCreated?a=1`, {
      method: "POST",
      headers: { "X-Signature": "abc", "Content-Type": "application/octet-stream" },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-echo-target")).toBe("/userCreated?a=1");
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), body)).toBe(0);
    const request = await seen;
    expect(Buffer.compare(request.body, body)).toBe(0);
    expect(request.rawHeaders).toContain("X-Signature");

    const [exchangeLine] = await io.waitForOut(/^\{.*"event":"exchange".*\}$/);
    expect(JSON.parse(exchangeLine ?? "{}")).toMatchObject({
      origin: "live",
      method: "POST",
      target: "/userCreated?a=1",
      status: 200,
    });
    const tunnels = (await (await fetch(`${started.inspectorUrl}/api/tunnels`)).json()) as {
      tunnels: { public_url: string; config: { addr: string } }[];
    };
    expect(tunnels.tunnels[0]).toMatchObject({
      public_url: started.publicUrls[0],
      config: { addr: `http://localhost:${target.port}` },
    });

    await stop();
    expect(io.out.at(-1)).toMatch(/"event":"stopped","total":1/);
    const capture = openSqliteCaptureStore(join(dir, "capture.db"), { readOnly: true });
    const [row] = capture.list().items;
    capture.close();
    expect(row).toMatchObject({ origin: "live", endpoint: "local", response: { status: 200 } });
    expect(Buffer.compare(Buffer.from(row?.request.body.bytes ?? []), body)).toBe(0);
  });

  it("keeps the local token (mode 0600) and the endpoint across runs", async () => {
    const target = await app();
    const dir = tempDir();
    const args = [
      String(target.port),
      "--listen-port",
      "0",
      "--no-inspect",
      "--data-dir",
      dir,
      "--log",
      "json",
    ];
    const first = await startHttp(args);
    const firstStarted = await startedLine(first.io);
    const token = readFileSync(join(dir, "agent-token"), "utf8");
    expect(token).toMatch(/^htk_\w+\n$/);
    expect(statSync(join(dir, "agent-token")).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    await first.stop();

    const second = await startHttp(args);
    const secondStarted = await startedLine(second.io);
    expect(readFileSync(join(dir, "agent-token"), "utf8")).toBe(token);
    expect(secondStarted.endpoint).toBe(firstStarted.endpoint);
    expect(secondStarted.inspectorUrl).toBeNull();
  });

  it("a lost token file gets a new token that still owns 'local'", async () => {
    const target = await app();
    const dir = tempDir();
    const args = [
      String(target.port),
      "--listen-port",
      "0",
      "--no-inspect",
      "--data-dir",
      dir,
      "--log",
      "json",
    ];
    const first = await startHttp(args);
    await startedLine(first.io);
    await first.stop();
    rmSync(join(dir, "agent-token"));
    const second = await startHttp(args);
    const started = await startedLine(second.io);
    expect(started.endpoint).toBe("local");
    expect((await fetch(`${started.publicUrls[0]}/x`)).status).toBe(200);
  });

  it("--require-header blocks at the relay; the blocked request is reported, plain lines", async () => {
    const target = await app();
    const dir = tempDir();
    const { io } = await startHttp([
      String(target.port),
      "--listen-port",
      "0",
      "--inspect-addr",
      ":0",
      "--data-dir",
      dir,
      "--require-header",
      "Authorization: Basic c2VjcmV0",
    ]);
    const [, publicUrl] = await io.waitForOut(/^Forwarding\s+(\S+) -> /);
    await io.waitForOut(/^Press Ctrl-C to stop\.$/);
    expect((await fetch(`${publicUrl}/userCreated`, { method: "POST", body: "{}" })).status).toBe(
      401,
    );
    await io.waitForOut(
      /^POST \/userCreated\s+401 Unauthorized\s+\d+ ms {2}\[blocked: unauthorized\]$/,
    );
    const ok = await fetch(`${publicUrl}/userCreated`, {
      method: "POST",
      headers: { Authorization: "Basic c2VjcmV0" },
      body: "{}",
    });
    expect(ok.status).toBe(200);
    expect(target.requests).toHaveLength(1);
  });
});

describe("hooktap http (in-process): a remote relay", () => {
  async function remoteRelay() {
    const dir = tempDir();
    const store = await openSqliteRelayStore(join(dir, "relay.db"));
    cleanups.push(() => store.close());
    const relay = await startRelay({ store, port: 0, host: "127.0.0.1" });
    cleanups.push(() => relay.close());
    const { secret } = await store.createToken("laptop");
    return { relay, secret };
  }

  it("connects with --relay and --token under a remembered random endpoint name", async () => {
    const { relay, secret } = await remoteRelay();
    const target = await app();
    const dir = tempDir();
    const args = [
      String(target.port),
      "--relay",
      relay.url,
      "--no-inspect",
      "--data-dir",
      dir,
      "--log",
      "json",
    ];
    const first = await startHttp(args, { HOOKTAP_TOKEN: secret });
    const started = await startedLine(first.io);
    expect(started.endpoint).toMatch(/^hooktap-[a-z0-9]{8}$/);
    expect(started.relayPort).toBeNull();
    expect(readFileSync(join(dir, "endpoint"), "utf8").trim()).toBe(started.endpoint);
    expect((await fetch(`${started.publicUrls[0]}/ping`)).headers.get("x-echo-target")).toBe(
      "/ping",
    );
    await first.stop();
    const second = await startHttp(args, { HOOKTAP_TOKEN: secret });
    expect((await startedLine(second.io)).endpoint).toBe(started.endpoint);
  });

  it("a second agent with the same token and --name takes over; the first stops and says why", async () => {
    const { relay, secret } = await remoteRelay();
    const target = await app();
    const args = (dir: string) => [
      String(target.port),
      "--relay",
      relay.url,
      "--name",
      "shared",
      "--no-inspect",
      "--data-dir",
      dir,
      "--log",
      "json",
    ];
    const first = await startHttp(args(tempDir()), { HOOKTAP_TOKEN: secret });
    await startedLine(first.io);
    const second = await startHttp(args(tempDir()), { HOOKTAP_TOKEN: secret });
    await startedLine(second.io);
    expect(await first.outcome.running?.finished).toBe(1);
    await first.stop();
    expect(first.io.out).toContainEqual(
      expect.stringMatching(
        /"event":"state","state":"closed","previous":"online","reason":"replaced by a newer connection for endpoint shared"/,
      ),
    );
    expect(first.io.err.at(-1)).toBe(
      "hooktap: the tunnel stopped: replaced by a newer connection for endpoint shared; another agent with the same token and endpoint name connected, and this one stops rather than take the endpoint back",
    );
    expect((await fetch(`${relay.url}/shared/still`)).headers.get("x-echo-target")).toBe("/still");
    expect(second.io.out.join("\n")).not.toMatch(/"state":"(offline|closed)"/);
  });

  it("a bad token exits 1 naming the refusal", async () => {
    const { relay } = await remoteRelay();
    const { io, outcome } = await startHttp([
      "3000",
      "--relay",
      relay.agentUrl,
      "--token",
      "htk_wrong",
      "--no-inspect",
      "--data-dir",
      tempDir(),
    ]);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.running).toBeUndefined();
    expect(io.err.at(-1)).toMatch(
      /^hooktap: the relay refused the agent: relay closed the connection: bad_token/,
    );
  });
});

describe("hooktap http (in-process): usage and startup errors", () => {
  it.each([
    [["http"], /missing <port\|url>/],
    [["http", "3000", "--relay", "ws://127.0.0.1:1"], /--relay needs --token/],
    [["http", "3000", "--require-header", "nocolon"], /--require-header must be 'Name: value'/],
    [["http", "abc:def:ghi"], /<port\|url> must be/],
  ])("%j exits 2 with one line", async (argv, pattern) => {
    const io = createMemoryIo();
    const outcome = await runCli(argv, io);
    expect(outcome.exitCode).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(pattern);
    expect(io.err[0]).toMatch(/\(run 'hooktap http --help'\)$/);
  });

  it("an inspector port in use exits 1 naming --inspect-addr, and leaves nothing running", async () => {
    const target = await app();
    const dir = tempDir();
    const first = await startHttp([
      String(target.port),
      "--listen-port",
      "0",
      "--inspect-addr",
      ":0",
      "--data-dir",
      dir,
      "--log",
      "json",
    ]);
    const { inspectorUrl } = await startedLine(first.io);
    const port = new URL(inspectorUrl ?? "").port;
    const io = createMemoryIo();
    const outcome = await runCli(
      [
        "http",
        String(target.port),
        "--listen-port",
        "0",
        "--inspect-addr",
        `127.0.0.1:${port}`,
        "--data-dir",
        tempDir(),
      ],
      io,
    );
    expect(outcome.exitCode).toBe(1);
    expect(io.err.at(-1)).toMatch(
      /the inspector: the port is already in use \(EADDRINUSE\); pick another with --inspect-addr/,
    );
  });
});

describe("hooktap http (in-process): capture limits", () => {
  it("keeps --retain-exchanges exchanges, cuts bodies at --capture-body-limit and says so", async () => {
    const target = await app();
    const dir = tempDir();
    const { io, stop } = await startHttp([
      String(target.port),
      "--listen-port",
      "0",
      "--no-inspect",
      "--data-dir",
      dir,
      "--log",
      "json",
      "--retain-exchanges",
      "2",
      "--retain-size",
      "1mb",
      "--capture-body-limit",
      "10",
    ]);
    const started = await startedLine(io);
    const bodies = [0, 1, 2].map((i) => Buffer.alloc(100, 65 + i));
    for (const body of bodies) {
      const res = await fetch(`${started.publicUrls[0]}/hook`, { method: "POST", body });
      // The app gets, and answers, every byte: the limit is the capture's only.
      expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), body)).toBe(0);
    }
    await stop();
    expect(io.out.at(-1)).toMatch(/"event":"stopped","total":3/);
    const capture = openSqliteCaptureStore(join(dir, "capture.db"), { readOnly: true });
    const items = capture.list().items;
    capture.close();
    expect(items).toHaveLength(2);
    for (const [i, x] of items.entries()) {
      const sent = bodies[2 - i] as Buffer;
      expect(x.request.body).toEqual({
        bytes: new Uint8Array(sent.subarray(0, 10)),
        size: 100,
        truncated: true,
      });
      expect(x.response?.body.truncated).toBe(true);
    }
  });
});
