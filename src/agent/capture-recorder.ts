/**
 * Writes exchanges to the capture sink (a store, or its worker writer): one insert per exchange
 * when it is over, and one per edge report. An exchange still in flight after
 * {@link IN_FLIGHT_VISIBLE_MS} is inserted as it stands (so the inspector shows a slow app's
 * request while it waits), then updated when it is over; most exchanges end well before that and
 * cost one write instead of two. Never a write per chunk. A failing capture costs the capture,
 * never the exchange, and forwarding goes on: a store's write throws here and is reported as the
 * agent's `capture_failed` error; a worker writer's write is only queued, and its failure is
 * reported by the writer's own `onError` (`hooktap http` logs it). `close()` writes what is still
 * in flight.
 */
import type { CapturedBody, CaptureSink, Exchange, ExchangePatch } from "../capture/index.js";
import { newExchangeId } from "../capture/index.js";
import type { EdgeBody, EdgeReason, EdgeReport, RequestMessage } from "../protocol/index.js";
import type { ForwardOutcome } from "./forward.js";
import type { AgentErrorInfo } from "./types.js";

/** An exchange in flight for this long is written before it is over. */
export const IN_FLIGHT_VISIBLE_MS = 100;

const EMPTY_BODY: CapturedBody = { bytes: new Uint8Array(0), size: 0, truncated: false };

/** Edge reasons whose request never reached any app: recorded as `blocked`. */
const BLOCKED: ReadonlySet<EdgeReason> = new Set<EdgeReason>([
  "unauthorized",
  "too_large",
  "offline",
]);

/**
 * The capture origin of an edge report: `blocked` when the relay refused the request, `edge`
 * when it answered for the app (challenge, queued).
 *
 * @example
 * edgeOrigin("queued"); // "edge"
 */
export function edgeOrigin(reason: EdgeReason): "edge" | "blocked" {
  return BLOCKED.has(reason) ? "blocked" : "edge";
}

/**
 * Records one endpoint's exchanges in a store (or nowhere, with a null store).
 *
 * @example
 * const recorder = new CaptureRecorder(store, "local", (e) => emit("error", e));
 * const id = recorder.begin(stream.head, Date.now());
 * recorder.finish(id, stream.head, outcome);
 */
