/**
 * What capture costs the tunnel: requests/s through `hooktap http`'s embedded relay and agent at
 * concurrency 50, with the agent capturing every exchange into SQLite and with capture off, on
 * 2 KB Okta deliveries (bodies the capture stores and indexes). Runs alternate on and off for
 * BENCH_ROUNDS rounds, so a loaded machine moves both sides alike; the cost is 1 − on/off of
 * the medians. Goal (issue: the inspector): ≤ 10 %. Prints one JSON line.
 *
 *   npm run build && npm run bench:capture-cost
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { GUIDE_BASIC_AUTH, sampleDelivery } from "../dist/sample/index.js";
import { spawnUntil, stop } from "./lib/processes.mjs";
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

async function measure(url) {
  const result = await autocannon({
    url: `${url}/userCreated`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: "POST",
    headers: { "content-type": "application/json", authorization: GUIDE_BASIC_AUTH },
    body,
  });
  return {
    rps: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
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
          runs[mode].push(await measure(tunnel.match[1]));
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
      cost,
      goal: 0.1,
      meetsGoal: cost <= 0.1,
    }),
  );
}

await main();
