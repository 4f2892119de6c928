/**
 * The durable queue on a real relay: requests answered and stored while the agent is away,
 * delivered in arrival order when it connects, retried with backoff, expired after their TTL,
 * deleted once delivered and kept long enough, retried or dropped by another process while the
 * relay runs, and the "always" and "never" policies.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EdgePolicy, IncomingRequestStream } from "../../../src/protocol/index.js";
import { openSqliteRelayStore, type RelayStore } from "../../../src/relay/index.js";
import { createDeferred } from "../../helpers/receiver-deferred.js";
import {
  closeFakeAgents,
  connectFakeAgent,
  recordingAgent,
  recordingApp,
} from "../../helpers/relay-fake-agent.js";
import {
  closeTestRelays,
  send,
  startTestRelay,
  type TestRelay,
  until,
} from "../../helpers/relay-harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await closeFakeAgents();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await closeTestRelays();
});

/** A relay where `okta-dev` is reserved (and has `policy`, if given) but no agent is online. */
async function offlineEndpoint(
  policy: Partial<EdgePolicy> | null = null,
  options: Parameters<typeof startTestRelay>[0] = {},
): Promise<TestRelay> {
  const test = await startTestRelay(options);
  await test.store.reserveEndpoint("okta-dev", test.tokenId);
  if (policy !== null) {
    await test.store.setEndpointPolicy("okta-dev", {
      oktaChallenge: "app",
      requireHeader: null,
      maxBodyBytes: 1024 * 1024,
      queue: "offline",
      ...policy,
    });
  }
  return test;
}

/**
 * {@link offlineEndpoint} over a database file, with a second handle on it (`cli`), as
 * `hooktap relay queue` in another process has.
 */
