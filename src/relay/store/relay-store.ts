/**
 * The relay's storage contract. Every method is async so that a PostgreSQL implementation shared
 * by a fleet of relays fits behind it unchanged (design principle 6); `relay-store.case.ts` is
 * the contract suite every implementation runs. Errors are rejections with a `StoreError`.
 */
import type { EdgePolicy } from "../../protocol/index.js";
import type {
  AgentToken,
  EndpointReservation,
  NewQueuedRequest,
  QueuedRequest,
  QueuedRequestState,
  QueuedRequestSummary,
} from "./types.js";

/** The answer of {@link RelayStore.createToken}: the token and its secret, shown this once. */
export interface CreatedToken {
  token: AgentToken;
  /** `htk_` + 40 base62 characters. Only its SHA-256 hash is stored. */
  secret: string;
}

/**
 * The answer of {@link RelayStore.reserveEndpoint}: `reserved` (it is now this token's),
 * `owned` (it already was), `taken` (another token, revoked or not, owns it).
 */
export type ReserveResult = "reserved" | "owned" | "taken";

/** Options of {@link RelayStore.enqueue}. */
export interface EnqueueOptions {
  /** How long after `receivedAt` the request may still be delivered. @default QUEUE_TTL_MS (24 h) */
  ttlMs?: number;
}

/** One failed delivery attempt, for {@link RelayStore.recordAttempt}. */
export interface AttemptRecord {
  /** The app's status code, when it answered (non-2xx). */
  status?: number;
  /** What went wrong (timeout, connection refused, agent gone…); cut to 2,000 characters. */
  error?: string;
  /** When to try again, usually `at + nextRetryDelayMs(attempts + 1)`. */
  nextAttemptAt: number;
  /** When the attempt was made. @default the store's clock */
  at?: number;
}

/** Options of {@link RelayStore.markDelivered}. */
export interface MarkDeliveredOptions {
  /** When the attempt that got the answer started. */
  attemptStartedAt?: number;
}

/** Options of {@link RelayStore.pending}. */
export interface PendingOptions {
  /** At most this many items, oldest first. @default all */
  limit?: number;
}

/** Options of {@link RelayStore.history}. */
export interface HistoryOptions {
  /** At most this many items (1–1000). @default 50 */
  limit?: number;
  /** Only items that arrived before the item with this id (the last id of the previous page). */
  before?: string;
}

/** Which queued requests {@link RelayStore.listRequests} and {@link RelayStore.countRequests} see. */
export interface RequestFilter {
  /** Only this endpoint's requests; a name nobody reserved is `not_found`. @default every endpoint */
  endpoint?: string;
  /** Only requests in this state. @default every state */
  state?: QueuedRequestState;
}

/** Options of {@link RelayStore.listRequests}. */
export interface ListRequestsOptions extends RequestFilter {
  /** At most this many items (1–1000). @default 50 */
  limit?: number;
  /** Only items that arrived before the item with this id (the last id of the previous page). */
  before?: string;
}

/**
 * The queued requests an operator acts on: the ones with these ids (all of them or none), or
 * every failed one; either way only those of `endpoint` when it is given.
 */
export type QueueSelection =
  | { ids: readonly string[]; endpoint?: string }
  | { failed: true; endpoint?: string };

/**
 * Tokens, endpoint reservations and the durable queue of one relay (or of a fleet sharing it).
 *
 * Revoking a token keeps its endpoint reservations: the names stay taken, and nobody can use
 * them until an operator releases them. Okta keeps sending to a hook's URL after the token that
 * owned it is revoked; handing the name to the next token that asks would hand it that traffic.
 *
 * @example
 * const store = await openSqliteRelayStore(".hooktap/relay.db");
 * const { token, secret } = await store.createToken("laptop");
 * await store.reserveEndpoint("okta-dev", token.id); // "reserved"
 */
export interface RelayStore {
  /**
   * Creates a token named `name` (1–64 of `[A-Za-z0-9._-]`, unique among non-revoked tokens;
   * otherwise `invalid_name` or `name_taken`).
   */
  createToken(name: string): Promise<CreatedToken>;
  /** Every token, revoked ones included, oldest first. */
  listTokens(): Promise<AgentToken[]>;
  /**
   * Revokes a token given its id (`tok_…`) or the name of a non-revoked token, and resolves with
   * it. Revoking a revoked token by id changes nothing. Unknown → `not_found`.
   */
  revokeToken(idOrName: string): Promise<AgentToken>;
  /** The token with this id, revoked or not, or `null`. */
  getToken(id: string): Promise<AgentToken | null>;
  /**
   * The non-revoked token whose secret this is, with `lastUsedAt` set to now; otherwise `null`
   * (unknown, revoked, or not shaped like a secret). Never rejects for a bad secret.
   */
  authenticate(secret: string): Promise<AgentToken | null>;

