import { afterEach, describe, expect, it } from "vitest";
import {
  createDeliveryEngine,
  type DeliveryAttemptRecord,
  type DeliveryEngine,
  type DeliveryEngineOptions,
  type DeliveryFailureCause,
  type DeliveryHook,
  type DeliverySettings,
  toSystemLogEvent,
} from "../../../src/emulator/index.js";
import { buildLogEvent, type DeliveryLogEvent } from "../../../src/okta/index.js";
import {
  type HookEndpoint,
  headerOf,
  manualNowClock,
  seededRandom,
  startHookEndpoint,
} from "../../helpers/emulator-delivery.js";
import { createDeferred } from "../../helpers/receiver-deferred.js";
import { closedPort, type RecordedRequest } from "../../helpers/upstream-app.js";

const ORG = "http://127.0.0.1:7070";
const HOOK_ID = "who8vt36qfNpCGz9H1e6";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function endpoint(handler?: Parameters<typeof startHookEndpoint>[0]): Promise<HookEndpoint> {
  const started = await startHookEndpoint(handler);
  closers.push(() => started.close());
  return started;
}

interface Harness {
  engine: DeliveryEngine;
  attempts: DeliveryAttemptRecord[];
  failures: { hook: DeliveryHook; events: DeliveryLogEvent[]; cause: DeliveryFailureCause }[];
}

function engineFor(
  settings: Partial<DeliverySettings>,
  extra: Partial<DeliveryEngineOptions> = {},
): Harness {
  const attempts: DeliveryAttemptRecord[] = [];
  const failures: Harness["failures"] = [];
  const engine = createDeliveryEngine({
    options: { orgUrl: ORG, batchWindowMs: 0, retryDelayMs: 0, ...settings },
    onAttempt: (record) => attempts.push(record),
    onFailure: (hook, events, cause) => failures.push({ hook, events, cause }),
    ...extra,
  });
  closers.push(() => engine.close());
  return { engine, attempts, failures };
}

function hookAt(uri: string, id = HOOK_ID): DeliveryHook {
  return {
    id,
    channel: {
      uri,
      authScheme: { type: "HEADER", key: "Authorization", value: "Basic YWRtaW46c2VjcmV0" },
      headers: [{ key: "X-Other-Header", value: "my-header-value" }],
    },
  };
}

function event(type = "user.lifecycle.create"): DeliveryLogEvent {
  return buildLogEvent(type);
}

