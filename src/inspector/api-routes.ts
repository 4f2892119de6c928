/**
 * The ngrok-compatible agent API (`/api/tunnels`, `/api/tunnels/:name`) and hooktap's
 * `/api/status`. Field names follow ngrok's agent API so scripts written for ngrok find the URL
 * the same way (`curl -s localhost:4040/api/tunnels | jq -r '.tunnels[0].public_url'`).
 * ngrok reports latency percentiles as Go durations (nanoseconds), and so do these fields;
 * `/api/status` gives the same numbers in milliseconds.
 */
import { createHash } from "node:crypto";
import type { CaptureStore } from "../capture/index.js";
import { problem, type Reply } from "./problem.js";
import type { Router } from "./router.js";
import type { InspectorSource, TunnelInfo, TunnelMetrics } from "./types.js";

const MS_TO_NS = 1_000_000;

/** One tunnel as ngrok's `GET /api/tunnels` shows it. */
export interface NgrokTunnel {
  name: string;
  ID: string;
  uri: string;
  public_url: string;
  proto: "http" | "https";
  config: { addr: string; inspect: boolean };
  metrics: {
    conns: NgrokMetric & { gauge: number };
    http: NgrokMetric;
  };
}

interface NgrokMetric {
  count: number;
  rate1: number;
  rate5: number;
  rate15: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/**
 * ngrok's view of the tunnels: one entry per public URL (ngrok lists its https and http URLs
 * as two tunnels, the second named `<name> (http)`; extra URLs here are `<name> (2)`, …).
 *
 * @example
 * ngrokTunnels(source.status().tunnels)[0]?.public_url; // "https://relay.example/local"
 */
export function ngrokTunnels(tunnels: readonly TunnelInfo[]): NgrokTunnel[] {
  return tunnels.flatMap((tunnel) =>
    tunnel.publicUrls.map((publicUrl, i) => {
      const name = i === 0 ? tunnel.name : `${tunnel.name} (${i + 1})`;
      return {
        name,
        ID: createHash("sha256").update(`${tunnel.name}\n${publicUrl}`).digest("hex").slice(0, 32),
        uri: `/api/tunnels/${encodeURIComponent(name)}`,
        public_url: publicUrl,
        proto: publicUrl.startsWith("https:") ? "https" : "http",
        config: { addr: tunnel.upstream, inspect: true },
        metrics: {
          conns: { ...metric(tunnel.metrics), gauge: tunnel.metrics.open },
          http: metric(tunnel.metrics),
        },
      };
    }),
  );
}

function metric(m: TunnelMetrics): NgrokMetric {
  return {
    count: m.total,
    rate1: m.rate1,
    rate5: m.rate5,
    rate15: m.rate15,
    p50: m.p50Ms * MS_TO_NS,
    p90: m.p90Ms * MS_TO_NS,
    p95: m.p95Ms * MS_TO_NS,
    p99: m.p99Ms * MS_TO_NS,
  };
}

/**
 * Adds the API routes to `router`.
 *
 * @example
 * addApiRoutes(new Router(), source, capture);
 */
export function addApiRoutes(
  router: Router,
  source: InspectorSource,
  capture: CaptureStore | null,
): Router {
  return router
    .get("/api", () => ({
      status: 200,
      body: { uri: "/api", tunnels_uri: "/api/tunnels", status_uri: "/api/status" },
    }))
    .get("/api/tunnels", () => ({
      status: 200,
      body: { tunnels: ngrokTunnels(source.status().tunnels), uri: "/api/tunnels" },
    }))
    .get("/api/tunnels/:name", ({ params }): Reply => {
      const name = params.name ?? "";
      const tunnel = ngrokTunnels(source.status().tunnels).find((t) => t.name === name);
      if (tunnel === undefined)
        return problem(404, "tunnel_not_found", `no tunnel named '${name}'`);
      return { status: 200, body: tunnel };
    })
    .get("/api/status", () => ({ status: 200, body: statusBody(source, capture) }));
}

function statusBody(source: InspectorSource, capture: CaptureStore | null) {
  const status = source.status();
  let stored: { count: number; bytes: number } | null = null;
  try {
    stored = capture === null ? null : capture.stats();
  } catch {
    // A closed or failing store is reported as absent; the rest of the status still matters.
  }
  return {
    state: status.state,
    last_error: status.lastError,
    started_at: new Date(status.startedAt).toISOString(),
    version: status.version,
    tunnels: status.tunnels.map((t) => ({
      name: t.name,
      public_url: t.publicUrls[0] ?? null,
      public_urls: t.publicUrls,
      addr: t.upstream,
      requests: {
        total: t.metrics.total,
        open: t.metrics.open,
        by_status: t.metrics.byStatus,
        p50_ms: t.metrics.p50Ms,
        p90_ms: t.metrics.p90Ms,
        p95_ms: t.metrics.p95Ms,
        p99_ms: t.metrics.p99Ms,
        rate1: t.metrics.rate1,
      },
    })),
    capture: stored,
  };
}
