/**
 * The tunnel's cost, on loopback with a trivial upstream (bench/tunnel-upstream.mjs), capture on:
 *  1. requests/s and p50/p99 latency at 1, 10 and 50 connections: direct to the upstream, through
 *     `hooktap http` with its embedded relay, and through a relay in its own process;
 *  2. a 100 MB body through the tunnel: MB/s and the RSS growth of the agent and relay processes;
 *  3. idle agents: the relay's RSS per connected agent (BENCH_IDLE_AGENTS, default 1,000).
 * Each row also gives the CPU time the measured processes spent per request (`cpuUsPerReq`,
 * from /proc: the tunnel's processes, or the upstream for `direct`), which a loaded machine
 * moves far less than requests/s. `plainProxy` is the reference ceiling: the smallest
 * node:http keep-alive reverse proxy (bench/tunnel-proxy.mjs), one hop where a tunnel has two
 * plus a WebSocket.
 * Everything runs as real processes of the built CLI. Prints one JSON line.
 *
 *   npm run build && npm run bench:tunnel
 *   BENCH_DURATION_S=5 BENCH_IDLE_AGENTS=200 npm run bench:tunnel
 */
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startAgent } from "../dist/agent/index.js";
import { cpuUs, rssKb, spawnUntil, stop, stopAll } from "./lib/processes.mjs";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 2);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "1,10,50").split(",").map(Number);
const BIG_BODY_MB = Number(process.env.BENCH_BIG_BODY_MB ?? 100);
const IDLE_AGENTS = Number(process.env.BENCH_IDLE_AGENTS ?? 1000);
const CLI = fileURLToPath(new URL("../bin/hooktap.js", import.meta.url));
const UPSTREAM = fileURLToPath(new URL("./tunnel-upstream.mjs", import.meta.url));
const PROXY = fileURLToPath(new URL("./tunnel-proxy.mjs", import.meta.url));

function load(url, connections, durationS) {
  return autocannon({ url, connections, duration: durationS, method: "GET" });
}

/** Measures `url` at each connection count; `pids` are the processes whose CPU is counted. */
async function measure(url, pids) {
  const rows = {};
  for (const connections of CONNECTIONS) {
    await load(url, connections, WARMUP_S);
    const before = await Promise.all(pids.map(cpuUs));
    const r = await load(url, connections, DURATION_S);
    const after = await Promise.all(pids.map(cpuUs));
    const spent = after.reduce((sum, us, i) => sum + us - before[i], 0);
    rows[`c${connections}`] = {
      rps: Math.round(r.requests.average),
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      cpuUsPerReq: r.requests.total > 0 ? Math.round(spent / r.requests.total) : null,
      non2xx: r.non2xx,
      errors: r.errors,
    };
  }
  return rows;
}

async function startEmbedded(upstreamPort, dataDir) {
  const { child, match } = await spawnUntil(
    [
      CLI,
      "http",
      String(upstreamPort),
      "--listen-port",
      "0",
      "--no-inspect",
      "--max-body",
      "1gb",
      "--data-dir",
      dataDir,
      "--log",
      "json",
    ],
    /"event":"started".*"publicUrls":\["([^"]+)"/,
  );
  return { child, url: match[1] };
}

async function startSeparate(upstreamPort, dataDir) {
  const relayDb = join(dataDir, "relay.db");
  const relay = await spawnUntil(
    [CLI, "relay", "--port", "0", "--host", "127.0.0.1", "--data", relayDb],
    /(ws:\/\/\S+\/_hooktap\/agent)/,
  );
  const token = await spawnUntil(
    [CLI, "relay", "token", "create", "bench", "--data", relayDb],
    /^\s+(htk_\S+)$/,
  );
  const agent = await spawnUntil(
    [
      CLI,
      "http",
      String(upstreamPort),
      "--relay",
      relay.match[1],
      "--token",
      token.match[1],
      "--name",
      "bench",
      "--no-inspect",
      "--max-body",
      "1gb",
      "--data-dir",
      join(dataDir, "agent"),
      "--log",
      "json",
    ],
    /"event":"started".*"publicUrls":\["([^"]+)"/,
  );
  return {
    relay: relay.child,
    agent: agent.child,
    agentUrl: relay.match[1],
    secret: token.match[1],
    url: agent.match[1],
  };
}

/** POSTs `mb` MiB of zeros in 64 KiB chunks, sampling the RSS of `pids` meanwhile. */
async function bigBody(url, mb, pids) {
  const before = await Promise.all(pids.map(rssKb));
  const peak = [...before];
  const sampler = setInterval(async () => {
    const now = await Promise.all(pids.map((pid) => rssKb(pid).catch(() => 0)));
    now.forEach((kb, i) => {
      peak[i] = Math.max(peak[i], kb);
    });
  }, 50);
  const chunk = Buffer.alloc(64 * 1024);
  const total = mb * 1024 * 1024;
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= total) return this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  const started = performance.now();
  const status = await new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", headers: { "content-length": String(total) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", reject);
    body.pipe(req);
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return {
    status,
    mb,
    seconds: Number(seconds.toFixed(2)),
    mbPerS: Math.round(mb / seconds),
    rssGrowthMb: peak.map((kb, i) => Number(((kb - before[i]) / 1024).toFixed(1))),
  };
}

