/**
 * The inspector's API over HTTP with a large history: builds a SQLite capture store of
 * 100,000 exchanges with ~2 KB Okta delivery bodies (varied event types and users, built with
 * the okta builders), starts the inspector on it, and times with `fetch`: the first page of
 * the list, a filter by Okta event type, a full-text search, and a HAR export of 10,000
 * exchanges. Median of several runs; prints one JSON line. Goals (issue 4): 50 ms, 100 ms,
 * 200 ms, 5 s.
 *
 *   npm run build && node bench/inspector-api.mjs
 *   BENCH_EXCHANGES=100000 BENCH_RUNS=5 BENCH_DB=/tmp/inspector-bench.db node bench/inspector-api.mjs
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createExchangeIdGenerator, openSqliteCaptureStore } from "../dist/capture/index.js";
import { startInspector } from "../dist/inspector/index.js";
import { buildDelivery, buildLogEvent, serializeDelivery } from "../dist/okta/index.js";

const COUNT = Number(process.env.BENCH_EXCHANGES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TYPES = [
  "user.lifecycle.create",
  "user.lifecycle.deactivate",
  "user.account.lock",
  "group.user_membership.add",
  "user.session.start",
  "application.user_membership.add",
  "user.account.update_password",
  "user.lifecycle.activate",
];
const encoder = new TextEncoder();
const dir =
  process.env.BENCH_DB === undefined ? mkdtempSync(join(tmpdir(), "hooktap-bench-")) : null;
const dbPath = process.env.BENCH_DB ?? join(dir, "capture.db");
const reuse = existsSync(dbPath);
const store = openSqliteCaptureStore(dbPath, {
  retention: { maxExchanges: Number.POSITIVE_INFINITY, maxBytes: Number.POSITIVE_INFINITY },
});

let buildMs = 0;
if (!reuse || store.count() < COUNT) {
  const nextId = createExchangeIdGenerator();
  const start = performance.now();
  const t0 = Date.now() - COUNT * 10;
  for (let i = store.count(); i < COUNT; i++) {
    const type = TYPES[i % TYPES.length];
    const event = buildLogEvent(type, {
      target: [
        {
          id: `00u${String(i).padStart(17, "0")}`,
          type: "User",
          alternateId: `user${i % 5000}@example.com`,
          displayName: `User ${i}`,
        },
      ],
    });
    const body = encoder.encode(
      serializeDelivery(
        buildDelivery([event], {
          hookId: "who8vt36qfNpCGz9H1e6",
          orgUrl: "https://dev-123456.okta.com",
        }),
      ),
    );
    const t = t0 + i * 10;
    store.insert({
      id: nextId(t),
      endpoint: "local",
      origin: i % 50 === 0 ? "replay" : "live",
      remoteAddress: "203.0.113.7",
      request: {
        method: "POST",
        target: "/hooks/okta",
        httpVersion: "1.1",
        rawHeaders: [
          ["Host", "relay.example"],
          ["User-Agent", "Okta Event Hooks v1.0"],
          ["Content-Type", "application/json"],
          ["Content-Length", String(body.byteLength)],
        ],
        body: { bytes: body, size: body.byteLength, truncated: false },
      },
      response: {
        status: i % 97 === 0 ? 500 : 200,
        statusMessage: null,
        rawHeaders: [["Content-Type", "application/json"]],
        body: { bytes: encoder.encode('{"ok":true}'), size: 11, truncated: false },
      },
      error: null,
      timing: { receivedAt: t, forwardedAt: t + 1, firstByteAt: t + 5, doneAt: t + 6 },
      parentId: null,
      queueId: null,
    });
    // Let the store commit each turn's batch.
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setImmediate(resolve));
  // The derived index follows the bytes when the store is idle: write it all before timing.
  store.indexNow();
  buildMs = Math.round(performance.now() - start);
}

const inspector = await startInspector({
  port: 0,
  capture: store,
  source: {
    status: () => ({
      state: "online",
      lastError: null,
      startedAt: 0,
      version: "bench",
      tunnels: [],
    }),
  },
});

async function median(path) {
  const times = [];
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const res = await fetch(`${inspector.url}${path}`);
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${new TextDecoder().decode(body)}`);
    times.push(performance.now() - start);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { ms: +times[Math.floor(times.length / 2)].toFixed(1), bytes };
}

const firstPage = await median("/api/exchanges?limit=50");
const byType = await median("/api/exchanges?oktaEventType=user.account.lock&limit=50");
const search = await median("/api/exchanges?text=user4242%40example.com&limit=50");
const har = await median("/api/exports?format=har&limit=10000");
await inspector.close();
const count = store.count();
store.close();
if (dir !== null) rmSync(dir, { recursive: true, force: true });

const goals = { firstPageMs: 50, eventTypeMs: 100, searchMs: 200, har10kMs: 5000 };
const results = {
  firstPageMs: firstPage.ms,
  eventTypeMs: byType.ms,
  searchMs: search.ms,
  har10kMs: har.ms,
  har10kMB: +(har.bytes / 1e6).toFixed(1),
};
console.log(
  JSON.stringify({
    bench: "inspector-api",
    exchanges: count,
    buildMs,
    runs: RUNS,
    ...results,
    goals,
    met: Object.entries(goals).every(([key, goal]) => results[key] <= goal),
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model,
    loadavg: loadavg().map((l) => +l.toFixed(2)),
  }),
);
