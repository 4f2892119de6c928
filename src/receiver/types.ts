/**
 * Plain types of the receiver library: its options, the framework-neutral request/response
 * pair every adapter maps to and from, and the handler signatures. No behaviour here.
 */
import type { Logger } from "../log/index.js";
import type { Delivery, DeliveryLogEvent, EventHookEligibleType } from "../okta/index.js";

/** The header a receiver requires on every request from Okta, compared in constant time. */
export interface AuthHeader {
  /** Header name, case-insensitive (Okta's "Authentication field"), e.g. `authorization`. */
  name: string;
  /** Exact expected value, e.g. `Basic YWRtaW46c3VwZXJzZWNyZXQ=`. */
  value: string;
}

/**
 * Stores which deliveries (`eventId`) and events (`uuid`) were already seen, so that Okta's
 * at-least-once delivery does not run a handler twice. Implementations may be async (Redis, SQL).
 */
export interface DedupeStore {
  /**
   * Marks `key` as seen and says whether it was new. Must be atomic: of two concurrent
   * claims of the same key exactly one returns `true`.
   */
  claim(key: string): boolean | Promise<boolean>;
  /** Forgets `key`, so a later redelivery is processed again (used when processing failed). */
  release(key: string): void | Promise<void>;
}

/** Options of `createReceiver`. Every field is optional; defaults are applied in one place. */
export interface ReceiverOptions {
  /**
   * Header every request must carry. `null` disables the check (not recommended outside
   * local development).
   * @default null
   */
  auth?: AuthHeader | null;
  /**
   * Whether the verification GET must carry the auth header too. Okta sends the configured
   * header on the GET, and Okta's own guide puts Basic auth in front of it.
   * @default true
   */
  authOnVerification?: boolean;
  /**
   * Run handlers before answering Okta (`true`), instead of answering first and running them
   * afterwards (`false`, Okta's recommendation). When `true`, a throwing handler makes the
   * response a 500 `handler_failed`, so that Okta retries once. In both modes the dedupe keys
   * of the delivery and of each event whose handler threw are released, so a redelivery runs
   * the failed events again (and only them).
   * @default false
   */
  awaitHandlers?: boolean;
  /**
   * With `awaitHandlers`, answer 200 anyway after this long and let the handlers finish in
   * the background, so Okta's 3-second timeout never fires.
   * @default 2500
   */
  ackTimeoutMs?: number;
  /**
   * Largest body accepted, in bytes. A request declaring a larger `content-length` gets 413
   * before any body byte is read; a larger streamed body gets 413 without being read whole.
   * @default 4194304 (4 MiB)
   */
  maxBodyBytes?: number;
  /**
   * Where seen `eventId`s and event `uuid`s are kept, as `delivery:<eventId>` and
   * `event:<uuid>` keys. `false` disables de-duplication.
   * @default an in-memory LRU of 10,000 keys (one per receiver)
   */
  dedupe?: DedupeStore | false;
  /** Where handler failures and rejected requests are reported. @default silentLogger */
  logger?: Logger;
}

/** A request as every adapter hands it to the receiver core. */
export interface ReceiverRequest {
  method: string;
  /** Request target as received (path and query). */
  url: string;
  /**
   * Header names lower-cased (adapters pass them so; `handle()` lower-cases any that are not);
   * repeated headers as arrays.
   */
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes (empty for GET), as the adapter read them off the wire. */
  body: Uint8Array;
}

/**
 * The part of a {@link ReceiverRequest} known before its body arrives: what
 * {@link Receiver.precheck} decides on.
 */
export type ReceiverRequestHead = Pick<ReceiverRequest, "method" | "url" | "headers">;

/** What the receiver answers; adapters write it out unchanged. */
export interface ReceiverResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a handler gets besides the event. */
export interface EventContext {
  /** The whole delivery envelope the event arrived in (other events of the batch included). */
  delivery: Delivery;
  /** Index of the event in `delivery.data.events`. */
  index: number;
  /** The HTTP request it arrived on. */
  request: Readonly<ReceiverRequest>;
}

/** Handler of one event type. */
export type EventHandler<T extends string = string> = (
  event: DeliveryLogEvent<T>,
  context: EventContext,
) => void | Promise<void>;

/** An event type a handler can be registered for: a catalog id (autocompleted) or any string. */
export type HandledEventType = EventHookEligibleType | (string & {});

/** Handler of every event, whatever its type (the catch-all). */
export type AnyEventHandler = (
  event: DeliveryLogEvent,
  context: EventContext,
) => void | Promise<void>;

/**
 * A framework-neutral Okta event hook endpoint. Build one with `createReceiver`, register
 * handlers, then mount it with an adapter (`createNodeHandler`, `createExpressMiddleware`,
 * `fastifyReceiver`, `createHonoHandler`) or call {@link Receiver.handle} yourself.
 *
 * An adapter of your own calls {@link Receiver.precheck} on the request head first and reads
 * the body only when it returns `null`, so that an unauthenticated client cannot make the
 * server buffer a body.
 */
export interface Receiver {
  /** Registers a handler for one event type. Several handlers per type run in order. */
  on<T extends HandledEventType>(type: T, handler: EventHandler<T>): Receiver;
  /** Registers a handler for every event (runs after the type-specific handlers). */
  onAny(handler: AnyEventHandler): Receiver;
  /**
   * Decides on the request head alone, before any body byte is read. Returns the answer to
   * send without reading the body — 405 for a method other than GET or POST, 401 for a
   * missing, repeated or wrong auth header, 413 for a declared `content-length` above
   * `maxBodyBytes`, and for every GET the verification answer (or its 4xx), since a GET
   * needs no body — or `null` when the body should be read and {@link Receiver.handle}
   * called. These are the very checks `handle()` starts with, so `handle()` gives the same
   * answer for the same head. Rejections are logged; it never throws (a failure is a 500).
   * When it passes a head, the next `handle()` given that same `headers` object skips the
   * head checks (they ran once already); do not change the map in between.
   */
  precheck(head: ReceiverRequestHead): ReceiverResponse | null;
  /**
   * Answers one whole request: verification GET, event delivery POST, or a 4xx for anything
   * else. Complete on its own (it runs every {@link Receiver.precheck} check itself); never
   * rejects (a failure is a 500).
   */
  handle(request: ReceiverRequest): Promise<ReceiverResponse>;
  /** Resolves when every handler started so far has settled (for tests and graceful shutdown). */
  idle(): Promise<void>;
  /** The options in force, defaults applied (adapters read `maxBodyBytes`). */
  readonly options: Readonly<ResolvedReceiverOptions>;
}

/** {@link ReceiverOptions} with every default applied. */
export interface ResolvedReceiverOptions {
  auth: AuthHeader | null;
  authOnVerification: boolean;
  awaitHandlers: boolean;
  ackTimeoutMs: number;
  maxBodyBytes: number;
  dedupe: DedupeStore | false;
  logger: Logger;
}
