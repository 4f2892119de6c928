/**
 * The agent gateway on a real relay: the handshake, refused agents (bad or revoked token,
 * taken endpoint, no hello, bad frames), replacement of a stale session, agents of a token
 * revoked while connected, heartbeats. After every refusal the relay must still serve its
 * other agents.
 */
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { PROTOCOL_VERSION } from "../../../src/protocol/index.js";
import { openSqliteRelayStore } from "../../../src/relay/index.js";
import {
  closeFakeAgents,
  connectFakeAgent,
  type FakeAgent,
  recordingApp,
} from "../../helpers/relay-fake-agent.js";
import {
  closeTestRelays,
  rawExchange,
  send,
  startTestRelay,
  type TestRelay,
  until,
} from "../../helpers/relay-harness.js";

afterEach(async () => {
  await closeFakeAgents();
  await closeTestRelays();
});

/** A relay with a healthy agent on `steady`, to check that refusals change nothing for it. */
async function relayWithSteadyAgent(options: Parameters<typeof startTestRelay>[0] = {}) {
  const test = await startTestRelay(options);
  const app = recordingApp();
  const steady = await connectFakeAgent({
    url: test.relay.agentUrl,
    token: test.secret,
    endpoint: "steady",
    onRequest: app.handler,
  });
  await steady.welcome;
  const stillServing = async (): Promise<void> => {
    const before = app.requests.length;
    expect((await send(`${test.relay.url}/steady/ping`)).status).toBe(200);
    expect(app.requests.length).toBe(before + 1);
  };
  return { ...test, steady, stillServing };
}

async function refusedWith(agent: FakeAgent, code: string, closeCode: number): Promise<void> {
  expect((await agent.error).code).toBe(code);
  expect(await agent.closed).toEqual({ code: closeCode, reason: code });
  await expect(agent.welcome).rejects.toThrow();
}

