/**
 * The Exchange model: what hooktap records of one request and its answer. Plain serialisable
 * data only (no classes, no functions), shared by the agent that writes it, the stores that keep
 * it, and the inspector, replay and export that read it.
 *
 * Bytes are sacred (design.md principle 1): a request is its method, target, raw header pairs in
 * wire order and body bytes. Parsed JSON, a lower-cased header map or the Okta view of a body are
 * derived on read and never stored in place of these fields.
 */

/**
 * Header fields in wire order, with their original case and repeats, as Node's `rawHeaders`
 * gives them but paired. Never a map: a map loses order, case and repeats, and signatures break.
 */
export type RawHeaders = [name: string, value: string][];

/** A body as captured: its first bytes (possibly all of them) and its size on the wire. */
export interface CapturedBody {
  /** The bytes kept, unaltered: all of the body, or its first bytes when `truncated`. */
  bytes: Uint8Array;
  /** The full size seen on the wire, in bytes; larger than `bytes.length` exactly when `truncated`. */
  size: number;
  /** True when the capture limit cut the body: `bytes` holds only its first `bytes.length` bytes. */
  truncated: boolean;
}

/** A request as the public client sent it (the relay strips only the `/<endpoint>` prefix). */
export interface CapturedRequest {
  /** An HTTP token, as received (case kept). */
  method: string;
  /** Path and query as received; starts with `/` for origin-form targets. */
  target: string;
  /** As Node reports it: `"1.1"`, `"1.0"`, `"2.0"`. */
  httpVersion: string;
  rawHeaders: RawHeaders;
  body: CapturedBody;
}

/** A response as the app (or the relay, for `edge` exchanges) sent it. */
export interface CapturedResponse {
  /** The status code, 100–999 as Node allows. */
  status: number;
  /** The reason phrase sent, or null when none was seen (HTTP/2, or not reported). */
  statusMessage: string | null;
  rawHeaders: RawHeaders;
  body: CapturedBody;
}

/**
 * Where an exchange came from.
 *
 * - `live`: forwarded while the sender waited for the app's answer.
 * - `replay`: sent again from the inspector (`parentId` is the original).
 * - `queued`: stored by the relay while the agent was away, delivered later (`queueId` is set).
 * - `blocked`: refused by the relay's edge policies (auth secret, size) and never forwarded.
 * - `edge`: answered by the relay itself, e.g. Okta's verification challenge.
 * - `emulator`: sent by hooktap's local Okta org.
 */
export type ExchangeOrigin = "live" | "replay" | "queued" | "blocked" | "edge" | "emulator";

/** Every {@link ExchangeOrigin}, for validation and for the inspector's filter menus. */
export const EXCHANGE_ORIGINS: readonly ExchangeOrigin[] = [
  "live",
  "replay",
  "queued",
  "blocked",
  "edge",
  "emulator",
];

/**
 * When each step happened, in epoch milliseconds (fractions allowed, e.g. from
 * `performance.timeOrigin + performance.now()`). Null until the step happens, and forever when
 * it never does (a blocked request is never forwarded).
 */
export interface ExchangeTiming {
  /** When the request line reached hooktap (the relay, for tunnelled traffic). */
  receivedAt: number;
  /** When the agent started sending the request to the app. */
  forwardedAt: number | null;
  /** When the first byte of the response arrived. */
  firstByteAt: number | null;
  /** When the response ended, or the exchange failed. */
  doneAt: number | null;
}

/** Why an exchange got no (complete) response, e.g. `{ code: "ECONNREFUSED", message: … }`. */
export interface ExchangeError {
  /** A stable, machine-readable code: a Node error code or one of hooktap's. */
  code: string;
  /** For people; never parsed. */
  message: string;
}

/** One request and what became of it. */
export interface Exchange {
  /**
   * Unique and sortable: lists are ordered by id, so ids from `newExchangeId()` (a time prefix
   * then randomness, ULID-style) make lists sort by arrival.
   */
  id: string;
  /** The tunnel endpoint's name (the `<endpoint>` of `https://relay/<endpoint>/…`). */
  endpoint: string;
  origin: ExchangeOrigin;
  /** The public client's address as the relay saw it; null when unknown (replay, emulator). */
  remoteAddress: string | null;
  request: CapturedRequest;
  /** Null while in flight, and when the app never answered (`error` says why). */
  response: CapturedResponse | null;
  error: ExchangeError | null;
  timing: ExchangeTiming;
  /** For a `replay`: the id of the exchange it replays. */
  parentId: string | null;
  /** For a `queued` (or queued-then-`edge`) exchange: the relay's queue entry. */
  queueId: string | null;
}

/**
 * What {@link Exchange} fields may change after insertion: the response and timing arrive after
 * the request, the request body completes after its head. `id`, `endpoint`, `origin`, `parentId`
 * and `timing.receivedAt` identify and order an exchange and never change.
 */
export interface ExchangePatch {
  request?: CapturedRequest;
  response?: CapturedResponse | null;
  error?: ExchangeError | null;
  /** Merged field by field: only the fields given change. */
  timing?: Partial<Omit<ExchangeTiming, "receivedAt">>;
  remoteAddress?: string | null;
  queueId?: string | null;
}
