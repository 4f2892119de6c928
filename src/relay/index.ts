/**
 * @module
 * The relay: public HTTP(S) ingress routed by path prefix and subdomain, the agent gateway
 * (WebSocket, token authentication, permanent endpoint reservations, heartbeats), edge
 * policies (body limit, required header, Okta's challenge answered at the edge), live
 * byte-exact forwarding over the protocol's mux, and the durable queue delivered in arrival
 * order when the agent is back. Also re-exports the storage (`./store/`).
 *
 * @example
 * const store = await openSqliteRelayStore(".hooktap/relay.db");
 * const relay = await startRelay({ store, port: 8080, domain: "relay.example.com" });
 * // agents: hooktap http 3000 --relay ${relay.agentUrl} --token htk_…
 * await relay.close();
 * await store.close();
 */
export type { LinkSocket } from "../protocol/index.js";
export type { EndpointStatus } from "./directory.js";
export {
  ERROR_CODE_HEADER,
  QUEUE_ID_HEADER,
  RELAY_ERROR_STATUS,
  type RelayErrorCode,
} from "./errors.js";
export {
  AGENT_PATH,
  DEFAULT_DELIVERY_TIMEOUT_MS,
  DEFAULT_EDGE_POLICY,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_RELAY_HOST,
  DEFAULT_RELAY_PORT,
  DEFAULT_STORE_WATCH_MS,
  type RelayOptions,
} from "./options.js";
export { type Relay, startRelay } from "./relay.js";
export * from "./store/index.js";