async function withFileStore(options: Parameters<typeof startTestRelay>[0] = {}) {
  const dir = await mkdtemp(join(tmpdir(), "hooktap-queue-"));
  const path = join(dir, "relay.db");
  const test = await offlineEndpoint(null, { ...options, store: await openSqliteRelayStore(path) });
  const cli = await openSqliteRelayStore(path);
  cleanups.push(async () => {
    await cli.close();
    await test.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { test, cli };
}

describe("relay: durable queue", () => {
  it("answers 200 while the agent is away, then delivers byte-exact when it connects", async () => {
    const test = await offlineEndpoint();
    const body = Buffer.from('{"data":{"events":[{"eventType":"user.lifecycle.create"}]}}');
    const headers: [string, string][] = [
      ["Host", "relay.example"],
      ["Content-Type", "application/json"],
      ["X-Dup", "1"],
      ["x-dup", "2"],
    ];
    const res = await send(`${test.relay.url}/okta-dev/userCreated?x=1`, {
      method: "POST",
      headers,
      body,
    });
    expect(res.status).toBe(200);
    expect(res.body.byteLength).toBe(0);
    const queueId = res.headers["hooktap-queue-id"];
    expect(queueId).toMatch(/^req_/);
    await until(() => test.relay.endpoints()[0]?.queued === 1, "queued count 1");
    expect(test.relay.endpoints()).toEqual([{ name: "okta-dev", online: false, queued: 1 }]);

    const app = recordingApp(() => ({ status: 204 }));
    const agent = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      onRequest: app.handler,
    });
    await agent.welcome;
    const [delivered] = await app.count(1);
    expect(delivered?.head).toMatchObject({
      origin: "queued",
      queueId,
      attempt: 1,
      method: "POST",
      target: "/userCreated?x=1",
      // Node's client adds Connection: close (agent: false); the relay keeps it as it came.
      rawHeaders: [
        ...headers,
        ["Content-Length", String(body.byteLength)],
        ["Connection", "close"],
      ],
    });
    expect(delivered?.body.equals(body)).toBe(true);
    await until(
      async () => (await test.store.get(String(queueId)))?.state === "delivered",
      "delivered",
    );
    expect(await test.store.get(String(queueId))).toMatchObject({ lastStatus: 204, attempts: 1 });
    await until(() => test.relay.endpoints()[0]?.queued === 0, "queue drained");
    expect(test.relay.endpoints()).toEqual([{ name: "okta-dev", online: true, queued: 0 }]);
  });

  it("delivers many queued requests strictly in arrival order", async () => {
    const test = await offlineEndpoint();
    for (let i = 0; i < 25; i++) {
      expect(
        (await send(`${test.relay.url}/okta-dev/e/${i}`, { method: "POST", body: `${i}` })).status,
      ).toBe(200);
    }
    const { app } = await recordingAgent(test.relay.agentUrl, test.secret);
    const delivered = await app.count(25);
    expect(delivered.map((r) => r.body.toString())).toEqual(
      Array.from({ length: 25 }, (_, i) => `${i}`),
    );
  });

  it("retries non-2xx answers with backoff, holding later requests back, until a 2xx", async () => {
    const delays: number[] = [];
    const test = await offlineEndpoint(null, {
      retryDelayMs: (attempt) => {
        delays.push(attempt);
        return 5;
      },
    });
    await send(`${test.relay.url}/okta-dev/first`, { method: "POST", body: "1" });
    await send(`${test.relay.url}/okta-dev/second`, { method: "POST", body: "2" });
    const app = recordingApp((_, index) => ({ status: index < 2 ? 500 : 200 }));
    await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      onRequest: app.handler,
    });
    const seen = await app.count(4);
    expect(
      seen.map((r) => [r.head.target, r.head.origin === "queued" ? r.head.attempt : 0]),
    ).toEqual([
      ["/first", 1],
      ["/first", 2],
      ["/first", 3],
      ["/second", 1],
    ]);
    expect(delays).toEqual([1, 2]);
    const [first] = await test.store.history("okta-dev", { limit: 2 }).then((h) => h.reverse());
    await until(async () => (await test.store.countPending("okta-dev")) === 0, "all delivered");
    expect(await test.store.get(first?.id ?? "")).toMatchObject({
      state: "delivered",
      attempts: 3,
      lastStatus: 200,
    });
  });

  it("counts a delivery the agent does not answer in time as a failed attempt", async () => {
    const test = await offlineEndpoint(null, { deliveryTimeoutMs: 50, retryDelayMs: () => 1 });
    const res = await send(`${test.relay.url}/okta-dev/x`, { method: "POST", body: "{}" });
    let calls = 0;
    const app = recordingApp();
    await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      onRequest: (stream) => {
        calls++;
        // The first delivery gets no answer at all.
        if (calls > 1) return app.handler(stream);
      },
    });
    await app.count(1);
    const id = String(res.headers["hooktap-queue-id"]);
    await until(async () => (await test.store.get(id))?.state === "delivered", "delivered");
    const item = await test.store.get(id);
    expect(item?.attempts).toBe(2);
  });

  it("delivers a request whose window runs out while the app is answering it", async () => {
    const clock = { now: 1_750_000_000_000 };
    const test = await offlineEndpoint(null, { now: () => clock.now, queueTtlMs: 60_000 });
    const res = await send(`${test.relay.url}/okta-dev/slow`, { method: "POST", body: "{}" });
    const id = String(res.headers["hooktap-queue-id"]);
    const inFlight = createDeferred<IncomingRequestStream>();
    await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      onRequest: (stream) => {
        stream.body.resume();
        inFlight.resolve(stream);
      },
    });
    const stream = await inFlight.promise;
    // Its window runs out during the attempt; a sweep (this relay's, or another relay's sharing
    // the database) fails it.
    clock.now += 60_000;
    expect(await test.store.expire(clock.now)).toBe(1);
    expect((await test.store.get(id))?.state).toBe("failed");
    stream.respond(200, []).end();
    await until(async () => (await test.store.get(id))?.state === "delivered", "delivered");
    expect(await test.store.get(id)).toMatchObject({
      state: "delivered",
      failedAt: null,
      lastError: null,
      lastStatus: 200,
      attempts: 1,
    });
  });

  it("marks requests past their TTL failed instead of delivering them", async () => {
    const clock = { now: 1_750_000_000_000 };
    const test = await offlineEndpoint(null, { now: () => clock.now, queueTtlMs: 60_000 });
    const res = await send(`${test.relay.url}/okta-dev/old`, { method: "POST", body: "{}" });
    clock.now += 60_000;
    const { app, agent } = await recordingAgent(test.relay.agentUrl, test.secret);
    await agent.welcome;
    const id = String(res.headers["hooktap-queue-id"]);
    await until(async () => (await test.store.get(id))?.state === "failed", "expired");
    expect((await test.store.get(id))?.lastError).toMatch(/^expired after 0 attempt/);
    const fresh = await send(`${test.relay.url}/okta-dev/new`, { method: "POST", body: "{}" });
    expect(fresh.status).toBe(200);
    expect((await app.count(1)).map((r) => r.head.target)).toEqual(["/new"]);
  });

  it("deletes delivered requests on its sweep once kept for keepDeliveredMs, never failed or pending ones", async () => {
    const clock = { now: 1_750_000_000_000 };
    const sqlite = await openSqliteRelayStore(":memory:");
    const sweptBefore: number[] = [];
    const store: RelayStore = {
      ...sqlite,
      pruneDelivered(before) {
        sweptBefore.push(before);
        return sqlite.pruneDelivered(before);
      },
    };
    // 1 s also makes the sweep run every second (its floor).
    const test = await offlineEndpoint(null, {
      store,
      now: () => clock.now,
      keepDeliveredMs: 1000,
    });
    await store.reserveEndpoint("elsewhere", test.tokenId);
    const waiting = (target: string) => ({
      endpoint: "elsewhere",
      method: "POST",
      target,
      httpVersion: "1.1",
      rawHeaders: [],
      body: new Uint8Array(0),
      remoteAddress: "203.0.113.7",
      receivedAt: clock.now - 3_600_000,
    });
    const failed = await store.enqueue(waiting("/failed"));
    await store.markFailed(failed.id, "app answered 410 Gone", clock.now - 3_000_000);
    const pending = await store.enqueue(waiting("/pending"));
    const res = await send(`${test.relay.url}/okta-dev/done`, { method: "POST", body: "{}" });
    const id = String(res.headers["hooktap-queue-id"]);
    await recordingAgent(test.relay.agentUrl, test.secret);
    await until(async () => (await store.get(id))?.state === "delivered", "delivered");
    expect((await store.get(id))?.deliveredAt).toBe(clock.now);

    // A sweep that comes before the request is old enough leaves it.
    const sweeps = sweptBefore.length;
    await until(() => sweptBefore.length > sweeps, "a sweep");
    expect(sweptBefore.at(-1)).toBe(clock.now - 1000);
    expect((await store.get(id))?.state).toBe("delivered");

    clock.now += 1001;
    await until(async () => (await store.get(id)) === null, "the delivered request deleted");
    expect(test.logs).toContainEqual(
      expect.objectContaining({
        level: "info",
        message: "delivered requests deleted: their keep time is over",
        fields: { count: 1 },
      }),
    );
    expect((await store.listRequests()).map((r) => [r.id, r.state])).toEqual([
      [pending.id, "pending"],
      [failed.id, "failed"],
    ]);
  });

  it("with queue always, answers for the online app, reports it, then delivers it", async () => {
    const test = await startTestRelay();
    const app = recordingApp(() => ({ status: 500 }));
    const agent = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      policy: { queue: "always" },
      onRequest: app.handler,
    });
    await agent.welcome;
    const res = await send(`${test.relay.url}/okta-dev/x`, { method: "POST", body: "{}" });
    expect(res.status).toBe(200);
    const report = await agent.edge(1);
    expect(report).toMatchObject({
      reason: "queued",
      queueId: res.headers["hooktap-queue-id"],
      response: { status: 200 },
    });
    expect(Buffer.from(report.request.body.base64, "base64").toString()).toBe("{}");
    const [delivery] = await app.count(1);
    expect(delivery?.head).toMatchObject({
      origin: "queued",
      queueId: res.headers["hooktap-queue-id"],
    });
    // A challenge left to the app still goes live: only the app can answer it.
    const challenge = await send(`${test.relay.url}/okta-dev/x`, {
      headers: [["x-okta-verification-challenge", "c"]],
    });
    expect(challenge.status).toBe(500);
    expect((await app.count(2))[1]?.head.origin).toBe("live");
  });

  it("answers a challenge while offline: at the edge when allowed, else 503 agent_offline", async () => {
    const test = await offlineEndpoint();
    const headers: [string, string][] = [["x-okta-verification-challenge", "v"]];
    const refused = await send(`${test.relay.url}/okta-dev/hook`, { headers });
    expect(refused.status).toBe(503);
    expect(refused.headers["hooktap-error-code"]).toBe("agent_offline");
    expect(await test.store.countPending("okta-dev")).toBe(0);
    await test.store.setEndpointPolicy("okta-dev", {
      oktaChallenge: "edge",
      requireHeader: null,
      maxBodyBytes: 100,
      queue: "offline",
    });
    const answered = await send(`${test.relay.url}/okta-dev/hook`, { headers });
    expect(answered.json()).toEqual({ verification: "v" });
  });

  it("answers 502 agent_offline when the endpoint never queues", async () => {
    const test = await offlineEndpoint({ queue: "never" });
    const res = await send(`${test.relay.url}/okta-dev/x`, { method: "POST", body: "{}" });
    expect(res.status).toBe(502);
    expect(res.headers["hooktap-error-code"]).toBe("agent_offline");
    expect(await test.store.countPending("okta-dev")).toBe(0);
  });

  it("answers 413 for a queued body over the limit, storing nothing", async () => {
    const test = await offlineEndpoint({ maxBodyBytes: 100 });
    const res = await send(`${test.relay.url}/okta-dev/x`, {
      method: "POST",
      headers: [["Transfer-Encoding", "chunked"]],
      body: "x".repeat(101),
    });
    expect(res.status).toBe(413);
    expect(res.headers["hooktap-error-code"]).toBe("body_too_large");
    expect(await test.store.countPending("okta-dev")).toBe(0);
  });

  it("answers 404 for an endpoint nobody reserved, storing nothing", async () => {
    const test = await startTestRelay();
    const res = await send(`${test.relay.url}/nobody/x`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(res.headers["hooktap-error-code"]).toBe("unknown_endpoint");
    expect(res.json()).toEqual({
      error: "unknown_endpoint",
      message: "no endpoint nobody on this relay",
    });
  });

  it("delivers a failed request another process retries while the agent is online", async () => {
    const { test, cli } = await withFileStore({ storeWatchMs: 50 });
    const res = await send(`${test.relay.url}/okta-dev/late`, { method: "POST", body: "{}" });
    const id = String(res.headers["hooktap-queue-id"]);
    await test.store.markFailed(id, "given up", Date.now());
    const { app, agent } = await recordingAgent(test.relay.agentUrl, test.secret);
    await agent.welcome;
    await until(() => test.relay.endpoints()[0]?.online === true, "online");
    await cli.retryRequests({ ids: [id] });
    const [delivered] = await app.count(1);
    expect(delivered?.head).toMatchObject({ origin: "queued", queueId: id, attempt: 1 });
    await until(async () => (await test.store.get(id))?.state === "delivered", "delivered");
  });

  it("goes on with the next request when another process drops the one being delivered", async () => {
    const { test, cli } = await withFileStore({ retryDelayMs: () => 5 });
    const poison = await send(`${test.relay.url}/okta-dev/poison`, { method: "POST", body: "1" });
    await send(`${test.relay.url}/okta-dev/next`, { method: "POST", body: "2" });
    const poisonId = String(poison.headers["hooktap-queue-id"]);
    const app = recordingApp((request) => ({
      status: request.head.target === "/poison" ? 500 : 200,
    }));
    await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      onRequest: async (stream) => {
        // The operator drops the request while its second attempt is in flight.
        if (stream.head.origin === "queued" && stream.head.attempt === 2) {
          await cli.dropRequests({ ids: [poisonId] });
        }
        await app.handler(stream);
      },
    });
    const seen = await app.count(3);
    expect(seen.map((r) => r.head.target)).toEqual(["/poison", "/poison", "/next"]);
    expect(await test.store.get(poisonId)).toBeNull();
    expect(test.logs).toContainEqual(
      expect.objectContaining({
        message: "queued request dropped during its delivery",
        fields: { endpoint: "okta-dev", id: poisonId },
      }),
    );
  });

  it("picks up where it stopped when the agent reconnects", async () => {
    const test = await offlineEndpoint(null, { retryDelayMs: () => 1 });
    for (const n of [1, 2, 3])
      await send(`${test.relay.url}/okta-dev/${n}`, { method: "POST", body: "{}" });
    let first: Awaited<ReturnType<typeof connectFakeAgent>> | undefined;
    first = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      onRequest: (stream) => {
        stream.body.resume();
        if (stream.head.target === "/2") {
          first?.ws.terminate();
          return;
        }
        stream.respond(200, []).end();
      },
    });
    await first.closed;
    const { app } = await recordingAgent(test.relay.agentUrl, test.secret);
    expect((await app.count(2)).map((r) => r.head.target)).toEqual(["/2", "/3"]);
    await until(async () => (await test.store.countPending("okta-dev")) === 0, "drained");
  });
});
