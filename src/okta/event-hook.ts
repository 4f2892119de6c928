/**
 * The EventHook object of the Event Hooks Management API (shared spec §5.2) and its parts.
 * Plain data: the emulator acts on it, the CLI and web console display it.
 */

/** `status`. */
export type EventHookStatus = "ACTIVE" | "INACTIVE";

/** `verificationStatus`. */
export type EventHookVerificationStatus = "UNVERIFIED" | "VERIFIED";

/** One entry of `events.filter.eventFilterMap` (early access). */
export interface EventFilterMapEntry {
  /** One of `events.items`. */
  event: string;
  condition: { expression: string; version: string | null };
}

/** `events.filter`. */
export interface EventHookFilters {
  type: "EXPRESSION_LANGUAGE";
  eventFilterMap: EventFilterMapEntry[];
}

/** `events`. */
export interface EventSubscriptions {
  type: "EVENT_TYPE";
  /** Event-hook-eligible type ids, at most 300. Okta may return them in another order. */
  items: string[];
  filter: EventHookFilters | null;
}

/** `channel.config.authScheme`. `value` is write-only: Okta never returns it. */
export interface EventHookAuthScheme {
  type: "HEADER";
  key: string;
  value?: string;
}

/** `channel.config`. */
export interface EventHookChannelConfig {
  uri: string;
  headers: { key: string; value: string }[];
  /** Read-only, always `"POST"`. */
  method: "POST";
  authScheme: EventHookAuthScheme | null;
}

/** `channel`. */
export interface EventHookChannel {
  type: "HTTP";
  version: "1.0.0";
  config: EventHookChannelConfig;
}

/** A HAL link; lifecycle links carry `hints.allow`. */
export interface HalLink {
  href: string;
  hints?: { allow: string[] };
}

/** The EventHook object as Okta returns it. */
export interface EventHook {
  /** `who` + 17 alphanumerics. */
  id: string;
  status: EventHookStatus;
  verificationStatus: EventHookVerificationStatus;
  name: string;
  description: string | null;
  /** Second precision, e.g. `2025-03-13T23:36:13.000Z`. */
  created: string;
  createdBy: string;
  lastUpdated: string;
  events: EventSubscriptions;
  channel: EventHookChannel;
  _links: Record<string, HalLink>;
}