describe("relay: agent gateway", () => {
  it("welcomes an agent with its URLs, stores its policy, and lists it online", async () => {
    const test = await startTestRelay();
    const agent = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      policy: { oktaChallenge: "edge", queue: "always" },
    });
    const welcome = await agent.welcome;
    expect(welcome).toEqual({
      type: "welcome",
      protocol: PROTOCOL_VERSION,
      endpoint: "okta-dev",
      urls: [`${test.relay.url}/okta-dev`],
      sessionId: expect.stringMatching(/^sess_/),
      heartbeatMs: 10_000,
    });
    expect(test.relay.agentUrl).toBe(`ws://127.0.0.1:${test.relay.port}/_hooktap/agent`);
    expect(await test.store.endpointPolicy("okta-dev")).toMatchObject({
      oktaChallenge: "edge",
      queue: "always",
    });
    expect((await test.store.endpointOwner("okta-dev"))?.tokenId).toBe(test.tokenId);
    await until(() => test.relay.endpoints()[0]?.online === true, "online");
    await agent.close();
    await until(() => test.relay.endpoints()[0]?.online === false, "offline");
  });

  it("refuses an unknown or revoked token with bad_token, and keeps serving", async () => {
    const test = await relayWithSteadyAgent();
    const forged = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: `htk_${"A".repeat(40)}`,
      endpoint: "mine",
    });
    await refusedWith(forged, "bad_token", 1008);
    const { secret } = await test.store.createToken("soon-revoked");
    await test.store.revokeToken("soon-revoked");
    const revoked = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: secret,
      endpoint: "mine",
    });
    await refusedWith(revoked, "bad_token", 1008);
    expect(await test.store.endpointOwner("mine")).toBeNull();
    await test.stillServing();
  });

  it("refuses another token's endpoint with endpoint_taken; the owner keeps it", async () => {
    const test = await relayWithSteadyAgent();
    const other = await test.store.createToken("intruder");
    const intruder = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: other.secret,
      endpoint: "steady",
    });
    await refusedWith(intruder, "endpoint_taken", 1008);
    expect((await test.store.endpointOwner("steady"))?.tokenId).toBe(test.tokenId);
    await test.stillServing();
  });

  it("replaces the owner's stale session with its new one (replaced for the old)", async () => {
    const test = await relayWithSteadyAgent();
    const app = recordingApp();
    const fresh = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "steady",
      onRequest: app.handler,
    });
    await fresh.welcome;
    expect(await test.steady.error).toEqual({
      type: "error",
      code: "replaced",
      message: "replaced by a newer connection for endpoint steady",
    });
    expect(await test.steady.closed).toEqual({ code: 1001, reason: "replaced" });
    expect((await send(`${test.relay.url}/steady/after`)).status).toBe(200);
    expect(app.requests.map((r) => r.head.target)).toEqual(["/after"]);
    expect(test.relay.endpoints()).toEqual([{ name: "steady", online: true, queued: 0 }]);
  });

  it("disconnects the agents of a token revoked while they are connected (bad_token), within storeWatchMs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hooktap-gateway-"));
    const path = join(dir, "relay.db");
    const test = await relayWithSteadyAgent({
      store: await openSqliteRelayStore(path),
      storeWatchMs: 50,
    });
    // Another handle on the file, as `hooktap relay token revoke` in another process is.
    const cli = await openSqliteRelayStore(path);
    try {
      const laptop = await test.store.createToken("laptop");
      const agents = await Promise.all(
        ["laptop-a", "laptop-b"].map((endpoint) =>
          connectFakeAgent({ url: test.relay.agentUrl, token: laptop.secret, endpoint }),
        ),
      );
      await Promise.all(agents.map((agent) => agent.welcome));
      const revokedAt = performance.now();
      await cli.revokeToken("laptop");
      for (const agent of agents) {
        expect(await agent.error).toEqual({
          type: "error",
          code: "bad_token",
          message: "the token was revoked",
        });
        expect(await agent.closed).toEqual({ code: 1008, reason: "bad_token" });
      }
      expect(performance.now() - revokedAt).toBeLessThan(50 + 1000);
      expect(test.logs).toContainEqual(
        expect.objectContaining({
          message: "agent disconnected: its token was revoked",
          fields: expect.objectContaining({ endpoint: "laptop-a", token: "laptop" }),
        }),
      );
      await until(
        () => test.relay.endpoints().filter((e) => e.online).length === 1,
        "only steady online",
      );
      await test.stillServing();
      // Offline now: the endpoint's policy queues for it (its name stays reserved).
      const queued = await send(`${test.relay.url}/laptop-a/x`, { method: "POST", body: "{}" });
      expect(queued.headers["hooktap-queue-id"]).toMatch(/^req_/);
    } finally {
      await cli.close();
      await test.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("closes a connection that sends no hello in time", async () => {
    const test = await relayWithSteadyAgent({ helloTimeoutMs: 100 });
    const mute = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: "",
      endpoint: "x",
      silent: true,
    });
    await refusedWith(mute, "heartbeat_timeout", 1001);
    await test.stillServing();
  });

  it.each([
    ["a text frame that is not JSON", "not json", "bad_message"],
    ["a message of an unknown type", JSON.stringify({ type: "teleport" }), "bad_message"],
    [
      "a hello of another protocol version",
      JSON.stringify({ type: "hello", protocol: 99 }),
      "unsupported_protocol",
    ],
    ["a relay's message", JSON.stringify({ type: "welcome" }), "bad_message"],
    [
      "a policy before the welcome",
      JSON.stringify({
        type: "policy",
        policy: { oktaChallenge: "app", requireHeader: null, maxBodyBytes: 1, queue: "never" },
      }),
      "unexpected_message",
    ],
    [
      "a response on a stream never opened",
      JSON.stringify({ type: "response", stream: 7, status: 200, rawHeaders: [] }),
      "unexpected_message",
    ],
    ["a truncated binary frame", Buffer.from([0, 0]), "bad_message"],
  ])("closes on %s, and keeps serving", async (_what, frame, code) => {
    const test = await relayWithSteadyAgent();
    const agent = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "x",
      silent: true,
    });
    agent.ws.send(frame);
    expect((await agent.error).code).toBe(code);
    expect(await agent.closed).toEqual({ code: 1002, reason: code });
    await test.stillServing();
  });

  it("closes on a second hello", async () => {
    const test = await relayWithSteadyAgent();
    const agent = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "twice",
    });
    const welcome = await agent.welcome;
    agent.ws.send(
      JSON.stringify({
        type: "hello",
        protocol: PROTOCOL_VERSION,
        token: test.secret,
        endpoint: "twice",
        policy: { oktaChallenge: "app", requireHeader: null, maxBodyBytes: 1, queue: "never" },
        client: { name: "x", version: "1" },
      }),
    );
    expect(welcome.endpoint).toBe("twice");
    expect((await agent.error).code).toBe("unexpected_message");
    await test.stillServing();
  });

  it("refuses a frame over MAX_FRAME_BYTES at the transport", async () => {
    const test = await relayWithSteadyAgent();
    const agent = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "big",
      silent: true,
    });
    agent.ws.send(Buffer.alloc(2 * 1024 * 1024));
    expect((await agent.closed).code).toBe(1009);
    await test.stillServing();
  });

  it("answers a plain GET on the agent path with 426 websocket_required", async () => {
    const test = await startTestRelay();
    const res = await send(test.relay.agentUrl.replace(/^ws/, "http"));
    expect(res.status).toBe(426);
    expect(res.headers.upgrade).toBe("websocket");
    expect(res.headers["hooktap-error-code"]).toBe("websocket_required");
  });

  it("refuses a WebSocket upgrade to an endpoint with 501 upgrade_unsupported", async () => {
    const test = await relayWithSteadyAgent();
    const ws = new WebSocket(`ws://127.0.0.1:${test.relay.port}/steady/socket`);
    ws.on("error", () => {});
    const [, res] = (await once(ws, "unexpected-response")) as [
      unknown,
      import("node:http").IncomingMessage,
    ];
    expect(res.statusCode).toBe(501);
    expect(res.headers["hooktap-error-code"]).toBe("upgrade_unsupported");
    ws.terminate();
    await test.stillServing();
  });

  it("answers a huge request head with 431 headers_too_large, and keeps serving", async () => {
    const test = await relayWithSteadyAgent();
    const raw = await rawExchange(
      test.relay.port,
      `GET /steady/x HTTP/1.1\r\nHost: a\r\nX-Big: ${"x".repeat(64 * 1024)}\r\n\r\n`,
    );
    const text = raw.toString("latin1");
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(text).toContain("hooktap-error-code: headers_too_large");
    await test.stillServing();
  });

  it("drops an agent that stops answering pings, and keeps a healthy one", async () => {
    const test: TestRelay = await startTestRelay({ heartbeatMs: 40 });
    const healthy = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "healthy",
    });
    const dead = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "sleepy",
      ws: { autoPong: false },
    });
    await Promise.all([healthy.welcome, dead.welcome]);
    let pings = 0;
    healthy.ws.on("ping", () => pings++);
    const started = Date.now();
    // The relay sends heartbeat_timeout and destroys the socket: the close frame may or may not make it.
    expect([1001, 1006]).toContain((await dead.closed).code);
    const elapsed = Date.now() - started;
    // Dropped at the third ping after its last frame at the latest: never before 2.5 intervals.
    expect(elapsed).toBeGreaterThanOrEqual(80);
    while (pings < 6) await once(healthy.ws, "ping");
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    await until(
      () => test.relay.endpoints().find((e) => e.name === "sleepy")?.online === false,
      "sleepy offline",
    );
    expect(test.logs).toContainEqual(
      expect.objectContaining({ level: "warn", message: "agent silent, dropping it" }),
    );
  });
});
