/**
 * @module
 * The tunnel agent: connects to a relay over one WebSocket (or an in-process link to a relay in
 * the same process), authenticates with a token, claims
 * an endpoint, and forwards every request the relay sends to a local upstream byte for byte,
 * returning the app's response the same way. It redials with backoff and jitter, watches
 * heartbeats both ways (and notices that the machine slept), records every exchange in a
 * capture store, and keeps counters for a status display.
 *
 * Imports `protocol` and `capture` (and `log`); never the relay, the inspector or the CLI.
 */

export type { LinkSocket } from "../protocol/index.js";
export { startAgent } from "./agent.js";
export type { AgentErrorCode, AgentErrorOptions } from "./errors.js";
export { AgentError } from "./errors.js";
export type { UpstreamHeaderInput } from "./forward-headers.js";
export { upstreamHeaders, withoutHopByHop } from "./forward-headers.js";
export type { ParsedUpstream } from "./options.js";
export {
  AGENT_GATEWAY_PATH,
  DEFAULT_EDGE_POLICY,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  DEFAULT_RECONNECT_MIN_DELAY_MS,
  DEFAULT_UPSTREAM_KEEP_ALIVE_MS,
  parseUpstream,
} from "./options.js";
export type { ReplayerOptions } from "./replay.js";
export { createReplayer, DEFAULT_REPLAY_TIMEOUT_MS } from "./replay.js";
export { LATENCY_WINDOW } from "./stats.js";
export type {
  Agent,
  AgentErrorInfo,
  AgentEvents,
  AgentExchange,
  AgentExchangeOrigin,
  AgentListener,
  AgentOptions,
  AgentState,
  AgentStateChange,
  AgentStats,
  HostHeaderMode,
  ReconnectOptions,
  StatusClass,
} from "./types.js";
export type { UpstreamFailureCode } from "./upstream-errors.js";
export { ERROR_CODE_HEADER } from "./upstream-errors.js";
