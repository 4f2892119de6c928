/**
 * Export speed of the capture store's formats: 10,000 exchanges with 2 KB request and response
 * bodies (JSON text, and a binary variant) through `toHar`, `toHooktapJson` and `toCurl`, each
 * serialised with `JSON.stringify` as the inspector does, then `parseImport` of the results.
 * Best of a few runs; prints one JSON line on stdout. Goal (issue 4): a HAR export of 10,000
 * exchanges in ≤ 5 s.
 *
 *   npm run build && node bench/export.mjs
 *   BENCH_EXCHANGES=10000 BENCH_RUNS=3 node bench/export.mjs
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import {
  createExchangeIdGenerator,
  parseImport,
  toCurl,
  toHar,
  toHooktapJson,
} from "../dist/capture/index.js";

const COUNT = Number(process.env.BENCH_EXCHANGES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const GOAL_MS = 5000;
const nextId = createExchangeIdGenerator();
const encoder = new TextEncoder();

function exchange(i, binary) {
  const text = JSON.stringify({ eventType: "com.okta.event_hook", i, pad: "x".repeat(2000) }).slice(
    0,
    2048,
  );
  const bytes = binary
    ? Uint8Array.from({ length: 2048 }, (_, j) => (i + j) % 256)
    : encoder.encode(text);
  const body = { bytes, size: bytes.byteLength, truncated: false };
  const t = 1_717_000_000_000 + i;
  return {
    id: nextId(t),
    endpoint: "my-hooks",
    origin: "live",
    remoteAddress: "203.0.113.7",
    request: {
      method: "POST",
      target: `/userCreated?i=${i}`,
      httpVersion: "1.1",
      rawHeaders: [
        ["Host", "relay.example"],
        ["User-Agent", "Okta Google-HTTP-Java-Client/1.23.0 (gzip)"],
        ["Content-Type", "application/json"],
        ["Authorization", "Basic YWRtaW46c3VwZXJzZWNyZXQ="],
        ["Content-Length", String(bytes.byteLength)],
      ],
      body,
    },
    response: {
      status: 200,
      statusMessage: "OK",
      rawHeaders: [["Content-Type", "application/json"]],
      body,
    },
    error: null,
    timing: { receivedAt: t, forwardedAt: t + 1, firstByteAt: t + 5, doneAt: t + 6 },
    parentId: null,
    queueId: null,
  };
}

function best(fn) {
  let ms = Number.POSITIVE_INFINITY;
  let out;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    out = fn();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms: Math.round(ms), out };
}

const results = {};
for (const binary of [false, true]) {
  const xs = Array.from({ length: COUNT }, (_, i) => exchange(i, binary));
  const kind = binary ? "binary" : "text";
  const har = best(() => JSON.stringify(toHar(xs, { creatorVersion: "bench" })));
  const json = best(() => JSON.stringify(toHooktapJson(xs)));
  const curl = best(() =>
    xs.map((x) => toCurl(x, { baseUrl: "http://localhost:3000" })).join("\n\n"),
  );
  const harImport = best(() => parseImport(har.out).length);
  const jsonImport = best(() => parseImport(json.out).length);
  results[kind] = {
    harMs: har.ms,
    harMB: +(har.out.length / 1e6).toFixed(1),
    hooktapJsonMs: json.ms,
    hooktapJsonMB: +(json.out.length / 1e6).toFixed(1),
    curlMs: curl.ms,
    harImportMs: harImport.ms,
    hooktapJsonImportMs: jsonImport.ms,
  };
}
console.log(
  JSON.stringify({
    bench: "export",
    exchanges: COUNT,
    bodyBytes: 2048,
    ...results,
    goalHarMs: GOAL_MS,
    met: results.text.harMs <= GOAL_MS && results.binary.harMs <= GOAL_MS,
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model,
    loadavg: loadavg().map((l) => +l.toFixed(2)),
  }),
);
