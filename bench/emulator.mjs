/**
 * The Okta emulator's delivery engine against a fast receiver (bench/receiver-server.mjs
 * `bare`, its own process: reads the body, answers 200):
 * - events per second delivered with batching (default window, 50 events per request) and
 *   without (one event per request), for a burst of events to one hook;
 * - enqueue-to-delivery latency (enqueue until the receiver's 2xx is in) p50/p99 with batching
 *   off, at a steady rate.
 * Prints one JSON line on stdout.
 *
 *   npm run build && npm run bench:emulator
 *   BENCH_EVENTS=20000 BENCH_LATENCY_EVENTS=2000 BENCH_LATENCY_RATE=200 npm run bench:emulator
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { availableParallelism, cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createDeliveryEngine, toSystemLogEvent } from "../dist/emulator/index.js";
import { buildLogEvent } from "../dist/okta/index.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 2_000);
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 200);
const GOAL_EVENTS_PER_S = 2_000;
const SERVER = fileURLToPath(new URL("./receiver-server.mjs", import.meta.url));
const ORG = "http://127.0.0.1:7070";
const HOOK_ID = "whoBench000000000001";

async function startReceiver() {
  const child = spawn(process.execPath, [SERVER, "bare"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const [line] = await once(lines, "line");
  const port = Number(/^listening (\d+)$/.exec(line)?.[1]);
  return {
    url: `http://127.0.0.1:${port}/hooks/okta`,
    async stop() {
      const handled = once(lines, "line").then(([text]) =>
        Number(/^handled (\d+)$/.exec(text)?.[1]),
      );
      child.kill("SIGTERM");
      await once(child, "exit");
      return handled;
    },
  };
}

/** Stored (System Log shape) events, as the emulator would enqueue them. */
function events(count) {
  return Array.from({ length: count }, () =>
    toSystemLogEvent(buildLogEvent("user.lifecycle.create")),
  );
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
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

const receiver = await startReceiver();
try {
  await throughput(receiver.url, 0); // warm-up: JIT, sockets
  const batched = await throughput(receiver.url, 1_000);
  const unbatched = await throughput(receiver.url, 0);
  const steady = await latency(receiver.url);
  const result = {
    bench: "emulator-delivery",
    node: process.version,
    cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? "unknown"}`,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
    goalEventsPerSecond: GOAL_EVENTS_PER_S,
    batched,
    unbatched,
    latencyUnbatched: steady,
    meetsGoal:
      batched.eventsPerSecond >= GOAL_EVENTS_PER_S &&
      unbatched.eventsPerSecond >= GOAL_EVENTS_PER_S,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await receiver.stop();
}
