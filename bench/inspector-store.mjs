/**
 * The capture store at inspector scale: a SQLite capture file with 100,000 exchanges of ~2 KB
 * Okta deliveries (varied event types and target users, built with the okta builders), written
 * the way the agent writes them (one insert when the exchange is done, 50 exchanges per
 * event-loop turn as at c=50), then the inspector's reads: the first page
 * of the list, a filter by Okta event type, full-text searches, a filter by target user. Each
 * read is timed RUNS times (median reported). The write cost (wall and CPU per exchange) is
 * measured apart on fresh files, 50 per turn and 1 per turn. Prints one JSON line on stdout.
 *
 *   npm run build && npm run bench:inspector-store
 *   BENCH_EXCHANGES=20000 BENCH_RUNS=9 npm run bench:inspector-store
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { newExchangeId, openSqliteCaptureStore } from "../dist/capture/index.js";
import {
  buildDelivery,
  buildLogEvent,
  listEventTypes,
  serializeDelivery,
} from "../dist/okta/index.js";
import { median } from "./lib/stats.mjs";

const EXCHANGES = Number(process.env.BENCH_EXCHANGES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PER_TURN = Number(process.env.BENCH_PER_TURN ?? 50);
const USERS = 1_000;
const GOALS = { firstPageMs: 50, eventTypeMs: 100, textMs: 200 };

const dir = mkdtempSync(join(tmpdir(), "hooktap-bench-inspector-"));
const path = join(dir, "capture.db");
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const encoder = new TextEncoder();

// Event types of the user, group and application families, as a busy org would send.
const EVENT_TYPES = listEventTypes()
  .map((info) => info.id)
  .filter((type) => /^(user|group|application)\./.test(type))
  .slice(0, 40);
if (EVENT_TYPES.length < 10) throw new Error(`too few event types: ${EVENT_TYPES.length}`);

const users = Array.from({ length: USERS }, (_, i) => ({
  type: "User",
  alternateId: `user${i}@example.com`,
  displayName: `User ${i}`,
}));

function deliveryOf(i) {
  const type = EVENT_TYPES[i % EVENT_TYPES.length];
  const target = [{ ...users[(i * 7) % USERS] }];
  return serializeDelivery(
    buildDelivery([buildLogEvent(type, { target })], {
      hookId: "who8vt36qfNpCGz9H1e6",
      orgUrl: "https://dev-123456.okta.com",
    }),
  );
}

function head(id, receivedAt) {
  return {
    id,
    endpoint: "okta-dev",
    origin: "live",
    remoteAddress: "203.0.113.7",
    request: {
      method: "POST",
      target: "/okta/events",
      httpVersion: "1.1",
      rawHeaders: [
        ["Host", "relay.example"],
        ["Accept", "application/json"],
        ["Content-Type", "application/json"],
        ["Authorization", "Basic YWRtaW46c3VwZXJzZWNyZXQ="],
        ["User-Agent", "Okta Hook Service v1.0.0 - who8vt36qfNpCGz9H1e6"],
      ],
      body: { bytes: new Uint8Array(0), size: 0, truncated: false },
    },
    response: null,
    error: null,
    timing: { receivedAt, forwardedAt: receivedAt + 0.2, firstByteAt: null, doneAt: null },
    parentId: null,
    queueId: null,
  };
}

/**
 * Writes `count` exchanges as the agent does (one insert of the finished exchange),
 * `perTurn` per event-loop turn; returns ms.
 */
async function write(store, count, perTurn, bodyOf) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i += perTurn) {
    for (let k = i; k < Math.min(count, i + perTurn); k++) {
      const x = head(newExchangeId(), Date.now());
      const bytes = encoder.encode(bodyOf(k));
      store.insert({
        ...x,
        request: { ...x.request, body: { bytes, size: bytes.byteLength, truncated: false } },
        response: {
          status: x.id.endsWith("7") ? 500 : 200,
          statusMessage: "OK",
          rawHeaders: [["Content-Length", "0"]],
          body: { bytes: new Uint8Array(0), size: 0, truncated: false },
        },
        timing: {
          ...x.timing,
          firstByteAt: x.timing.receivedAt + 3,
          doneAt: x.timing.receivedAt + 4,
        },
      });
    }
    await nextTurn();
  }
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function time(store, query) {
  const samples = [];
  let found = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    found = store.list(query).items.length;
    samples.push(performance.now() - started);
  }
  return { ms: Math.round(median(samples) * 10) / 10, found };
}

