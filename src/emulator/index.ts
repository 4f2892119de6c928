/**
 * @module
 * A local Okta org: the Event Hooks Management API, the actions that make events, the System
 * Log, verification and delivery by Okta's rules (timeout, retry, batching, quota).
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
export { toDeliveryLogEvent, toSystemLogEvent } from "./logic/log-event-shape.js";
