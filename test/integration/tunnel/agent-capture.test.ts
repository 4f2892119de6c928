/**
 * What the agent writes to the capture store: one row per exchange, with origin live, queued,
 * edge or blocked; inserted once when it is over, or, when still in flight after
 * IN_FLIGHT_VISIBLE_MS, inserted as it stands and completed at the end.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Agent, type AgentExchange, startAgent } from "../../../src/agent/index.js";
import {
  type CaptureEvent,
  type CaptureStore,
  createMemoryCaptureStore,
  openSqliteCaptureStore,
} from "../../../src/capture/index.js";
import type { EdgeReport } from "../../../src/protocol/index.js";
import { FakeRelay } from "../../helpers/agent-fake-relay.js";
import { createDeferred } from "../../helpers/receiver-deferred.js";
import { startUpstreamApp, type UpstreamApp } from "../../helpers/upstream-app.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(capture: CaptureStore, app?: UpstreamApp) {
  const upstream =
    app ??
    (await startUpstreamApp((request, res) => {
      res
        .writeHead(201, [["X-App", "yes"]].flat())
        .end(Buffer.concat([request.body, Buffer.from("!")]));
    }));
  cleanups.push(() => upstream.close());
  const relay = await FakeRelay.start();
  cleanups.push(() => relay.close());
  const agent = startAgent({
    relayUrl: relay.agentUrl,
    token: "t",
    endpoint: "hooks",
    upstream: upstream.url,
    capture,
    captureBodyLimitBytes: 1000,
  });
  cleanups.push(() => agent.close());
  await agent.ready();
  return { relay, agent, upstream };
}

function nextExchange(agent: Agent): Promise<AgentExchange> {
  return new Promise((resolve) => {
    const listener = (exchange: AgentExchange): void => {
      agent.off("exchange", listener);
      resolve(exchange);
    };
    agent.on("exchange", listener);
  });
}

function edgeReport(reason: EdgeReport["reason"], status: number, queueId?: string): EdgeReport {
  const body = Buffer.from('{"eventType":"x"}');
  return {
    reason,
    ...(queueId === undefined ? {} : { queueId }),
    receivedAt: 1_717_000_000_000,
    durationMs: 3,
    request: {
      method: "POST",
      target: "/userCreated",
      httpVersion: "1.1",
      rawHeaders: [["Authorization", "wrong"]],
      remoteAddress: "198.51.100.4",
      scheme: "https",
      body: { base64: body.subarray(0, 5).toString("base64"), truncated: true, size: body.length },
    },
    response: {
      status,
      rawHeaders: [["Content-Type", "application/json"]],
      body: { base64: Buffer.from("{}").toString("base64"), truncated: false, size: 2 },
    },
  };
}

/** The next event of `type` from the store. */
function nextEvent(capture: CaptureStore, type: "insert" | "update"): Promise<unknown> {
  return new Promise((resolve) => {
    const off = capture.subscribe((event) => {
      if (event.type !== type) return;
      off();
      resolve(event.exchange);
    });
  });
}