const unlimited = { retention: { maxExchanges: Infinity, maxBytes: Infinity } };
try {
  process.stderr.write(`building ${EXCHANGES} Okta delivery bodies\n`);
  const bodies = Array.from({ length: Math.min(EXCHANGES, 20_000) }, (_, i) => deliveryOf(i));
  const bodyBytes = Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length);

  // Write cost, grouped per turn (as at c=50) and one exchange per turn, on fresh files.
  const writeCost = {};
  for (const perTurn of [1, PER_TURN]) {
    const file = join(dir, `write-${perTurn}.db`);
    const store = openSqliteCaptureStore(file, unlimited);
    const n = 5_000;
    const { ms, cpuMs } = await write(store, n, perTurn, (k) => bodies[k % bodies.length]);
    store.close();
    writeCost[`perTurn${perTurn}`] = {
      exchangesPerS: Math.round((n / ms) * 1000),
      wallUsPerExchange: Math.round((ms * 1000) / n),
      cpuUsPerExchange: Math.round((cpuMs * 1000) / n),
    };
  }

  process.stderr.write(`writing ${EXCHANGES} exchanges, ${PER_TURN} per turn\n`);
  let store = openSqliteCaptureStore(path, unlimited);
  const { ms: buildMs } = await write(store, EXCHANGES, PER_TURN, (k) => bodies[k % bodies.length]);
  // The derived index follows the bytes when the store is idle; write it all before timing reads.
  const indexStarted = performance.now();
  store.indexNow();
  const indexMs = Math.round(performance.now() - indexStarted);
  store.close();

  store = openSqliteCaptureStore(path, unlimited);
  const someUser = users[123].alternateId;
  const reads = {
    firstPage: time(store, { limit: 50 }),
    secondPage: time(store, { limit: 50, before: store.list({ limit: 50 }).next }),
    eventType: time(store, { oktaEventType: EVENT_TYPES[3], limit: 50 }),
    eventTypeAbsent: time(store, { oktaEventType: "user.no.such.type", limit: 50 }),
    textRare: time(store, { text: someUser, limit: 50 }),
    textCommon: time(store, { text: "okta.com/api/v1/eventHooks", limit: 50 }),
    textAbsent: time(store, { text: "zzqx nothing here", limit: 50 }),
    targetUser: time(store, { targetUser: someUser, limit: 50 }),
    statusClass: time(store, { status: "5xx", limit: 50 }),
    header: time(store, { header: { name: "user-agent", value: "okta hook" }, limit: 50 }),
    eventTypeAndText: time(store, {
      oktaEventType: EVENT_TYPES[3],
      text: "example com",
      limit: 50,
    }),
  };
  const count = store.count();
  store.close();
  const dbBytes = statSync(path).size;
  const textMs = Math.max(reads.textRare.ms, reads.textCommon.ms);
  console.log(
    JSON.stringify({
      bench: "inspector-store",
      node: process.version,
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model ?? "unknown",
      loadavg: loadavg().map((n) => Math.round(n * 10) / 10),
      exchanges: count,
      bodyBytes,
      dbMB: Math.round(dbBytes / 1e5) / 10,
      runs: RUNS,
      build: {
        perTurn: PER_TURN,
        seconds: Math.round(buildMs / 100) / 10,
        exchangesPerS: Math.round((EXCHANGES / buildMs) * 1000),
        indexSeconds: Math.round(indexMs / 100) / 10,
      },
      writeCost,
      reads,
      goals: GOALS,
      meetsGoals: {
        firstPage: reads.firstPage.ms <= GOALS.firstPageMs,
        eventType: reads.eventType.ms <= GOALS.eventTypeMs,
        text: textMs <= GOALS.textMs,
      },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
