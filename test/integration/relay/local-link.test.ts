/**
 * The relay's in-process door (`relay.connectLocal()`), which `hooktap http` uses for its own
 * agent: the same handshake as over WebSocket (tokens, reservations, policies, replacement,
 * revocation), the same forwarding, queue and edge reports, the same endings, and a real agent
 * that comes back after its relay restarts.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startAgent } from "../../../src/agent/index.js";
import { PROTOCOL_VERSION } from "../../../src/protocol/index.js";
import { type Relay, startRelay } from "../../../src/relay/index.js";
import {
  closeFakeAgents,
  connectFakeAgent,
  connectLocalFakeAgent,
  type LinkedFakeAgent,
  recordingApp,
} from "../../helpers/relay-fake-agent.js";
import {
  closeTestRelays,
  send,
  startTestRelay,
  type TestRelay,
  until,
} from "../../helpers/relay-harness.js";
import { startUpstreamApp } from "../../helpers/upstream-app.js";

afterEach(async () => {
  await closeFakeAgents();
  await closeTestRelays();
});

function local(
  test: TestRelay,
  options: Partial<Parameters<typeof connectLocalFakeAgent>[1]> = {},
): Promise<LinkedFakeAgent> {
  return connectLocalFakeAgent(test.relay.connectLocal(), {
    token: test.secret,
    endpoint: "okta-dev",
    ...options,
  });
}

describe("relay: an in-process agent", () => {
  it("is welcomed with the endpoint's URLs, its policy stored, listed online, logged like any agent", async () => {
    const test = await startTestRelay();
    const agent = await local(test, { policy: { oktaChallenge: "edge", queue: "always" } });
    expect(agent.link.transport).toBeUndefined();
    expect(await agent.welcome).toEqual({
      type: "welcome",
      protocol: PROTOCOL_VERSION,
      endpoint: "okta-dev",
      urls: [`${test.relay.url}/okta-dev`],
      sessionId: expect.stringMatching(/^sess_/),
      heartbeatMs: 10_000,
    });
    expect(await test.store.endpointPolicy("okta-dev")).toMatchObject({
      oktaChallenge: "edge",
      queue: "always",
    });
    expect((await test.store.endpointOwner("okta-dev"))?.tokenId).toBe(test.tokenId);
    await until(() => test.relay.endpoints()[0]?.online === true, "online");
    expect(test.logs.find((r) => r.message === "agent connected")?.fields).toMatchObject({
      endpoint: "okta-dev",
      client: "fake-agent/0.0.0",
      remote: "127.0.0.1",
    });
    await agent.close();
    await until(() => test.relay.endpoints()[0]?.online === false, "offline");
    expect(test.logs.some((r) => r.message === "agent disconnected")).toBe(true);
  });

  it("refuses an unknown token, a revoked one and another token's endpoint, as over WebSocket", async () => {
    const test = await startTestRelay();
    const forged = await local(test, { token: `htk_${"A".repeat(40)}` });
    expect((await forged.error).code).toBe("bad_token");
    expect(await forged.closed).toEqual({ code: 1008, reason: "bad_token" });
    const { secret } = await test.store.createToken("soon-revoked");
    await test.store.revokeToken("soon-revoked");
    const revoked = await local(test, { token: secret });
    expect(await revoked.closed).toEqual({ code: 1008, reason: "bad_token" });
    expect(await test.store.endpointOwner("okta-dev")).toBeNull();

    const owner = await local(test);
    await owner.welcome;
    const other = await test.store.createToken("intruder");
    const intruder = await local(test, { token: other.secret });
    expect(await intruder.closed).toEqual({ code: 1008, reason: "endpoint_taken" });
    expect(owner.link.state).toBe("open");
  });

  it("replaces a WebSocket session of the same token (replaced), and is replaced by one", async () => {
    const test = await startTestRelay();
    const overWs = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
    });
    await overWs.welcome;
    const app = recordingApp();
    const inProcess = await local(test, { onRequest: app.handler });
    await inProcess.welcome;
    expect((await overWs.error).code).toBe("replaced");
    expect(await overWs.closed).toEqual({ code: 1001, reason: "replaced" });
    expect((await send(`${test.relay.url}/okta-dev/after`)).status).toBe(200);
    expect(app.requests.map((r) => r.head.target)).toEqual(["/after"]);

    const again = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
    });
    await again.welcome;
    expect((await inProcess.error).code).toBe("replaced");
    expect(await inProcess.closed).toEqual({ code: 1001, reason: "replaced" });
    expect(test.relay.endpoints()).toEqual([{ name: "okta-dev", online: true, queued: 0 }]);
  });

  it("forwards byte-exact: header pairs, and a 12 MB body both ways", async () => {
    const test = await startTestRelay();
    const agent = await local(test, {
      policy: { maxBodyBytes: 64 * 1024 * 1024 },
      onRequest: (stream) => {
        const out = stream.respond(201, [
          ["X-Target", stream.head.target],
          ["x-dup", "1"],
          ["X-Dup", "2"],
        ]);
        stream.body.pipe(out);
      },
    });
    await agent.welcome;
    const body = randomBytes(12 * 1024 * 1024);
    const res = await send(`${test.relay.url}/okta-dev/upload?a=1&b=%20`, {
      method: "PUT",
      body,
    });
    expect(res.status).toBe(201);
    expect(res.rawHeaders.slice(0, 3)).toEqual([
      ["X-Target", "/upload?a=1&b=%20"],
      ["x-dup", "1"],
      ["X-Dup", "2"],
    ]);
    const digest = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
    expect(res.body.byteLength).toBe(body.byteLength);
    expect(digest(res.body)).toBe(digest(body));
  });

  it("delivers what was queued while it was away once it connects, and gets edge reports", async () => {
    const test = await startTestRelay();
    await test.store.reserveEndpoint("okta-dev", test.tokenId);
    const queued = await send(`${test.relay.url}/okta-dev/userCreated`, {
      method: "POST",
      body: '{"eventType":"user.lifecycle.create"}',
    });
    expect(queued.status).toBe(200);
    expect(queued.headers["hooktap-queue-id"]).toMatch(/^req_/);
    const app = recordingApp();
    const agent = await local(test, {
      onRequest: app.handler,
      policy: { requireHeader: { name: "Authorization", value: "Basic c2VjcmV0" } },
    });
    const [delivered] = await app.count(1);
    expect(delivered?.head).toMatchObject({ origin: "queued", target: "/userCreated" });
    expect(delivered?.body.toString()).toBe('{"eventType":"user.lifecycle.create"}');
    await until(() => test.relay.endpoints()[0]?.queued === 0, "queue drained");

    const blocked = await send(`${test.relay.url}/okta-dev/x`, { method: "POST", body: "{}" });
    expect(blocked.status).toBe(401);
    expect(await agent.edge(1)).toMatchObject({
      reason: "unauthorized",
      response: { status: 401 },
    });
  });

  it("a silent agent is closed at the hello timeout; the relay's close ends a session with shutting_down", async () => {
    const test = await startTestRelay({ helloTimeoutMs: 100 });
    const mute = await local(test, { silent: true });
    expect(await mute.closed).toEqual({ code: 1001, reason: "heartbeat_timeout" });
    const agent = await local(test);
    await agent.welcome;
    await test.close();
    expect((await agent.error).code).toBe("shutting_down");
    expect(await agent.closed).toEqual({ code: 1001, reason: "shutting_down" });
  });

  it("is disconnected with bad_token when its token is revoked", async () => {
    const test = await startTestRelay({ storeWatchMs: 20 });
    const agent = await local(test);
    await agent.welcome;
    await test.store.revokeToken(test.tokenId);
    expect((await agent.error).code).toBe("bad_token");
    expect(await agent.closed).toEqual({ code: 1008, reason: "bad_token" });
    await until(() => test.relay.endpoints()[0]?.online === false, "offline");
  });

  it("an agent that opens a link after the relay closed is refused with shutting_down", async () => {
    const test = await startTestRelay();
    await test.relay.close();
    const late = await local(test);
    expect((await late.error).code).toBe("shutting_down");
    expect(await late.closed).toEqual({ code: 1001, reason: "shutting_down" });
  });

  it("a real agent on connectLocal comes back when its relay restarts on the same store", async () => {
    const test = await startTestRelay();
    const app = await startUpstreamApp((request, res) => {
      res.end(request.url);
    });
    let current: Relay = test.relay;
    let restarted: Relay | undefined;
    const agent = startAgent({
      connect: () => current.connectLocal(),
      token: test.secret,
      endpoint: "okta-dev",
      upstream: app.url,
      reconnect: { minDelayMs: 10, maxDelayMs: 50 },
    });
    try {
      await agent.ready();
      expect(agent.publicUrls).toEqual([`${test.relay.url}/okta-dev`]);
      const reasons: (string | null)[] = [];
      agent.on("state", (change) => {
        if (change.state === "offline") reasons.push(change.reason);
      });
      await test.relay.close();
      // While it is down, each attempt is refused with shutting_down and retried.
      await until(() => reasons.length >= 2, "two refused attempts");
      expect(new Set(reasons)).toEqual(
        new Set(["relay closed the connection: shutting_down (the relay is shutting down)"]),
      );
      restarted = await startRelay({ store: test.store, port: 0, host: "127.0.0.1" });
      current = restarted;
      await until(() => agent.state === "online", "online again");
      expect(agent.publicUrls).toEqual([`${restarted.url}/okta-dev`]);
      const res = await send(`${restarted.url}/okta-dev/back?x=1`);
      expect(res.body.toString()).toBe("/back?x=1");
    } finally {
      await agent.close();
      await restarted?.close();
      await app.close();
    }
  });
});
