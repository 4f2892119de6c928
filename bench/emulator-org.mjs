/**
 * The local Okta org end to end (built package): an action through its HTTP API (`POST
 * /api/v1/users?activate=false`) → SQLite transaction → System Log → routing → delivery engine
 * → a receiver (a node:http server in this process that parses each delivery).
 * - action-to-delivery latency p50/p99 with batching off: one action at a time, from sending
 *   the API request until the receiver has the delivery naming that user;
 * - events per second through the org with and without batching: users created by 16
 *   concurrent API callers until every `user.lifecycle.create` is delivered (one per user; the
 *   hook is not subscribed to the `Everyone` membership event).
 * Prints one JSON line on stdout.
 *
 *   npm run build && npm run bench:emulator-org
 *   BENCH_USERS=3000 BENCH_LATENCY_ACTIONS=300 npm run bench:emulator-org
 */
import { once } from "node:events";
import { createServer } from "node:http";
import { availableParallelism, cpus, loadavg } from "node:os";
import { startOktaEmulator } from "../dist/emulator/index.js";
import { percentile } from "./lib/stats.mjs";

const USERS = Number(process.env.BENCH_USERS ?? 3_000);
const LATENCY_ACTIONS = Number(process.env.BENCH_LATENCY_ACTIONS ?? 300);
const CALLERS = 16;
const GOAL_EVENTS_PER_S = 2_000;

/** A receiver that answers the challenge and reports each delivered login's arrival. */
async function startReceiver() {
  const waiting = new Map();
  let delivered = 0;
  let onCount = () => {};
  const server = createServer((req, res) => {
    const challenge = req.headers["x-okta-verification-challenge"];
    if (req.method === "GET" && typeof challenge === "string") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ verification: challenge }));
      return;
    }
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      res.writeHead(200).end();
      const at = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      for (const event of body.data.events) {
        delivered++;
        const login = event.target?.[0]?.alternateId;
        waiting.get(login)?.(at);
        waiting.delete(login);
      }
      onCount(delivered);
    });
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    arrivalOf: (login) => new Promise((resolve) => waiting.set(login, resolve)),
    untilDelivered: (count) =>
      new Promise((resolve) => {
        onCount = (n) => {
          if (n >= count) resolve();
        };
        onCount(delivered);
      }),
    reset: () => {
      delivered = 0;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function startOrg(receiverUrl, batchWindowMs) {
  const org = await startOktaEmulator({
    port: 0,
    dataPath: ":memory:",
    delivery: { batchWindowMs },
  });
  const call = async (method, path, body) => {
    const res = await fetch(`${org.url}${path}`, {
      method,
      headers: { authorization: `SSWS ${org.token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const hook = await call("POST", "/api/v1/eventHooks", {
    name: "bench",
    events: { type: "EVENT_TYPE", items: ["user.lifecycle.create"] },
    channel: { type: "HTTP", version: "1.0.0", config: { uri: receiverUrl, headers: [] } },
  });
  await call("POST", `/api/v1/eventHooks/${hook.id}/lifecycle/verify`);
  return { org, call };
}

const person = (login) => ({
  profile: { firstName: "Bench", lastName: "User", login, email: login },
});

async function throughput(receiver, batchWindowMs, tag) {
  const { org, call } = await startOrg(receiver.url, batchWindowMs);
  receiver.reset();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < USERS) {
        const n = next++;
        await call("POST", "/api/v1/users?activate=false", person(`${tag}.${n}@example.com`));
      }
    }),
  );
  const actionsDone = performance.now();
  await org.flushDeliveries();
  await receiver.untilDelivered(USERS);
  const seconds = (performance.now() - started) / 1000;
  await org.close();
  return {
    batchWindowMs,
    users: USERS,
    seconds: Number(seconds.toFixed(2)),
    actionsPerSecond: Math.round(USERS / ((actionsDone - started) / 1000)),
    eventsPerSecond: Math.round(USERS / seconds),
  };
}

async function latency(receiver) {
  const { org, call } = await startOrg(receiver.url, 0);
  const samples = [];
  for (let n = 0; n < LATENCY_ACTIONS; n++) {
    const login = `latency.${n}@example.com`;
    const arrived = receiver.arrivalOf(login);
    const sent = performance.now();
    await call("POST", "/api/v1/users?activate=false", person(login));
    samples.push((await arrived) - sent);
  }
  await org.close();
  samples.sort((a, b) => a - b);
  return {
    actions: LATENCY_ACTIONS,
    p50Ms: Number(percentile(samples, 50).toFixed(2)),
    p99Ms: Number(percentile(samples, 99).toFixed(2)),
    maxMs: Number(samples.at(-1).toFixed(2)),
  };
}

const receiver = await startReceiver();
try {
  await throughput(receiver, 0, "warmup");
  const batched = await throughput(receiver, 1_000, "batched");
  const unbatched = await throughput(receiver, 0, "unbatched");
  const actionToDelivery = await latency(receiver);
  console.log(
    JSON.stringify({
      bench: "emulator-org",
      node: process.version,
      cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? "unknown"}`,
      loadAverage1m: Number(loadavg()[0].toFixed(2)),
      goalEventsPerSecond: GOAL_EVENTS_PER_S,
      batched,
      unbatched,
      actionToDelivery,
    }),
  );
} finally {
  await receiver.close();
}
