/**
 * The agent's keep-alive connections to the app. A new TCP connection per exchange (plus a
 * `localhost` lookup on the thread pool) cost more than everything else the agent does for a
 * small webhook; a pool of idle connections makes it a write on a socket that is already open.
 *
 * Keep-alive has one race: the app's idle timer closes a connection at the moment the agent
 * picks it for the next request. The pool keeps that window small, and upstream-call.ts
 * closes it (one retry on a fresh connection):
 * - an idle connection is dropped after `keepAliveMs` (4 s by default, under the 5 s of
 *   Node's and most frameworks' servers);
 * - an app that announces its own timeout (`Keep-Alive: timeout=N`) is believed: Node's agent
 *   drops the connection a second before N, and does not reuse it at all when N ≤ 1;
 * - the most recently used connection is reused first (`lifo`), so the others age out.
 */
import http from "node:http";
import https from "node:https";
import type { ParsedUpstream } from "./options.js";

/** Idle connections kept per app; more are closed as their requests end. */
const MAX_IDLE_CONNECTIONS = 64;

/**
 * The `agent` option of each request to the app: a keep-alive pool, or `false` (a connection
 * per request) when `keepAliveMs` is 0.
 *
 * @example
 * const pool = createUpstreamPool(upstream, DEFAULT_UPSTREAM_KEEP_ALIVE_MS);
 * http.request({ ...options, agent: pool.agent });
 * pool.close(); // when the agent closes
 */
export function createUpstreamPool(
  upstream: ParsedUpstream,
  keepAliveMs: number,
): { agent: http.Agent | false; close: () => void } {
  if (keepAliveMs === 0) return { agent: false, close: () => {} };
  const options: http.AgentOptions = {
    keepAlive: true,
    // Node applies `timeout` to idle sockets (destroyed when it fires) and lowers it to a
    // second under the app's `Keep-Alive: timeout=N`; on a busy socket it only emits
    // 'timeout', which the agent ignores (the app's pace is `upstreamTimeoutMs`'s business).
    timeout: keepAliveMs,
    maxFreeSockets: MAX_IDLE_CONNECTIONS,
    scheduling: "lifo",
  };
  const agent = upstream.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
  return { agent, close: () => agent.destroy() };
}
