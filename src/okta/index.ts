/**
 * @module
 * The Okta domain as data and pure functions: delivery envelope and LogEvent types, the
 * EventHook and error objects, the catalog of event-hook-eligible types, builders of
 * realistic events and deliveries, and the event hook filter language.
 *
 * Knows nothing else in hooktap; every other component may import it.
 */

export type { BuildDeliveryOptions } from "./build-delivery.js";
export { buildDelivery, serializeDelivery } from "./build-delivery.js";
export type { LogEventOverrides } from "./build-log-event.js";
export { buildLogEvent } from "./build-log-event.js";
export type { EventTypeInfo } from "./catalog.js";
export {
  describeEventType,
  eventTypeCategories,
  isEventHookEligible,
  listEventTypes,
  listEventTypesByCategory,
  targetTypesOf,
} from "./catalog.js";
export type { EventHookEligibleType } from "./catalog-data.js";
export { CATALOG_RELEASE } from "./catalog-data.js";
export type { Delivery } from "./delivery.js";
export {
  DELIVERY_EVENT_TYPE,
  OKTA_TIMEOUT_MS,
  oktaUserAgent,
  VERIFICATION_CHALLENGE_HEADER,
} from "./delivery.js";
export type { OktaError } from "./error.js";
export type {
  EventFilterMapEntry,
  EventHook,
  EventHookAuthScheme,
  EventHookChannel,
  EventHookChannelConfig,
  EventHookFilters,
  EventHookStatus,
  EventHookVerificationStatus,
  EventSubscriptions,
  HalLink,
} from "./event-hook.js";
export type { FilterableEvent, FilterExpression } from "./filter/index.js";
export {
  compileFilter,
  evaluateFilter,
  FilterSyntaxError,
  formatFilter,
  parseFilter,
} from "./filter/index.js";
export {
  newEventHookId,
  newGroupId,
  newOktaId,
  newRequestId,
  newUserId,
  newUuidV1,
  newUuidV4,
} from "./ids.js";
export type {
  AnyLogEvent,
  DeliveryLogClient,
  DeliveryLogEvent,
  GeographicalContext,
  IpAddress,
  LogActor,
  LogAuthenticationContext,
  LogClient,
  LogDebugContext,
  LogOutcome,
  LogSecurityContext,
  LogTarget,
  LogTransaction,
  OutcomeResult,
  Severity,
  SystemLogEvent,
  UserAgent,
} from "./log-event.js";
export { ipChainOf } from "./log-event.js";