describe("agent capture", () => {
  it("a slow live exchange is inserted while in flight and completed at its end, in SQLite", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hooktap-agent-capture-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const capture = openSqliteCaptureStore(join(dir, "capture.db"));
    cleanups.push(() => capture.close());
    const gate = createDeferred<void>();
    const app = await startUpstreamApp(async (request, res) => {
      await gate.promise;
      res.writeHead(200).end(request.body);
    });
    const { relay, agent } = await setup(capture, app);
    const body = randomBytes(5000);
    const arrived = app.nextRequest();
    const response = relay.request(
      {
        target: "/userCreated?x=1",
        rawHeaders: [
          ["Host", "relay.example"],
          ["X-A", "1"],
        ],
      },
      body,
    );
    await arrived;
    const inserted = await nextEvent(capture, "insert");
    const [inFlight] = capture.list().items;
    expect(inserted).toEqual(inFlight);
    expect(inFlight).toMatchObject({
      endpoint: "hooks",
      origin: "live",
      remoteAddress: "203.0.113.7",
      response: null,
      request: { method: "POST", target: "/userCreated?x=1" },
    });
    expect(inFlight?.timing.doneAt).toBeNull();
    const done = nextExchange(agent);
    gate.resolve();
    await response;
    const summary = await done;
    const row = capture.get(summary.id);
    expect(row?.request.rawHeaders).toEqual([
      ["Host", "relay.example"],
      ["X-A", "1"],
    ]);
    expect(row?.request.body).toMatchObject({ size: 5000, truncated: true });
    expect(Buffer.compare(Buffer.from(row?.request.body.bytes ?? []), body.subarray(0, 1000))).toBe(
      0,
    );
    expect(row?.response).toMatchObject({ status: 200, statusMessage: "OK", body: { size: 5000 } });
    expect(row?.error).toBeNull();
    const { forwardedAt, firstByteAt, doneAt } = row?.timing ?? {};
    expect(forwardedAt).not.toBeNull();
    expect(firstByteAt).toBeGreaterThanOrEqual(forwardedAt ?? 0);
    expect(doneAt).toBeGreaterThanOrEqual(firstByteAt ?? 0);
    expect(summary).toMatchObject({ origin: "live", method: "POST", status: 200, error: null });
  });

  it("a fast live exchange is written once, complete", async () => {
    const capture = createMemoryCaptureStore();
    cleanups.push(() => capture.close());
    const events: CaptureEvent[] = [];
    capture.subscribe((event) => events.push(event));
    const { relay, agent } = await setup(capture);
    const done = nextExchange(agent);
    const res = await relay.request({ target: "/fast" }, Buffer.from("hi"));
    expect(res.body.toString()).toBe("hi!");
    const summary = await done;
    expect(events.map((e) => e.type)).toEqual(["insert"]);
    expect(events[0]).toMatchObject({
      type: "insert",
      exchange: { id: summary.id, response: { status: 201 }, request: { target: "/fast" } },
    });
  });

  it("a queued delivery is recorded with origin queued and its queueId", async () => {
    const capture = createMemoryCaptureStore();
    cleanups.push(() => capture.close());
    const { relay, agent } = await setup(capture);
    const done = nextExchange(agent);
    const res = await relay.request(
      { origin: "queued", queueId: "q_42", attempt: 2 },
      Buffer.from("hi"),
    );
    expect(res.body.toString()).toBe("hi!");
    const summary = await done;
    expect(summary).toMatchObject({ origin: "queued", queueId: "q_42", status: 201 });
    expect(capture.get(summary.id)).toMatchObject({ origin: "queued", queueId: "q_42" });
  });

  it.each([
    ["challenge", "edge", 200],
    ["queued", "edge", 200],
    ["unauthorized", "blocked", 401],
    ["too_large", "blocked", 413],
    ["offline", "blocked", 503],
  ] as const)(
    "an edge report '%s' becomes an exchange with origin %s",
    async (reason, origin, status) => {
      const capture = createMemoryCaptureStore();
      cleanups.push(() => capture.close());
      const { relay, agent } = await setup(capture);
      const done = nextExchange(agent);
      relay.edge(edgeReport(reason, status, reason === "queued" ? "q_7" : undefined));
      const summary = await done;
      expect(summary).toMatchObject({ origin, status, edgeReason: reason, durationMs: 3 });
      const row = capture.get(summary.id);
      expect(row).toMatchObject({
        origin,
        remoteAddress: "198.51.100.4",
        queueId: reason === "queued" ? "q_7" : null,
        request: { method: "POST", target: "/userCreated", body: { size: 17, truncated: true } },
        response: { status, body: { size: 2, truncated: false } },
        timing: { receivedAt: 1_717_000_000_000, forwardedAt: null, doneAt: 1_717_000_000_003 },
      });
      expect(Buffer.from(row?.request.body.bytes ?? []).toString()).toBe('{"eve');
      expect(agent.stats.total).toBe(0);
    },
  );

  it("a failing store costs the capture, not the exchange", async () => {
    const capture = createMemoryCaptureStore();
    const { relay, agent } = await setup(capture);
    capture.close();
    const errors: string[] = [];
    agent.on("error", (e) => errors.push(e.code));
    const res = await relay.request({}, Buffer.from("x"));
    expect(res.status).toBe(201);
    expect(errors).toContain("capture_failed");
  });
});