async function idleAgents(count, dataDir) {
  const relayDb = join(dataDir, "idle-relay.db");
  const relay = await spawnUntil(
    [CLI, "relay", "--port", "0", "--host", "127.0.0.1", "--data", relayDb],
    /(ws:\/\/\S+\/_hooktap\/agent)/,
  );
  const token = await spawnUntil(
    [CLI, "relay", "token", "create", "idle", "--data", relayDb],
    /^\s+(htk_\S+)$/,
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));
  await settle();
  const before = await rssKb(relay.child.pid);
  const agents = [];
  for (let i = 0; i < count; i += 1) {
    agents.push(
      startAgent({
        relayUrl: relay.match[1],
        token: token.match[1],
        endpoint: `idle-${i}`,
        upstream: "http://127.0.0.1:9",
        capture: null,
      }),
    );
    if (i % 100 === 99) await Promise.all(agents.slice(-100).map((a) => a.ready()));
  }
  await Promise.all(agents.map((a) => a.ready()));
  await settle();
  const after = await rssKb(relay.child.pid);
  await Promise.all(agents.map((a) => a.close()));
  await stop(relay.child);
  return {
    agents: count,
    relayRssBeforeMb: Math.round(before / 1024),
    relayRssAfterMb: Math.round(after / 1024),
    kbPerAgent: Number(((after - before) / count).toFixed(1)),
  };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "hooktap-bench-"));
  try {
    const upstream = await spawnUntil([UPSTREAM], /^listening (\d+)$/);
    const upstreamPort = Number(upstream.match[1]);
    const direct = await measure(`http://127.0.0.1:${upstreamPort}/`, [upstream.child.pid]);

    const proxy = await spawnUntil([PROXY, String(upstreamPort)], /^listening (\d+)$/);
    const throughProxy = await measure(`http://127.0.0.1:${proxy.match[1]}/`, [proxy.child.pid]);
    await stop(proxy.child);

    const embedded = await startEmbedded(upstreamPort, join(dir, "embedded"));
    const throughEmbedded = await measure(`${embedded.url}/`, [embedded.child.pid]);
    const bigEmbedded = await bigBody(`${embedded.url}/big`, BIG_BODY_MB, [embedded.child.pid]);
    await stop(embedded.child);

    const separate = await startSeparate(upstreamPort, join(dir, "separate"));
    const throughSeparate = await measure(`${separate.url}/`, [
      separate.relay.pid,
      separate.agent.pid,
    ]);
    const bigSeparate = await bigBody(`${separate.url}/big`, BIG_BODY_MB, [
      separate.agent.pid,
      separate.relay.pid,
    ]);
    await stop(separate.agent);
    await stop(separate.relay);

    const idle = IDLE_AGENTS > 0 ? await idleAgents(IDLE_AGENTS, dir) : null;
    await stop(upstream.child);

    const ratio = (through, c) => Number((through[c].rps / direct[c].rps).toFixed(3));
    process.stdout.write(
      `${JSON.stringify({
        bench: "tunnel",
        node: process.version,
        cpus: availableParallelism(),
        cpu: cpus()[0]?.model.trim(),
        durationS: DURATION_S,
        direct,
        plainProxy: throughProxy,
        embedded: throughEmbedded,
        separateRelay: throughSeparate,
        throughputRatioC50: {
          plainProxy: ratio(throughProxy, "c50"),
          embedded: ratio(throughEmbedded, "c50"),
          separateRelay: ratio(throughSeparate, "c50"),
        },
        p99OverheadMsC10: {
          plainProxy: throughProxy.c10.p99Ms - direct.c10.p99Ms,
          embedded: throughEmbedded.c10.p99Ms - direct.c10.p99Ms,
          separateRelay: throughSeparate.c10.p99Ms - direct.c10.p99Ms,
        },
        bigBody: {
          embedded: bigEmbedded,
          separateRelay: {
            ...bigSeparate,
            rssGrowthMb: { agent: bigSeparate.rssGrowthMb[0], relay: bigSeparate.rssGrowthMb[1] },
          },
        },
        idleAgents: idle,
        goals: {
          ratioC50: 0.35,
          p99OverheadMsC10: 5,
          bigBodyMbPerS: 100,
          rssGrowthMb: 50,
          kbPerIdleAgent: 100,
        },
      })}\n`,
    );
  } finally {
    await stopAll();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
