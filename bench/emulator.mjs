/**
 * The Okta emulator's deliveries against fast receivers in their own processes:
 * - the delivery engine alone (receiver: bench/receiver-server.mjs `bare`, reads the body,
 *   answers 200): events per second delivered with batching (default window, 50 events per
 *   request) and without (one event per request), for a burst of events to one hook; and
 *   enqueue-to-delivery latency (until the receiver's 2xx is in) p50/p99, batching off, at a
 *   steady rate;
 * - the whole org (`startOktaEmulator`, receiver: bench/emulator-receiver.mjs): action-to-
 *   delivery latency, from sending `POST /api/v1/users` to the `user.lifecycle.create` event
 *   arriving at a verified hook, batching off, at a steady rate.
 * Prints one JSON line on stdout.
 *
 *   npm run build && npm run bench:emulator
 *   BENCH_EVENTS=20000 BENCH_LATENCY_EVENTS=2000 BENCH_LATENCY_RATE=200 BENCH_USERS=200 BENCH_USER_RATE=25 npm run bench:emulator
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { availableParallelism, cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  createDeliveryEngine,
  startOktaEmulator,
  toSystemLogEvent,
} from "../dist/emulator/index.js";
import { buildLogEvent } from "../dist/okta/index.js";
import { percentile } from "./lib/stats.mjs";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 2_000);
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 200);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const USER_RATE = Number(process.env.BENCH_USER_RATE ?? 25);
const GOAL_EVENTS_PER_S = 2_000;
const ACTION_RECEIVER = fileURLToPath(new URL("./emulator-receiver.mjs", import.meta.url));
const SERVER = fileURLToPath(new URL("./receiver-server.mjs", import.meta.url));
const ORG = "http://127.0.0.1:7070";
const HOOK_ID = "whoBench000000000001";

async function startReceiver(script = SERVER, args = ["bare"]) {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = await once(lines, "line");
  const port = Number(/^listening (\d+)$/.exec(line)?.[1]);
  return {
    url: `http://127.0.0.1:${port}/hooks/okta`,
    /** Stops the receiver; resolves with the line it prints on the way out. */
    async stop() {
      const last = once(lines, "line").then(([text]) => text);
      child.kill("SIGTERM");
      await once(child, "exit");
      return last;
    },
  };
}

/** Stored (System Log shape) events, as the emulator would enqueue them. */
function events(count) {
  return Array.from({ length: count }, () =>
    toSystemLogEvent(buildLogEvent("user.lifecycle.create")),
  );
}

async function throughput(url, batchWindowMs) {
  const hook = {
    id: HOOK_ID,
    channel: {
      uri: url,
      authScheme: { type: "HEADER", key: "Authorization", value: "Basic YWRtaW46c3VwZXJzZWNyZXQ=" },
    },
  };
  const engine = createDeliveryEngine({ options: { orgUrl: ORG, batchWindowMs, retryDelayMs: 0 } });
  const batch = events(EVENTS);
  const started = performance.now();
  // In slices, yielding between them, as requests to the emulator's API would arrive.
  for (let i = 0; i < batch.length; i += 500) {
    for (const event of batch.slice(i, i + 500)) engine.enqueue(hook, event);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await engine.flush();
  const seconds = (performance.now() - started) / 1000;
  const stats = engine.stats();
  await engine.close();
  if (stats.delivered !== EVENTS) throw new Error(`delivered ${stats.delivered} of ${EVENTS}`);
  return {
    batchWindowMs,
    events: EVENTS,
    requests: stats.attempts,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(EVENTS / seconds),
  };
}

async function latency(url) {
  const hook = { id: HOOK_ID, channel: { uri: url } };
  const enqueuedAt = new Map();
  const samples = [];
  const engine = createDeliveryEngine({
    options: { orgUrl: ORG, batchWindowMs: 0 },
    onAttempt: (record) => {
      if (record.outcome !== "success") return;
      const at = enqueuedAt.get(record.eventIds[0]);
      if (at !== undefined) samples.push(performance.now() - at);
    },
  });
  const batch = events(LATENCY_EVENTS);
  const intervalMs = 1000 / LATENCY_RATE;
  const started = performance.now();
  for (let i = 0; i < batch.length; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    enqueuedAt.set(batch[i].uuid, performance.now());
    engine.enqueue(hook, batch[i]);
  }
  await engine.flush();
  await engine.close();
  samples.sort((a, b) => a - b);
  return {
    events: LATENCY_EVENTS,
    ratePerSecond: LATENCY_RATE,
    p50Ms: Number(percentile(samples, 50).toFixed(2)),
    p99Ms: Number(percentile(samples, 99).toFixed(2)),
    maxMs: Number(samples.at(-1).toFixed(2)),
  };
}

/** From `POST /api/v1/users` sent to the event's arrival at a verified hook, batching off. */
async function actionToDelivery() {
  const receiver = await startReceiver(ACTION_RECEIVER, []);
  const org = await startOktaEmulator({ port: 0, delivery: { batchWindowMs: 0 } });
  const api = (path, body) =>
    fetch(`${org.url}${path}`, {
      method: "POST",
      headers: {
        Authorization: `SSWS ${org.token}`,
        Accept: "application/json",
        "Content-Type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (res) => {
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    });
  const sentAt = {};
  let arrivals;
  try {
    const hook = await api("/api/v1/eventHooks", {
      name: "bench",
      events: { type: "EVENT_TYPE", items: ["user.lifecycle.create"] },
      channel: { type: "HTTP", version: "1.0.0", config: { uri: receiver.url } },
    });
    await api(`/api/v1/eventHooks/${hook.id}/lifecycle/verify`);
    const intervalMs = 1000 / USER_RATE;
    const started = performance.now();
    for (let i = 0; i < USERS; i++) {
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const login = `bench.user${i}@example.com`;
      sentAt[login] = performance.timeOrigin + performance.now();
      await api("/api/v1/users?activate=false", {
        profile: { firstName: "Bench", lastName: `User${i}`, email: login, login },
      });
    }
    await org.flushDeliveries();
  } finally {
    await org.close();
    arrivals = JSON.parse(await receiver.stop());
  }
  const samples = Object.entries(sentAt)
    .map(([login, at]) => arrivals[login] - at)
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
  if (samples.length !== USERS) throw new Error(`${samples.length} of ${USERS} users delivered`);
  return {
    users: USERS,
    ratePerSecond: USER_RATE,
    p50Ms: Number(percentile(samples, 50).toFixed(2)),
    p99Ms: Number(percentile(samples, 99).toFixed(2)),
    maxMs: Number(samples.at(-1).toFixed(2)),
  };
}

const receiver = await startReceiver();
try {
  await throughput(receiver.url, 0); // warm-up: JIT, sockets
  const batched = await throughput(receiver.url, 1_000);
  const unbatched = await throughput(receiver.url, 0);
  const steady = await latency(receiver.url);
  const action = await actionToDelivery();
  const result = {
    bench: "emulator-delivery",
    node: process.version,
    cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? "unknown"}`,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
    goalEventsPerSecond: GOAL_EVENTS_PER_S,
    batched,
    unbatched,
    latencyUnbatched: steady,
    actionToDeliveryUnbatched: action,
    meetsGoal:
      batched.eventsPerSecond >= GOAL_EVENTS_PER_S &&
      unbatched.eventsPerSecond >= GOAL_EVENTS_PER_S,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await receiver.stop();
}
