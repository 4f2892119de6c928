/**
 * The relay's stored data as plain, serialisable types, shared by every `RelayStore`
 * implementation and by the relay code that acts on them. Nothing here has behaviour.
 *
 * Times are epoch milliseconds (integers) throughout.
 */

/**
 * An agent token as listed to operators: never the secret, which exists only in the answer of
 * `createToken` (the store keeps its SHA-256 hash).
 */
export interface AgentToken {
  /** Opaque, sortable, starts with `tok_` (never a valid token name, so `revokeToken` can take either). */
  id: string;
  /** 1–64 characters of `[A-Za-z0-9._-]`, unique among non-revoked tokens. */
  name: string;
  createdAt: number;
  /** When `authenticate` last accepted this token's secret. */
  lastUsedAt: number | null;
  /** When the token was revoked; a revoked token never authenticates again. */
  revokedAt: number | null;
}

/** A reserved endpoint name: the permanent URL `https://<relay>/<name>/…` belongs to `tokenId`. */
export interface EndpointReservation {
  name: string;
  tokenId: string;
  createdAt: number;
}

/** Where a queued request is in its life: waiting, answered 2xx by the app, or given up on. */
export type QueuedRequestState = "pending" | "delivered" | "failed";

/** Every {@link QueuedRequestState}, in the order a request goes through them. */
export const QUEUE_STATES: readonly QueuedRequestState[] = ["pending", "delivered", "failed"];

/**
 * A request the relay accepted for an endpoint whose agent was away, kept byte for byte
 * (design principle 1) with its delivery bookkeeping.
 */
export interface QueuedRequest {
  /** Sortable (a ULID with a `req_` prefix); later requests of one store sort after earlier ones. */
  id: string;
  endpoint: string;
  /** The request line's method, as received (e.g. `POST`). */
  method: string;
  /** The request line's target below the endpoint, as received (e.g. `/userCreated?x=1`). */
  target: string;
  /** e.g. `1.1`. */
  httpVersion: string;
  /** Header pairs in arrival order, names in their original case, repeats kept. */
  rawHeaders: [string, string][];
  /** The body bytes, exactly as received. */
  body: Uint8Array;
  /** The sender's address as the relay saw it. */
  remoteAddress: string;
  /** When the relay finished receiving the request. */
  receivedAt: number;
  /** Delivery attempts made so far (`recordAttempt` and `markDelivered` each count one). */
  attempts: number;
  /** Not to be delivered before this time. */
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  /** Why the last attempt (or, once failed, the whole delivery) did not succeed; `null` after success. */
  lastError: string | null;
  /** The app's status code on the last attempt, `null` when that attempt got no answer. */
  lastStatus: number | null;
  state: QueuedRequestState;
  deliveredAt: number | null;
  /** When the request was marked failed (by `markFailed` or `expire`). */
  failedAt: number | null;
  /** A request still pending at this time becomes failed (`expire`). */
  expiresAt: number;
}

/** What the relay hands to `enqueue`: the request as received; the store adds the rest. */
export type NewQueuedRequest = Pick<
  QueuedRequest,
  | "endpoint"
  | "method"
  | "target"
  | "httpVersion"
  | "rawHeaders"
  | "body"
  | "remoteAddress"
  | "receivedAt"
>;

/**
 * A queued request as listed to operators: its bookkeeping and the body's size, without the
 * body and the headers (which may hold the endpoint's auth secret).
 */
export type QueuedRequestSummary = Omit<QueuedRequest, "body" | "rawHeaders"> & {
  /** The body's size in bytes. */
  bodyBytes: number;
};
