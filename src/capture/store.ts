/**
 * The contract of a capture store: where exchanges are kept, listed and watched. Two
 * implementations (SQLite, memory) pass one contract suite (`capture-store.case.ts`).
 *
 * Synchronous by design. The agent writes on its hot path and better-sqlite3 is synchronous: a
 * write returns the exchange as stored, a `get` or `list` right after it sees it, and a bad or
 * failing write throws at its caller. The SQLite store groups the writes of one event-loop turn
 * into one transaction committed by `setImmediate`, and under load those of up to 10 ms
 * (`commitIntervalMs`, sqlite-turn.ts). Other connections (an inspector in another process)
 * see a write once it is committed; a crash (SIGKILL) loses at most the writes of the commit it
 * interrupts (a power cut may lose more: WAL `synchronous = NORMAL`); two read-write stores on
 * one file in one thread would wait on each other's write lock, so a process opens one per
 * file; a commit that fails is logged and its writes are undone, and listeners are told (a
 * `delete` with reason `rollback` for what they saw inserted, the restored exchange for the
 * rest). `delete`, `clear` and `close` commit at once.
 */
import type { Logger } from "../log/index.js";
import type { Exchange, ExchangeOrigin, ExchangePatch } from "./types.js";

/** A list page holds 50 exchanges unless asked otherwise. */
export const DEFAULT_LIST_LIMIT = 50;
/** The largest list page; a larger `limit` is refused. */
export const MAX_LIST_LIMIT = 1000;
/** Retention keeps at most this many exchanges by default. */
export const DEFAULT_RETENTION_MAX_EXCHANGES = 10_000;
/** Retention keeps at most this many stored body bytes by default: 500 MiB. */
export const DEFAULT_RETENTION_MAX_BYTES = 500 * 1024 * 1024;

/**
 * How much history to keep. The oldest exchanges (by id) go first, right after the write that
 * crossed a limit; the exchange just written is never evicted, even when it alone is over.
 */
export interface RetentionOptions {
  /**
   * Most exchanges kept; `Infinity` for no limit.
   * @default 10_000
   */
  maxExchanges?: number;
  /**
   * Most stored body bytes (request plus response bodies, after truncation) kept; `Infinity`
   * for no limit.
   * @default 500 MiB
   */
  maxBytes?: number;
}

/** Options every capture store takes. */
export interface CaptureStoreOptions {
  /**
   * Bodies are cut to this many bytes when stored (their wire `size` is kept and `truncated`
   * set); 0 keeps sizes only.
   * @default DEFAULT_CAPTURE_BODY_LIMIT_BYTES (10 MiB)
   */
  bodyLimitBytes?: number;
  retention?: RetentionOptions;
  /** Receives evictions, migrations and failing listeners. @default silentLogger */
  logger?: Logger;
}

/** A header filter of {@link ListQuery}: a request or response header with this name and value. */
export interface HeaderFilter {
  /** The header's name, compared case-insensitively. */
  name: string;
  /** A substring of the value, compared case-insensitively (ASCII); "" matches any value. */
  value: string;
}

/**
 * A page request of {@link CaptureStore.list}, newest first. Every filter given must match
 * (they combine with AND); each is checked, and a bad one is refused with `invalid_argument`
 * naming it in `field`.
 */
