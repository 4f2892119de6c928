/**
 * @module
 * A local Okta org: the Event Hooks Management API and the System Log API as Okta answers
 * them (node:http, state in one SQLite file), the actions that make events, verification and
 * delivery by Okta's rules (timeout, retry, batching, quota).
 *
 * Imports only `okta` and `log`; the CLI composes it.
 */
export type { DeliveryChannel } from "./delivery/channel.js";
export { channelHeaders, hookServiceUserAgent } from "./delivery/channel.js";
export type { Clock, TimerHandle } from "./delivery/clock.js";
export { systemClock } from "./delivery/clock.js";
export { createDeliveryEngine } from "./delivery/engine.js";
export type {
  ChaosOptions,
  DeliveryAttemptRecord,
  DeliveryEngine,
  DeliveryEngineOptions,
  DeliveryFailureCause,
  DeliveryFailureKind,
  DeliveryHook,
  DeliveryResult,
  DeliverySettings,
  DeliveryStats,
  EnqueueResult,
} from "./delivery/engine-types.js";
export type {
  HeaderPairs,
  OutboundFailure,
  OutboundFailureKind,
  OutboundRequest,
  OutboundResponse,
  OutboundResult,
  OutboundTlsOptions,
} from "./delivery/outbound.js";
export { RESPONSE_BODY_LIMIT_BYTES, sendOutbound } from "./delivery/outbound.js";
export type { QuotaUsage } from "./delivery/quota.js";
export { OKTA_DAILY_EVENT_QUOTA } from "./delivery/quota.js";
export {
  DEFAULT_BATCH_WINDOW_MS,
  DEFAULT_MAX_BATCH_EVENTS,
  DEFAULT_MAX_IN_FLIGHT_PER_HOOK,
  DEFAULT_REORDER_WINDOW_MS,
  DEFAULT_RETRY_DELAY_MS,
} from "./delivery/settings.js";
export type {
  VerificationAttempt,
  VerificationFailureKind,
  VerificationResult,
  VerifyOptions,
} from "./delivery/verify.js";
export { verifyEventHook } from "./delivery/verify.js";
export type { DeliveryKnobs } from "./dispatch/settings.js";
export { checkKnobs } from "./dispatch/settings.js";
export type { EmulatorEngines, VerifyEventHook } from "./engines.js";
export { MAX_EVENT_HOOKS_PER_ORG } from "./event-hooks/routes.js";
export { toEventHookJson } from "./event-hooks/serialize.js";
export { MAX_EVENT_TYPES_PER_HOOK } from "./event-hooks/validate.js";
export type { DeliveryView } from "./hooktap-api/delivery-view.js";
export type { TriggerRun } from "./hooktap-api/trigger.js";
export { MAX_TRIGGER_COUNT } from "./hooktap-api/trigger.js";
export type { DeliveryFailureInput } from "./logic/delivery-failure-event.js";
export { deliveryFailureEvent, OKTA_SYSTEM_ACTOR } from "./logic/delivery-failure-event.js";
export type { RoutableHook } from "./logic/hook-match.js";
export { hookMatchesEvent, passesFilter } from "./logic/hook-match.js";
export { toDeliveryLogEvent, toSystemLogEvent } from "./logic/log-event-shape.js";
export type { LogFilterPredicate } from "./logic/log-filter.js";
export { compileLogFilter } from "./logic/log-filter.js";
export type {
  LogFilterErrorCode,
  LogFilterLiteral,
  LogFilterNode,
  LogFilterOperator,
} from "./logic/log-filter-parse.js";
export { LogFilterError, parseLogFilter } from "./logic/log-filter-parse.js";
export {
  compileLogQuery,
  LogQueryError,
  MAX_QUERY_TERM_LENGTH,
  MAX_QUERY_TERMS,
  matchesLogQuery,
} from "./logic/log-query.js";
export type { ActionUser, UserAction, UserActionContext } from "./logic/user-actions.js";
export { EMULATOR_ADMIN_ACTOR, USER_ACTIONS, userActionEvents } from "./logic/user-actions.js";
export type { OrgAdmin, OrgIdentity } from "./org.js";
export { newApiToken } from "./org.js";
export {
  DEFAULT_OKTA_EMULATOR_HOST,
  DEFAULT_OKTA_EMULATOR_PORT,
  startOktaEmulator,
} from "./server.js";
export type { EmulatorStoreErrorCode } from "./store/errors.js";
export { EmulatorStoreError } from "./store/errors.js";
export type { EmulatorStore, EmulatorStoreOptions } from "./store/open-store.js";
export { openEmulatorStore } from "./store/open-store.js";
export { readStoredOktaToken } from "./store/read-token.js";
export type { LogListener, LogPosition, LogScan } from "./store/system-log.js";
export type {
  StoredAuthScheme,
  StoredChannel,
  StoredEventHook,
  StoredLogEvent,
} from "./store/types.js";
export type { OktaEmulator, OktaEmulatorOptions } from "./types.js";
