/**
 * @module
 * A local Okta org: the Event Hooks Management API, the actions that make events, the System
 * Log, verification and delivery by Okta's rules (timeout, retry, batching, quota).
 *
 * Imports only `okta` and `log`; the CLI composes it.
 */
export type { DeliveryChannel } from "./delivery/channel.js";
export { channelHeaders, hookServiceUserAgent } from "./delivery/channel.js";
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
export type {
  VerificationAttempt,
  VerificationFailureKind,
  VerificationResult,
  VerifyOptions,
} from "./delivery/verify.js";
export { verifyEventHook } from "./delivery/verify.js";
