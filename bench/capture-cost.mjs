/**
 * What capture costs the tunnel: requests/s through `hooktap http`'s embedded relay and agent at
 * concurrency 50, with the agent capturing every exchange into SQLite and with capture off, on
 * Okta deliveries of three users (5.6 KB bodies the capture stores and indexes). Runs alternate
 * on and off for BENCH_ROUNDS rounds, so a loaded machine moves both sides alike; the cost is
 * 1 − on/off of the medians. Goal (issue: the inspector): ≤ 10 %. Each run also gives the CPU
 * time the tunnel process spent per request, from /proc, on its event loop (`main`) and on its
 * other threads (`others`: the capture worker, and V8's GC helpers), which a loaded machine
 * moves far less than requests/s. Prints one JSON line.
 *
 *   npm run build && npm run bench:capture-cost
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { GUIDE_BASIC_AUTH, sampleDelivery } from "../dist/sample/index.js";
import { spawnUntil, stop, threadCpuUs } from "./lib/processes.mjs";
import { median } from "./lib/stats.mjs";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const UPSTREAM = fileURLToPath(new URL("./tunnel-upstream.mjs", import.meta.url));
const TUNNEL = fileURLToPath(new URL("./capture-cost-tunnel.mjs", import.meta.url));

const body = JSON.stringify(
  sampleDelivery({
    users: ["jane.doe@example.com", "john.roe@example.com", "ann.lee@example.com"],
  }),
);

async function measure(url, pid) {
  const before = pid === undefined ? null : await threadCpuUs(pid);
  const result = await autocannon({
    url: `${url}/userCreated`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: "POST",
    headers: { "content-type": "application/json", authorization: GUIDE_BASIC_AUTH },
    body,
  });
  const after = pid === undefined ? null : await threadCpuUs(pid);
  const perRequest = (us) => Math.round(us / Math.max(1, result.requests.total));
  return {
    rps: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    ...(before !== null &&
      after !== null && {
        cpuUsPerReq: {
          main: perRequest(after.main - before.main),
          others: perRequest(after.others - before.others),
        },
      }),
  };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "hooktap-capture-cost-"));
  const upstream = await spawnUntil([UPSTREAM], /^listening (\d+)$/);
  const runs = { on: [], off: [] };
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const mode of round % 2 === 0 ? ["on", "off"] : ["off", "on"]) {
        const tunnelDir = join(dir, `${mode}-${round}`);
        const tunnel = await spawnUntil(
          [TUNNEL, upstream.match[1], tunnelDir, mode],
          /^listening (\S+)$/,
        );
        try {
          await measure(tunnel.match[1]); // warm-up, not counted
          runs[mode].push(await measure(tunnel.match[1], tunnel.child.pid));
        } finally {
          await stop(tunnel.child, "SIGTERM");
        }
      }
    }
  } finally {
    await stop(upstream.child, "SIGTERM");
    await rm(dir, { recursive: true, force: true });
  }
  const on = median(runs.on.map((r) => r.rps));
  const off = median(runs.off.map((r) => r.rps));
  const cost = Number((1 - on / off).toFixed(3));
  const cpu = (mode, thread) => median(runs[mode].map((r) => r.cpuUsPerReq[thread]));
  console.log(
    JSON.stringify({
      bench: "capture-cost",
      node: process.version,
      cpus: cpus().length,
      connections: CONNECTIONS,
      durationS: DURATION_S,
      bodyBytes: Buffer.byteLength(body),
      runs,
      medianRps: { on, off },
      // CPU µs per request of the tunnel process: its event loop, and its other threads (the
      // capture worker with capture on; V8's GC helpers either way).
      medianCpuUsPerReq: {
        on: { main: cpu("on", "main"), others: cpu("on", "others") },
        off: { main: cpu("off", "main"), others: cpu("off", "others") },
      },
      cost,
      goal: 0.1,
      meetsGoal: cost <= 0.1,
    }),
  );
}

await main();
