/**
 * @module
 * The relay's storage: agent tokens, endpoint reservations and the durable queue of requests
 * received while an agent was away, behind the async {@link RelayStore} interface, with the
 * embedded SQLite implementation ({@link openSqliteRelayStore}) and the retry policy.
 *
 * @example
 * const store = await openSqliteRelayStore(".hooktap/relay.db", { logger });
 * const item = await store.nextDue("okta-dev", Date.now());
 * if (item !== null) {
 *   // …deliver it; on a non-2xx answer:
 *   await store.recordAttempt(item.id, {
 *     status: 503,
 *     nextAttemptAt: Date.now() + nextRetryDelayMs(item.attempts + 1),
 *   });
 * }
 */
export {
  FIRST_RETRY_DELAY_MS,
  KEEP_DELIVERED_MS,
  MAX_RETRY_DELAY_MS,
  nextRetryDelayMs,
  QUEUE_TTL_MS,
  RETRY_JITTER_RATIO,
} from "./backoff.js";
export { StoreError, type StoreErrorCode, type StoreErrorOptions } from "./errors.js";
export { ENDPOINT_NAME_PATTERN, isValidEndpointName, TOKEN_NAME_PATTERN } from "./names.js";
export { openSqliteRelayStore, type SqliteRelayStoreOptions } from "./open-sqlite-relay-store.js";
export type {
  AttemptRecord,
  CreatedToken,
  EnqueueOptions,
  HistoryOptions,
  ListRequestsOptions,
  MarkDeliveredOptions,
  PendingOptions,
  QueueSelection,
  RelayStore,
  RequestFilter,
  ReserveResult,
} from "./relay-store.js";
export { RELAY_DB_APPLICATION_ID, SCHEMA_VERSION } from "./sqlite-schema.js";
export { looksLikeTokenSecret, TOKEN_SECRET_PREFIX } from "./token-secret.js";
export type {
  AgentToken,
  EndpointReservation,
  NewQueuedRequest,
  QueuedRequest,
  QueuedRequestState,
  QueuedRequestSummary,
} from "./types.js";
export { QUEUE_STATES } from "./types.js";
export { DEFAULT_HISTORY_LIMIT, MAX_ERROR_CHARS, MAX_HISTORY_LIMIT } from "./validate.js";