export interface ListQuery {
  /**
   * Exchanges per page, 1..1000.
   * @default 50
   */
  limit?: number;
  /** A cursor: only exchanges with an id lower (older) than this one. Need not still exist. */
  before?: string;
  /** Only this endpoint's exchanges. */
  endpoint?: string;
  /** Only this request method, compared case-insensitively (`post` finds `POST`). */
  method?: string;
  /**
   * Only targets whose path starts with this (case-sensitive, as paths are): `/okta` finds
   * `/okta/events?x=1`. Must not contain `?` or `#`.
   */
  path?: string;
  /**
   * Only exchanges answered with this status (`404` or `"404"`) or class of statuses (`"2xx"`,
   * case-insensitive); exchanges without a response never match.
   */
  status?: number | string;
  /** Only done exchanges that took at least this long (`doneAt − receivedAt`, ms). */
  minDurationMs?: number;
  /** Only done exchanges that took at most this long (`doneAt − receivedAt`, ms). */
  maxDurationMs?: number;
  /** Only exchanges of this origin. */
  origin?: ExchangeOrigin;
  /** Only exchanges with a request or response header matching this. */
  header?: HeaderFilter;
  /** Only Okta deliveries with an event of this type, e.g. `user.lifecycle.create` (exact). */
  oktaEventType?: string;
  /**
   * Only Okta deliveries with a `User` target whose id or alternateId is this (exact,
   * case-insensitive): `00u3m90rxKjGQ0G6L1d6` or `john.doe@example.com`.
   */
  targetUser?: string;
  /**
   * Full-text search in the target and the request and response bodies: the words of the text
   * in sequence, the last one as a prefix, case- and accent-insensitive (see search-text.ts).
   * Must hold a letter or a digit.
   */
  text?: string;
  /** Only replays of this exchange. */
  parentId?: string;
}

/** The filters of a {@link ListQuery}: everything but its page fields. */
export type ListFilters = Omit<ListQuery, "limit" | "before">;

/** The name of every filter of {@link ListQuery}, for validation, help texts and API documents. */
export const LIST_FILTER_KEYS = [
  "endpoint",
  "method",
  "path",
  "status",
  "minDurationMs",
  "maxDurationMs",
  "origin",
  "header",
  "oktaEventType",
  "targetUser",
  "text",
  "parentId",
] as const satisfies readonly (keyof ListFilters)[];

/** The page fields of a {@link ListQuery}. */
export const LIST_PAGE_KEYS = ["limit", "before"] as const satisfies readonly (keyof ListQuery)[];

/** One page of exchanges, newest first. */
export interface ListPage {
  items: Exchange[];
  /** Pass as `before` for the next page; null when this page is the last. */
  next: string | null;
}

/** Size of what a store holds. */
export interface CaptureStats {
  count: number;
  /** Stored body bytes (after truncation): the quantity `retention.maxBytes` bounds. */
  bytes: number;
}

/**
 * A change to a store, delivered synchronously to subscribers once this store's reads see it
 * (for the SQLite store, before its turn commits: see the file comment). Only changes made
 * through this store object are seen: another process writing the same SQLite file is not
 * observed (poll `list` for that).
 */
export type CaptureEvent =
  | { type: "insert"; exchange: Exchange }
  | { type: "update"; exchange: Exchange }
  /**
   * `retention` deletions follow the `insert` or `update` that caused them; `rollback` ones
   * take back inserts whose transaction failed to commit (SQLite store only).
   */
  | { type: "delete"; ids: string[]; reason: "delete" | "retention" | "rollback" }
  | { type: "clear" };

/** Receives {@link CaptureEvent}s. A listener that throws is logged and does not break the write. */
export type CaptureListener = (event: CaptureEvent) => void;

/** Where exchanges are kept. Every method throws `CaptureError` (code `closed`) after `close()`. */
export interface CaptureStore {
  /**
   * Adds an exchange, validated and with bodies cut to `bodyLimitBytes`; returns it as stored
   * (its body bytes may be views of the argument's: do not reuse those buffers).
   * Throws `CaptureError` `invalid_exchange` or `duplicate_id`.
   */
  insert(exchange: Exchange): Exchange;
  /**
   * Changes an exchange; returns it as now stored, or null when the id is unknown (for example
   * cleared or evicted while its request was in flight: a normal race, not an error).
   */
  update(id: string, patch: ExchangePatch): Exchange | null;
  /** The exchange, or null when the id is unknown. */
  get(id: string): Exchange | null;
  /** A page of exchanges, newest (highest id) first. Throws `invalid_argument` on a bad query. */
  list(query?: ListQuery): ListPage;
  /** How many exchanges the store holds. */
  count(): number;
  /** Deletes one exchange; false when the id was unknown. */
  delete(id: string): boolean;
  /** Deletes every exchange. */
  clear(): void;
  stats(): CaptureStats;
  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: CaptureListener): () => void;
  /** Releases the store; idempotent. Subscriptions end. */
  close(): void;
}