export class CaptureRecorder {
  readonly #store: CaptureSink | null;
  readonly #endpoint: string;
  readonly #onError: (error: AgentErrorInfo) => void;
  readonly #now: () => number;
  /** Exchanges begun and not yet written, oldest first, with when they began (`#now`). */
  readonly #unwritten = new Map<string, { exchange: Exchange; since: number }>();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    store: CaptureSink | null,
    endpoint: string,
    onError: (error: AgentErrorInfo) => void,
    now: () => number = () => performance.now(),
  ) {
    this.#store = store;
    this.#endpoint = endpoint;
    this.#onError = onError;
    this.#now = now;
  }

  /** Starts recording a forwarded request whose body and response are still to come; returns its id. */
  begin(head: RequestMessage, forwardedAt: number): string {
    const id = newExchangeId();
    if (this.#store === null) return id;
    const exchange: Exchange = {
      id,
      endpoint: this.#endpoint,
      origin: head.origin,
      remoteAddress: head.remoteAddress,
      request: {
        method: head.method,
        target: head.target,
        httpVersion: head.httpVersion,
        rawHeaders: head.rawHeaders,
        body: EMPTY_BODY,
      },
      response: null,
      error: null,
      timing: { receivedAt: head.receivedAt, forwardedAt, firstByteAt: null, doneAt: null },
      parentId: null,
      queueId: head.origin === "queued" ? head.queueId : null,
    };
    this.#unwritten.set(id, { exchange, since: this.#now() });
    if (this.#timer === null) this.#arm(IN_FLIGHT_VISIBLE_MS);
    return id;
  }

  /** Completes a forwarded exchange with its bodies, response, error and timing. */
  finish(id: string, head: RequestMessage, outcome: ForwardOutcome): void {
    const request = {
      method: head.method,
      target: head.target,
      httpVersion: head.httpVersion,
      rawHeaders: head.rawHeaders,
      body: outcome.requestBody,
    };
    const timing = { firstByteAt: outcome.firstByteAt, doneAt: outcome.doneAt };
    const unwritten = this.#unwritten.get(id);
    if (unwritten !== undefined) {
      this.#unwritten.delete(id);
      const { exchange } = unwritten;
      // Field by field, not `{ ...exchange, … }`: see "Hot paths" in ARCHITECTURE.md.
      const done: Exchange = {
        id: exchange.id,
        endpoint: exchange.endpoint,
        origin: exchange.origin,
        remoteAddress: exchange.remoteAddress,
        request,
        response: outcome.response,
        error: outcome.error,
        timing: {
          receivedAt: exchange.timing.receivedAt,
          forwardedAt: exchange.timing.forwardedAt,
          firstByteAt: timing.firstByteAt,
          doneAt: timing.doneAt,
        },
        parentId: exchange.parentId,
        queueId: exchange.queueId,
      };
      this.#write("insert", () => this.#store?.insert(done));
      return;
    }
    const patch: ExchangePatch = {
      request,
      response: outcome.response,
      error: outcome.error,
      timing,
    };
    this.#write("update", () => this.#store?.update(id, patch));
  }

  /** Writes every exchange still in flight as it stands and stops the timer. */
  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#writeInFlight(Number.POSITIVE_INFINITY);
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const next = this.#writeInFlight(this.#now());
      if (next !== null) this.#arm(Math.max(1, next + IN_FLIGHT_VISIBLE_MS - this.#now()));
    }, ms);
    this.#timer.unref();
  }

  /**
   * Inserts the unwritten exchanges begun at least {@link IN_FLIGHT_VISIBLE_MS} before `now`;
   * returns when the oldest one left began, or null when none is left.
   */
  #writeInFlight(now: number): number | null {
    for (const [id, { exchange, since }] of this.#unwritten) {
      if (now - since < IN_FLIGHT_VISIBLE_MS) return since;
      this.#unwritten.delete(id);
      this.#write("insert", () => this.#store?.insert(exchange));
    }
    return null;
  }

  /** Inserts an exchange the relay answered or blocked itself; returns its id. */
  edge(report: EdgeReport): string {
    const id = newExchangeId();
    const { request, response } = report;
    const exchange: Exchange = {
      id,
      endpoint: this.#endpoint,
      origin: edgeOrigin(report.reason),
      remoteAddress: request.remoteAddress,
      request: {
        method: request.method,
        target: request.target,
        httpVersion: request.httpVersion,
        rawHeaders: request.rawHeaders,
        body: bodyOf(request.body),
      },
      response: {
        status: response.status,
        statusMessage: null,
        rawHeaders: response.rawHeaders,
        body: bodyOf(response.body),
      },
      error: null,
      timing: {
        receivedAt: report.receivedAt,
        forwardedAt: null,
        firstByteAt: null,
        doneAt: report.receivedAt + report.durationMs,
      },
      parentId: null,
      queueId: report.queueId ?? null,
    };
    this.#write("insert", () => this.#store?.insert(exchange));
    return id;
  }

  #write(doing: string, write: () => unknown): void {
    if (this.#store === null) return;
    try {
      write();
    } catch (error) {
      this.#onError({
        code: "capture_failed",
        message: `capture ${doing} failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}

function bodyOf(body: EdgeBody): CapturedBody {
  const bytes = new Uint8Array(Buffer.from(body.base64, "base64"));
  // The report's `size` is the whole body's; keep the invariant size ≥ bytes even if it lies.
  const size = Math.max(body.size, bytes.byteLength);
  return { bytes, size, truncated: size > bytes.byteLength };
}