describe("delivery engine", () => {
  it("delivers an event with Okta's headers and envelope, in delivery shape", async () => {
    const receiver = await endpoint();
    const { engine, attempts, failures } = engineFor({});
    const stored = toSystemLogEvent(event());
    expect(engine.enqueue(hookAt(`${receiver.url}/hooks/okta`), stored)).toEqual({
      accepted: true,
    });
    await engine.flush();

    const [request] = await receiver.waitForRequests(1);
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/hooks/okta");
    const names = request?.rawHeaders.filter((_h, i) => i % 2 === 0);
    expect(names).toEqual([
      "Host",
      "Accept",
      "Content-Type",
      "Authorization",
      "X-Other-Header",
      "User-Agent",
      "Connection",
      "Content-Length",
    ]);
    const req = request as RecordedRequest;
    expect(headerOf(req, "accept")).toBe("application/json");
    expect(headerOf(req, "content-type")).toBe("application/json");
    expect(headerOf(req, "authorization")).toBe("Basic YWRtaW46c2VjcmV0");
    expect(headerOf(req, "x-other-header")).toBe("my-header-value");
    expect(headerOf(req, "user-agent")).toBe(`Okta Hook Service v1.0.0 - ${HOOK_ID}`);
    expect(headerOf(req, "content-length")).toBe(String(req.body.byteLength));

    const body = req.body.toString();
    expect(body).toMatch(/^\{"eventType":"com\.okta\.event_hook","eventTypeVersion":"1\.0"/);
    const [delivery] = receiver.deliveries();
    expect(delivery?.source).toBe(`${ORG}/api/v1/eventHooks/${HOOK_ID}`);
    expect(delivery?.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    const [delivered] = delivery?.data.events ?? [];
    expect(delivered?.uuid).toBe(stored.uuid);
    expect(delivered?.client?.ipChain).toEqual(stored.request?.ipChain);
    expect(delivered?.client?.zone).toBe("null");
    expect(delivered).not.toHaveProperty("request");
    expect(delivered?.device).toBeNull();
    expect(delivered?.insertionTimestamp).toBeNull();
    expect(delivered?.debugContext?.debugData?.targetEventHookIds).toBe(HOOK_ID);

    expect(failures).toEqual([]);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      hookId: HOOK_ID,
      deliveryId: delivery?.eventId,
      eventIds: [stored.uuid],
      eventTypes: ["user.lifecycle.create"],
      attempt: 1,
      duplicate: false,
      status: 200,
      responseBody: "",
      outcome: "success",
      failure: null,
      willRetry: false,
    });
    expect(attempts[0]?.request.body).toBe(body);
    expect(attempts[0]?.responseHeaders?.map(([name]) => name)).toContain("Date");
    expect(engine.stats()).toMatchObject({ enqueued: 1, delivered: 1, failed: 0, attempts: 1 });
  });

  it("batches a hook's events that arrive within the window, in order, per hook", async () => {
    const receiver = await endpoint();
    const { engine } = engineFor({ batchWindowMs: 150 });
    const events = [event(), event("user.lifecycle.activate"), event("user.session.start")];
    const other = event();
    for (const e of events) engine.enqueue(hookAt(receiver.url), e);
    engine.enqueue(hookAt(receiver.url, "whoOtherHook000000001"), other);
    expect(engine.stats().batched).toBe(4);
    const requests = await receiver.waitForRequests(2);
    expect(requests).toHaveLength(2);
    const bySource = new Map(receiver.deliveries().map((d) => [d.source.split("/").at(-1), d]));
    expect(bySource.get(HOOK_ID)?.data.events.map((e) => e.uuid)).toEqual(
      events.map((e) => e.uuid),
    );
    expect(bySource.get("whoOtherHook000000001")?.data.events.map((e) => e.uuid)).toEqual([
      other.uuid,
    ]);
    await engine.flush();
    expect(engine.stats()).toMatchObject({ batched: 0, delivered: 4 });
  });

  it("sends a full batch at once and the rest on flush", async () => {
    const receiver = await endpoint();
    const { engine } = engineFor({ batchWindowMs: 60_000, maxBatchEvents: 2 });
    for (let i = 0; i < 5; i++) engine.enqueue(hookAt(receiver.url), event());
    await receiver.waitForRequests(2);
    expect(engine.stats().batched).toBe(1);
    await engine.flush();
    expect(receiver.deliveries().map((d) => d.data.events.length)).toEqual([2, 2, 1]);
  });

  it("retries a 5xx once and succeeds", async () => {
    let calls = 0;
    const receiver = await endpoint((_r, res) => {
      calls += 1;
      res.writeHead(calls === 1 ? 503 : 204).end(calls === 1 ? "busy" : "");
    });
    const { engine, attempts, failures } = engineFor({});
    engine.enqueue(hookAt(receiver.url), event());
    await engine.flush();
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome, a.willRetry])).toEqual([
      [1, 503, "failure", true],
      [2, 204, "success", false],
    ]);
    expect(attempts[0]?.responseBody).toBe("busy");
    expect(attempts[0]?.failure).toEqual({
      kind: "http_status",
      message: "the endpoint answered 503",
    });
    const [first, second] = receiver.deliveries();
    expect(second?.eventId).toBe(first?.eventId);
    expect(failures).toEqual([]);
    expect(engine.stats()).toMatchObject({ attempts: 2, retries: 1, delivered: 1, failed: 0 });
  });

  it("gives up after one retry of a 5xx and reports the failure", async () => {
    const receiver = await endpoint((_r, res) => {
      res.writeHead(500).end("boom");
    });
    const { engine, attempts, failures } = engineFor({});
    const e = event();
    engine.enqueue(hookAt(receiver.url), e);
    await engine.flush();
    expect(receiver.requests).toHaveLength(2);
    expect(attempts.map((a) => a.willRetry)).toEqual([true, false]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.hook.id).toBe(HOOK_ID);
    expect(failures[0]?.events.map((x) => x.uuid)).toEqual([e.uuid]);
    expect(failures[0]?.cause).toMatchObject({
      kind: "http_status",
      status: 500,
      attempts: 2,
      message: "the endpoint answered 500",
    });
    expect(engine.stats()).toMatchObject({ delivered: 0, failed: 1 });
  });

  it("does not retry a 4xx", async () => {
    const receiver = await endpoint((_r, res) => {
      res.writeHead(401).end();
    });
    const { engine, failures } = engineFor({});
    engine.enqueue(hookAt(receiver.url), event());
    await engine.flush();
    expect(receiver.requests).toHaveLength(1);
    expect(failures[0]?.cause).toMatchObject({ kind: "http_status", status: 401, attempts: 1 });
  });

  it("does not follow a redirect, nor retry it", async () => {
    const receiver = await endpoint((request, res) => {
      if (request.url === "/moved") res.writeHead(200).end();
      else res.writeHead(307, { Location: "/moved" }).end();
    });
    const { engine, failures } = engineFor({});
    engine.enqueue(hookAt(`${receiver.url}/hook`), event());
    await engine.flush();
    expect(receiver.requests.map((r) => r.url)).toEqual(["/hook"]);
    expect(failures[0]?.cause.message).toBe("the endpoint answered 307 (a redirect: not followed)");
  });

  it("retries a timeout once, then reports it", async () => {
    const receiver = await endpoint(() => {});
    const { engine, attempts, failures } = engineFor({ timeoutMs: 100 });
    engine.enqueue(hookAt(receiver.url), event());
    await engine.flush();
    expect(receiver.requests).toHaveLength(2);
    expect(attempts.map((a) => [a.status, a.failure?.kind])).toEqual([
      [null, "timeout"],
      [null, "timeout"],
    ]);
    expect(failures[0]?.cause.kind).toBe("timeout");
  });

  it("counts a receiver answering in 2.1 s as delivered (inside Okta's 3 s, past the idle-socket timer)", async () => {
    const receiver = await endpoint((_r, res) => {
      setTimeout(() => res.writeHead(200).end(), 2_100).unref();
    });
    const { engine, attempts, failures } = engineFor({});
    engine.enqueue(hookAt(receiver.url), event());
    engine.enqueue(hookAt(receiver.url), event());
    await engine.flush();
    expect(failures).toEqual([]);
    expect(attempts.map((a) => [a.status, a.outcome])).toEqual([
      [200, "success"],
      [200, "success"],
    ]);
    expect(attempts.every((a) => a.durationMs >= 2_099)).toBe(true);
  });

  it("retries a refused connection once, then reports it; other hooks are unaffected", async () => {
    const port = await closedPort();
    const receiver = await endpoint();
    const { engine, attempts, failures } = engineFor({});
    engine.enqueue(hookAt(`http://127.0.0.1:${port}/`, "whoDeadHook0000000001"), event());
    engine.enqueue(hookAt(receiver.url), event());
    await engine.flush();
    expect(attempts.filter((a) => a.hookId === "whoDeadHook0000000001")).toHaveLength(2);
    expect(failures.map((f) => [f.hook.id, f.cause.kind])).toEqual([
      ["whoDeadHook0000000001", "connection_refused"],
    ]);
    expect(receiver.requests).toHaveLength(1);
  });

  it("waits for the retry delay on its clock", async () => {
    let calls = 0;
    const receiver = await endpoint((_r, res) => {
      calls += 1;
      res.writeHead(calls === 1 ? 500 : 200).end();
    });
    const { engine, attempts } = engineFor({ retryDelayMs: 120 });
    engine.enqueue(hookAt(receiver.url), event());
    await engine.flush();
    const [first, second] = attempts;
    const gap = Date.parse(second?.sentAt ?? "") - Date.parse(first?.sentAt ?? "");
    // `sentAt` is whole milliseconds and a Node timer may fire up to 1 ms early: 2 ms of slack.
    // Without the delay the retry follows within a few milliseconds, far under this bound.
    expect(gap).toBeGreaterThanOrEqual(118);
  });

  it("keeps at most maxInFlightPerHook requests in flight, the rest wait in order", async () => {
    const gate = createDeferred<void>();
    const receiver = await endpoint((_r, res) => {
      void gate.promise.then(() => res.writeHead(200).end());
    });
    const { engine } = engineFor({ maxInFlightPerHook: 1 });
    const events = [event(), event(), event()];
    for (const e of events) engine.enqueue(hookAt(receiver.url), e);
    await receiver.waitForRequests(1);
    expect(engine.stats()).toMatchObject({ inFlight: 1, waiting: 2 });
    gate.resolve();
    await engine.flush();
    expect(receiver.deliveries().map((d) => d.data.events[0]?.uuid)).toEqual(
      events.map((e) => e.uuid),
    );
  });

  it("runs many requests in flight without a listener-leak warning", async () => {
    const all = createDeferred<void>();
    const receiver = await endpoint((_r, res) => {
      void all.promise.then(() => res.writeHead(200).end());
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on("warning", onWarning);
    closers.push(async () => {
      process.off("warning", onWarning);
    });
    const { engine } = engineFor({ maxInFlightPerHook: 30 });
    for (let i = 0; i < 30; i++) engine.enqueue(hookAt(receiver.url), event());
    await receiver.waitForRequests(30);
    expect(engine.stats().inFlight).toBe(30);
    all.resolve();
    await engine.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
    expect(engine.stats().delivered).toBe(30);
  });

  describe("daily quota", () => {
    it("warns at the threshold, refuses beyond the quota, and resets 24 h after the first event", async () => {
      const receiver = await endpoint();
      const clock = manualNowClock(Date.parse("2025-01-01T00:00:00Z"));
      const warnings: number[] = [];
      const exceeded: number[] = [];
      const { engine } = engineFor(
        { dailyQuota: 3, quotaWarningAt: 2 },
        {
          clock,
          onQuotaWarning: (usage) => warnings.push(usage.used),
          onQuotaExceeded: (usage) => exceeded.push(usage.used),
        },
      );
      const hook = hookAt(receiver.url);
      expect(engine.enqueue(hook, event())).toEqual({ accepted: true });
      expect(warnings).toEqual([]);
      expect(engine.enqueue(hook, event())).toEqual({ accepted: true });
      expect(warnings).toEqual([2]);
      expect(engine.enqueue(hook, event())).toEqual({ accepted: true });
      clock.set(Date.parse("2025-01-01T23:59:59Z"));
      expect(engine.enqueue(hook, event())).toEqual({
        accepted: false,
        reason: "quota_exceeded",
      });
      expect(engine.enqueue(hook, event())).toMatchObject({ accepted: false });
      expect(exceeded).toEqual([3]);
      expect(engine.stats().quota).toMatchObject({
        used: 3,
        limit: 3,
        warningAt: 2,
        refused: 2,
        resetsAt: Date.parse("2025-01-02T00:00:00Z"),
      });
      clock.set(Date.parse("2025-01-02T00:00:00Z"));
      expect(engine.enqueue(hook, event())).toEqual({ accepted: true });
      await engine.flush();
      expect(receiver.requests).toHaveLength(4);
      expect(engine.stats()).toMatchObject({ enqueued: 4, refused: 2 });
    });

    it("does not count retries", async () => {
      const receiver = await endpoint((_r, res) => {
        res.writeHead(500).end();
      });
      const { engine } = engineFor({ dailyQuota: 1 });
      engine.enqueue(hookAt(receiver.url), event());
      await engine.flush();
      expect(receiver.requests).toHaveLength(2);
      expect(engine.stats().quota.used).toBe(1);
    });

    it("defaults to Okta's 400,000 with the warning at 280,000", () => {
      const { engine } = engineFor({});
      expect(engine.stats().quota).toMatchObject({ limit: 400_000, warningAt: 280_000, used: 0 });
    });
  });

  describe("chaos", () => {
    it("duplicates a delivery with the same envelope", async () => {
      const receiver = await endpoint();
      const { engine, attempts } = engineFor({ chaos: { duplicateRate: 1 } });
      engine.enqueue(hookAt(receiver.url), event());
      await engine.flush();
      const [a, b] = receiver.deliveries();
      expect(receiver.requests).toHaveLength(2);
      expect(b?.eventId).toBe(a?.eventId);
      expect(receiver.requests[1]?.body.equals(receiver.requests[0]?.body as Buffer)).toBe(true);
      expect(attempts.map((x) => x.duplicate).sort()).toEqual([false, true]);
      expect(engine.stats()).toMatchObject({ duplicates: 1, delivered: 1, enqueued: 1 });
    });

    it("duplicates the events in a new envelope when asked", async () => {
      const receiver = await endpoint();
      const { engine } = engineFor({ chaos: { duplicateRate: 1, duplicateEnvelope: "new" } });
      engine.enqueue(hookAt(receiver.url), event());
      await engine.flush();
      const [a, b] = receiver.deliveries();
      expect(b?.eventId).not.toBe(a?.eventId);
      expect(b?.data.events[0]?.uuid).toBe(a?.data.events[0]?.uuid);
    });

    it("never duplicates at rate 0 and follows the rate with a seeded source", async () => {
      const receiver = await endpoint();
      const { engine } = engineFor({ chaos: { duplicateRate: 0.5 } }, { random: seededRandom(7) });
      for (let i = 0; i < 40; i++) engine.enqueue(hookAt(receiver.url), event());
      await engine.flush();
      const { duplicates } = engine.stats();
      expect(duplicates).toBeGreaterThan(8);
      expect(duplicates).toBeLessThan(32);
      expect(receiver.requests).toHaveLength(40 + duplicates);
    });

    it("reorders deliveries held in the window, and the events inside a batch", async () => {
      const receiver = await endpoint();
      const { engine } = engineFor(
        { maxInFlightPerHook: 1, chaos: { reorder: 60_000 } },
        { random: seededRandom(3) },
      );
      const events = Array.from({ length: 8 }, () => event());
      for (const e of events) engine.enqueue(hookAt(receiver.url), e);
      expect(receiver.requests).toHaveLength(0);
      expect(engine.stats().waiting).toBe(8);
      await engine.flush();
      const arrived = receiver.deliveries().map((d) => d.data.events[0]?.uuid);
      const sent = events.map((e) => e.uuid);
      expect([...arrived].sort()).toEqual([...sent].sort());
      expect(arrived).not.toEqual(sent);

      const batched = engineFor(
        { batchWindowMs: 60_000, chaos: { reorder: 1 } },
        { random: seededRandom(5) },
      ).engine;
      for (const e of events) batched.enqueue(hookAt(receiver.url), e);
      await batched.flush();
      const inBatch =
        receiver
          .deliveries()
          .at(-1)
          ?.data.events.map((e) => e.uuid) ?? [];
      expect([...inBatch].sort()).toEqual([...sent].sort());
      expect(inBatch).not.toEqual(sent);
    });

    it("delays each delivery by at least the minimum (the maximum bounds a random draw)", async () => {
      const receiver = await endpoint();
      const { engine, attempts } = engineFor({ chaos: { delayMs: [80, 120] } });
      const enqueuedAt = Date.now();
      engine.enqueue(hookAt(receiver.url), event());
      expect(engine.stats().waiting).toBe(1);
      await engine.flush();
      const sentAt = Date.parse(attempts[0]?.sentAt ?? "");
      expect(sentAt - enqueuedAt).toBeGreaterThanOrEqual(79);
      expect(receiver.requests).toHaveLength(1);
    });
  });

  describe("deliverNow", () => {
    it("sends at once, bypassing the batch window, and returns the response", async () => {
      const receiver = await endpoint((_r, res) => {
        res.writeHead(200).end("seen");
      });
      const { engine } = engineFor({ batchWindowMs: 60_000 });
      const result = await engine.deliverNow(hookAt(receiver.url), [event(), event()]);
      expect(result.ok).toBe(true);
      expect(result.attempts).toHaveLength(1);
      expect(result.attempts[0]?.responseBody).toBe("seen");
      expect(receiver.deliveries()[0]?.data.events).toHaveLength(2);
    });

    it("makes a single attempt with retries: 0", async () => {
      const receiver = await endpoint((_r, res) => {
        res.writeHead(502).end();
      });
      const { engine, failures } = engineFor({});
      const result = await engine.deliverNow(hookAt(receiver.url), [event()], { retries: 0 });
      expect(result).toMatchObject({ ok: false, cause: { kind: "http_status", status: 502 } });
      expect(receiver.requests).toHaveLength(1);
      expect(failures).toHaveLength(0);
    });
  });

  describe("close", () => {
    it("aborts requests in flight, drops open batches and refuses new events", async () => {
      const receiver = await endpoint(() => {});
      const { engine, attempts } = engineFor({ timeoutMs: 60_000 });
      engine.enqueue(hookAt(receiver.url), event());
      await receiver.waitForRequests(1);
      const batching = engineFor({ batchWindowMs: 60_000 }).engine;
      batching.enqueue(hookAt(receiver.url), event());
      const started = Date.now();
      await Promise.all([engine.close(), batching.close()]);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(attempts).toEqual([]);
      expect(receiver.requests).toHaveLength(1);
      expect(engine.enqueue(hookAt(receiver.url), event())).toEqual({
        accepted: false,
        reason: "closed",
      });
      await expect(engine.flush()).resolves.toBeUndefined();
      await expect(engine.deliverNow(hookAt(receiver.url), [event()])).resolves.toMatchObject({
        ok: false,
        cause: { kind: "aborted" },
      });
    });
  });

  describe("bad input", () => {
    it("refuses bad settings, naming the field", () => {
      const make = (options: Partial<DeliverySettings>) => () =>
        createDeliveryEngine({ options: { orgUrl: ORG, ...options } });
      expect(make({ orgUrl: "not a url" })).toThrow(/orgUrl/);
      expect(make({ batchWindowMs: -1 })).toThrow(/batchWindowMs/);
      expect(make({ maxBatchEvents: 0 })).toThrow(/maxBatchEvents/);
      expect(make({ retries: 1.5 })).toThrow(/retries/);
      expect(make({ timeoutMs: 0 })).toThrow(/timeoutMs/);
      expect(make({ dailyQuota: -3 })).toThrow(/dailyQuota/);
      expect(make({ chaos: { duplicateRate: 2 } })).toThrow(/duplicateRate/);
      expect(make({ chaos: { delayMs: [10, 5] } })).toThrow(/delayMs/);
      expect(make({ chaos: { reorder: -1 } })).toThrow(/reorder/);
    });

    it("refuses a bad hook or event and changes nothing", async () => {
      const receiver = await endpoint();
      const { engine } = engineFor({});
      expect(() =>
        engine.enqueue({ id: "bad id!", channel: { uri: receiver.url } }, event()),
      ).toThrow(/hook\.id/);
      expect(() => engine.enqueue({ id: HOOK_ID } as DeliveryHook, event())).toThrow(
        /channel\.uri/,
      );
      expect(() =>
        engine.enqueue(hookAt(receiver.url), { eventType: "x.y" } as unknown as DeliveryLogEvent),
      ).toThrow(/uuid/);
      await expect(engine.deliverNow(hookAt(receiver.url), [])).rejects.toThrow(/non-empty/);
      await engine.flush();
      expect(engine.stats()).toMatchObject({ enqueued: 0, refused: 0, quota: { used: 0 } });
      expect(receiver.requests).toHaveLength(0);
    });

    it("survives a throwing onAttempt and logs it", async () => {
      const receiver = await endpoint();
      const errors: string[] = [];
      const engine = createDeliveryEngine({
        options: { orgUrl: ORG, batchWindowMs: 0 },
        onAttempt: () => {
          throw new Error("store is full");
        },
        logger: {
          debug() {},
          info() {},
          warn() {},
          error: (message) => errors.push(message),
        },
      });
      closers.push(() => engine.close());
      engine.enqueue(hookAt(receiver.url), event());
      engine.enqueue(hookAt(receiver.url), event());
      await engine.flush();
      expect(receiver.requests).toHaveLength(2);
      expect(errors).toEqual([
        "delivery engine: onAttempt threw",
        "delivery engine: onAttempt threw",
      ]);
      expect(engine.stats().delivered).toBe(2);
    });

    it("logs a receiver that answers garbage or closes the socket as failed deliveries", async () => {
      const { createServer } = await import("node:net");
      const server = createServer((socket) => {
        socket.on("error", () => {});
        socket.once("data", () => socket.end("nonsense\r\n\r\n"));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const address = server.address() as { port: number };
      const { engine, failures } = engineFor({});
      engine.enqueue(hookAt(`http://127.0.0.1:${address.port}/`), event());
      await engine.flush();
      expect(failures.map((f) => [f.cause.kind, f.cause.attempts])).toEqual([
        ["invalid_response", 2],
      ]);
    });
  });
});
