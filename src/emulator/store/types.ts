/**
 * What the emulator keeps: plain data that crosses the store boundary.
 */
import type {
  EventHookStatus,
  EventHookVerificationStatus,
  EventSubscriptions,
  SystemLogEvent,
} from "../../okta/index.js";

/** `channel.config.authScheme` as stored: the secret `value` included (never serialized out). */
export interface StoredAuthScheme {
  type: "HEADER";
  key: string;
  value: string;
}

/** `channel` as stored. */
export interface StoredChannel {
  type: "HTTP";
  version: "1.0.0";
  config: {
    uri: string;
    headers: { key: string; value: string }[];
    method: "POST";
    authScheme: StoredAuthScheme | null;
  };
}

/** One event hook as stored; `toEventHookJson` turns it into Okta's object. */
export interface StoredEventHook {
  /** `who` + 17 alphanumerics. */
  id: string;
  name: string;
  description: string | null;
  status: EventHookStatus;
  verificationStatus: EventHookVerificationStatus;
  /** Epoch milliseconds, whole seconds (Okta's timestamps have second precision). */
  createdAt: number;
  /** Id (`00u…`) of the admin who created it. */
  createdBy: string;
  lastUpdatedAt: number;
  events: EventSubscriptions;
  channel: StoredChannel;
}

/** A System Log event as stored: the LogEvent and where it sits in the log. */
export interface StoredLogEvent {
  /** Persistence order, 1-based, strictly increasing. */
  seq: number;
  /** When it was persisted (monotonic), epoch milliseconds. */
  insertedAt: number;
  /** `published`, epoch milliseconds. */
  publishedAt: number;
  event: SystemLogEvent;
}
