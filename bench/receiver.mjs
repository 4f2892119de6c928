/**
 * Requests per second of hooktap's receiver (node:http adapter) against a bare node:http handler
 * that only reads the body, on the same ~2 KB Okta deliveries, each with its own eventId and
 * uuid so de-duplication does real work. Each server runs in its own process; autocannon runs
 * here, warm-up first, then the measured run. Prints one JSON line on stdout.
 *
 *   npm run build && npm run bench:receiver
 *   BENCH_DURATION_S=10 BENCH_WARMUP_S=3 BENCH_CONNECTIONS=10 BENCH_BODIES=10000 npm run bench:receiver
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { availableParallelism, cpus } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { GUIDE_BASIC_AUTH, sampleDelivery } from "../dist/sample/index.js";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const BODY_COUNT = Number(process.env.BENCH_BODIES ?? 10_000);
const GOAL_RATIO = 0.8;
const SERVER = fileURLToPath(new URL("./receiver-server.mjs", import.meta.url));

// Fresh eventId and uuid per body. The receiver's dedupe LRU keeps 10,000 keys (2 per
// delivery), so by the time a body comes round again its keys are gone: every request is new.
const bodies = Array.from({ length: BODY_COUNT }, () => JSON.stringify(sampleDelivery()));
const bodyBytes = Math.round(bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / bodies.length);

async function startServer(mode) {
  const child = spawn(process.execPath, [SERVER, mode], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const [line] = await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => {
      throw new Error(`${mode} server exited with ${code} before listening`);
    }),
  ]);
  const port = Number(/^listening (\d+)$/.exec(line)?.[1]);
  return {
    url: `http://127.0.0.1:${port}/userCreated`,
    /** Stops the server; resolves with how many deliveries (bare) or events (receiver) it handled. */
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

// One rotation across warm-up and measured runs: restarting at 0 would resend the warm-up's
// bodies while their keys are still in the dedupe store.
let next = 0;

function load(url, durationS) {
  return autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: durationS,
    headers: { "content-type": "application/json", authorization: GUIDE_BASIC_AUTH.value },
    requests: [
      {
        setupRequest(request) {
          request.body = bodies[next];
          next = (next + 1) % bodies.length;
          return request;
        },
      },
    ],
  });
}

async function measure(mode) {
  const server = await startServer(mode);
  let result;
  try {
    process.stderr.write(`${mode}: warm-up ${WARMUP_S} s, then ${DURATION_S} s measured\n`);
    if (WARMUP_S > 0) await load(server.url, WARMUP_S);
    result = await load(server.url, DURATION_S);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const handled = await server.stop();
  return {
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    // Warm-up included: deliveries read (bare) or events the handler ran (receiver). For the
    // receiver it equals the requests sent unless de-duplication skipped some.
    handled,
  };
}

const bare = await measure("bare");
const receiver = await measure("receiver");
const ratio = Math.round((receiver.rps / bare.rps) * 1000) / 1000;
console.log(
  JSON.stringify({
    bench: "receiver",
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    connections: CONNECTIONS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    bodies: BODY_COUNT,
    bodyBytes,
    bare,
    receiver,
    ratio,
    goal: GOAL_RATIO,
    meetsGoal: ratio >= GOAL_RATIO,
  }),
);