  /**
   * Atomically gives `name` to `tokenId` if nobody has it. The first token to reserve a name
   * owns it until it releases it, across restarts. Rejects with `invalid_name`, `not_found`
   * (unknown token) or `token_revoked`.
   */
  reserveEndpoint(name: string, tokenId: string): Promise<ReserveResult>;
  /** Who owns `name`, or `null`. */
  endpointOwner(name: string): Promise<EndpointReservation | null>;
  /** All reservations (or those of `tokenId`), sorted by name. */
  listEndpoints(tokenId?: string): Promise<EndpointReservation[]>;
  /**
   * Gives `name` up if `tokenId` owns it (resolves `true`; otherwise `false` and nothing
   * changes). Its queued requests, pending or past, are deleted in the same transaction: the next
   * owner of the name must not see the previous owner's traffic.
   */
  releaseEndpoint(name: string, tokenId: string): Promise<boolean>;
  /**
   * Stores the edge policy of a reserved endpoint (else `not_found`), replacing the previous
   * one, so the relay can apply it while the endpoint's agent is away. A malformed policy is
   * `invalid_argument`. Only the fields of `EdgePolicy` are kept. The required header's value is
   * stored as is: the relay must compare it, and it also sits in every queued request's headers.
   */
  setEndpointPolicy(name: string, policy: EdgePolicy): Promise<void>;
  /** The last policy stored for `name`, or `null` (never stored, or no such endpoint). */
  endpointPolicy(name: string): Promise<EdgePolicy | null>;

  /**
   * Persists a request for a reserved endpoint (else `not_found`) as `pending`, due at once,
   * expiring at `receivedAt + ttlMs`. When the promise resolves the request is durable: the relay
   * answers the sender only then.
   */
  enqueue(request: NewQueuedRequest, options?: EnqueueOptions): Promise<QueuedRequest>;
  /**
   * The oldest pending request of `endpoint` if it is due (`nextAttemptAt ≤ now`), else `null`,
   * even when a later request would be due: requests are delivered strictly in arrival order
   * (the order `enqueue` resolved), so a request waiting for its retry holds back the ones behind
   * it. Expiry is not checked here; the relay calls {@link RelayStore.expire} on its own beat.
   */
  nextDue(endpoint: string, now: number): Promise<QueuedRequest | null>;
  /** The pending requests of `endpoint` in arrival order, due or not. */
  pending(endpoint: string, options?: PendingOptions): Promise<QueuedRequest[]>;
  /** How many requests of `endpoint` are pending, without reading them. */
  countPending(endpoint: string): Promise<number>;
  /**
   * Records a failed attempt on a pending request: `attempts + 1`, `lastAttemptAt`, `lastStatus`,
   * `lastError`, `nextAttemptAt`. Rejects with `not_found` or `invalid_state` (not pending).
   */
  recordAttempt(id: string, attempt: AttemptRecord): Promise<QueuedRequest>;
  /**
   * The app answered `status` (2xx) at `at`: the request is delivered (one more attempt
   * counted). With `attemptStartedAt`, a request whose retry window ran out while that attempt
   * was in flight (failed by {@link RelayStore.expire} at or after it) is delivered too: the app
   * has it, and a failed request would be retried into a duplicate. Otherwise a request that is
   * not pending is `invalid_state`.
   */
  markDelivered(
    id: string,
    status: number,
    at: number,
    options?: MarkDeliveredOptions,
  ): Promise<QueuedRequest>;
  /** Gives up on a pending request: failed at `at`, `reason` kept as `lastError`; replayable from history. */
  markFailed(id: string, reason: string, at: number): Promise<QueuedRequest>;
  /** Marks every pending request whose `expiresAt ≤ now` failed; resolves with how many. */
  expire(now: number): Promise<number>;
  /**
   * Deletes every delivered request whose `deliveredAt < before`; resolves with how many.
   * Pending and failed requests are never touched (failed ones wait for an operator's retry or
   * drop). The relay calls it on its own beat, as {@link RelayStore.expire}; it does not change
   * the revision, since nothing a relay holds depends on a delivered request.
   */
  pruneDelivered(before: number): Promise<number>;
  /** One request by id, in any state, or `null`. */
  get(id: string): Promise<QueuedRequest | null>;
  /** Requests of `endpoint` in any state, newest first, a page at a time. */
  history(endpoint: string, options?: HistoryOptions): Promise<QueuedRequest[]>;
  /** Requests of every endpoint (or one), in every state (or one), newest first, a page at a time. */
  listRequests(options?: ListRequestsOptions): Promise<QueuedRequestSummary[]>;
  /** How many requests {@link RelayStore.listRequests} would see without a limit. */
  countRequests(filter?: RequestFilter): Promise<number>;
  /**
   * Puts failed requests back in the queue: pending, due now, their attempt history cleared
   * (attempts 0, no last attempt, error or status), with a new retry window as long as the one
   * they got when they arrived. They keep their
   * place in arrival order, so each goes before the pending requests that arrived after it.
   * All or nothing: an unknown id (or one of another endpoint) is `not_found`, a request that
   * is not failed `invalid_state`, and then nothing changes. Resolves with the requests put
   * back, in arrival order; changes {@link RelayStore.revision} when there are any.
   */
  retryRequests(selection: QueueSelection): Promise<QueuedRequestSummary[]>;
  /**
   * Deletes requests, whatever their state (a pending one that keeps failing holds back its
   * endpoint's queue). All or nothing, as {@link RelayStore.retryRequests}. Resolves with the
   * requests deleted, in arrival order; changes the revision when there are any.
   */
  dropRequests(selection: QueueSelection): Promise<QueuedRequestSummary[]>;

  /**
   * A number that changes whenever a change is made that a running relay must notice although
   * another process (or another relay of a fleet) made it: `revokeToken` changing a token,
   * `retryRequests` and `dropRequests` changing requests. The relay reads it on a short timer;
   * comparing it is all a tick costs when nothing changed. Only its changes mean something.
   */
  revision(): Promise<number>;

  /** Releases the storage. Idempotent; every other method rejects with `closed` afterwards. */
  close(): Promise<void>;
}
