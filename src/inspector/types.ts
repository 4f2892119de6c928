/**
 * The inspector's contract: its options and handle, and {@link InspectorSource}, the plain
 * snapshot of the tunnel it describes. The inspector never imports the agent: the CLI adapts
 * whatever runs the tunnel to this interface.
 */
import type { CaptureStore, Replayer } from "../capture/index.js";

export type { Replayer, ReplayOutcome, ReplayRequest } from "../capture/index.js";

import type { Logger } from "../log/index.js";

/** The state of the tunnel session, as the agent reports it. */
export type SessionState = "connecting" | "online" | "offline" | "closed";

/** Request counters of one tunnel. */
export interface TunnelMetrics {
  /** Requests forwarded since start. */
  total: number;
  /** Requests in flight. */
  open: number;
  /** Finished requests per second over the last 1, 5 and 15 minutes. */
  rate1: number;
  rate5: number;
  rate15: number;
  /** Latency percentiles in milliseconds. */
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Finished requests by outcome (`2xx` … `5xx`, `error`). */
  byStatus: Readonly<Record<string, number>>;
}

/** One tunnel: an endpoint on the relay forwarding to a local upstream. */
export interface TunnelInfo {
  /** The endpoint name. */
  name: string;
  /** The public URLs the relay granted (empty until the first welcome). */
  publicUrls: readonly string[];
  /** Where requests go, e.g. `http://127.0.0.1:3000`. */
  upstream: string;
  metrics: TunnelMetrics;
}

/** A snapshot of everything the status endpoints show. */
export interface SourceStatus {
  state: SessionState;
  /** Why the session is not online, if it is not. */
  lastError: { code: string; message: string } | null;
  /** When the agent started, epoch ms. */
  startedAt: number;
  /** hooktap's version. */
  version: string;
  tunnels: readonly TunnelInfo[];
}

/** What the inspector reads: called on every request, so it must be cheap and current. */
export interface InspectorSource {
  status(): SourceStatus;
}

/** Options of {@link startInspector}. */
export interface InspectorOptions {
  /**
   * Interface to listen on. Anything but loopback exposes captured traffic (secrets included)
   * to the network.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * Port; 0 picks a free one.
   * @default 4040
   */
  port?: number;
  /** The tunnel to describe. */
  source: InspectorSource;
  /**
   * The capture store: the history the API lists, exports, imports into and replays from.
   * Without one, only `/api/tunnels` and `/api/status` answer; the rest is a 503 problem.
   */
  capture?: CaptureStore | null;
  /** Sends replays; without one, replay calls answer 503 `replay_unavailable`. */
  replayer?: Replayer | null;
  /**
   * Largest JSON request body (replay options), in bytes; larger ones get 413.
   * @default 16 MiB
   */
  maxRequestBodyBytes?: number;
  /**
   * Largest import file (`POST /api/imports`), in bytes; larger ones get 413.
   * @default 256 MiB
   */
  maxImportBytes?: number;
  /**
   * Interval of the heartbeat comment on the live stream (`GET /api/exchanges/stream`), which
   * keeps proxies and idle timers from closing it.
   * @default 15_000
   */
  heartbeatMs?: number;
  /** @default silentLogger */
  logger?: Logger;
}

/** A running inspector. */
export interface Inspector {
  /** Its base URL, e.g. `http://127.0.0.1:4040`. */
  readonly url: string;
  /** The port it listens on (useful with `port: 0`). */
  readonly port: number;
  /** Stops listening and closes open connections. Idempotent. */
  close(): Promise<void>;
}
