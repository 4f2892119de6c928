/**
 * Credit-based flow control, per stream and per direction, as in HTTP/2 (RFC 9113 §5.2).
 *
 * Why credit: the relay reads a public request faster than a slow local app can take it, and
 * the agent reads a local response faster than a slow public client can take it. A 100 MB
 * webhook body must never sit whole in memory on either side, and one stalled stream must not
 * stall the others sharing the WebSocket. So a sender may only send body bytes it holds credit
 * for, and the receiver hands out credit only as its consumer drains what it already got:
 * each side buffers at most one window per stream direction, whatever the body size.
 *
 * The scheme.
 * - When a stream opens (`request`), each direction's sender holds `INITIAL_WINDOW_BYTES` of
 *   credit, implicitly: no message grants it.
 * - The sender spends credit on data frame payloads (the 5-byte header is free, and so is an
 *   empty END frame). With none left it waits for a `window` message: {@link CreditWindow}.
 * - The receiver counts what arrives against the credit it gave (more is a `flow_control`
 *   reset) and, once its consumer has drained half a window since the last grant, grants back
 *   what was drained: {@link ReceiveWindow}. Granting in halves keeps the pipe full without a
 *   `window` message per frame.
 * - After the peer's END or a `reset`, grants are pointless: stop sending them.
 *
 * Memory on a side is then bounded by streams × window; the relay, which alone opens streams,
 * caps how many it keeps open per agent. Socket-level backpressure (the WebSocket's buffered
 * amount) is the transport's concern and comes on top of this.
 *
 * Both classes are pure state: no timers, no I/O.
 */
import { ProtocolError } from "./errors.js";
import { INITIAL_WINDOW_BYTES, MAX_WINDOW_BYTES } from "./limits.js";

function checkBytes(bytes: number, what: string, min: number): void {
  if (!Number.isInteger(bytes) || bytes < min || bytes > MAX_WINDOW_BYTES) {
    throw new RangeError(`${what} must be an integer in ${min}..${MAX_WINDOW_BYTES}, got ${bytes}`);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The send side of one stream direction: the credit the peer has given us.
 *
 * @example
 * const credit = new CreditWindow(); // INITIAL_WINDOW_BYTES
 * while (body.byteLength > 0) {
 *   await credit.whenAvailable();
 *   const n = credit.take(Math.min(body.byteLength, MAX_DATA_PAYLOAD_BYTES));
 *   socket.send(encodeData({ stream, end: false, payload: body.subarray(0, n) }));
 *   body = body.subarray(n);
 * }
 * // on `window` for this stream: credit.grant(message.bytes)
 * // on `reset` or socket close: credit.close(error)
 */
export class CreditWindow {
  #available: number;
  #waiters: Waiter[] = [];
  #closedWith: Error | undefined;

  /** @param initialBytes the credit held when the stream opens; `INITIAL_WINDOW_BYTES` by default. */
  constructor(initialBytes: number = INITIAL_WINDOW_BYTES) {
    checkBytes(initialBytes, "initialBytes", 0);
    this.#available = initialBytes;
  }

  /** Bytes that may be sent now. */
  get available(): number {
    return this.#available;
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /**
   * Spends `bytes` of credit before sending them. Throws `ProtocolError` `flow_control` when
   * the credit is short (nothing is spent) and `closed` after {@link close}.
   */
  consume(bytes: number): void {
    this.#checkOpen();
    checkBytes(bytes, "bytes", 0);
    if (bytes > this.#available) {
      throw new ProtocolError(
        "flow_control",
        `cannot send ${bytes} bytes with ${this.#available} bytes of credit`,
      );
    }
    this.#available -= bytes;
  }

  /** Spends as much credit as there is, up to `maxBytes`, and returns how much (maybe 0). */
  take(maxBytes: number): number {
    this.#checkOpen();
    checkBytes(maxBytes, "maxBytes", 0);
    const bytes = Math.min(maxBytes, this.#available);
    this.#available -= bytes;
    return bytes;
  }

  /**
   * Adds credit (a `window` message arrived) and wakes the waiters. Ignored after
   * {@link close}: a grant may cross a reset in flight. Throws `ProtocolError`
   * `flow_control` if the credit would pass `MAX_WINDOW_BYTES`.
   */
  grant(bytes: number): void {
    if (this.closed) return;
    checkBytes(bytes, "bytes", 1);
    if (this.#available + bytes > MAX_WINDOW_BYTES) {
      throw new ProtocolError(
        "flow_control",
        `a grant of ${bytes} bytes would take the credit past ${MAX_WINDOW_BYTES}`,
      );
    }
    this.#available += bytes;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  /**
   * Resolves as soon as there is credit (at once if there is some now); rejects with the
   * close error if the window is or gets closed first.
   */
  whenAvailable(): Promise<void> {
    if (this.#closedWith !== undefined) return Promise.reject(this.#closedWith);
    if (this.#available > 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
    });
  }

  /**
   * Ends the window (stream reset or finished, connection lost): rejects every waiter and
   * every later {@link whenAvailable} with `error` (by default `ProtocolError` `closed`).
   * Later calls are ignored.
   */
  close(error?: Error): void {
    if (this.#closedWith !== undefined) return;
    // Every finished stream closes its window: one shared error (no stack captured per stream)
    // keeps that cheap on the hot path.
    this.#closedWith = error ?? WINDOW_CLOSED;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(this.#closedWith);
  }

  #checkOpen(): void {
    if (this.#closedWith !== undefined) {
      throw new ProtocolError("closed", "the stream's send window is closed");
    }
  }
}

const WINDOW_CLOSED = new ProtocolError("closed", "the stream's send window is closed");

/**
 * The receive side of one stream direction: checks the peer keeps within the credit it was
 * given, and decides when to give more.
 *
 * @example
 * const window = new ReceiveWindow(); // INITIAL_WINDOW_BYTES
 * // on each data frame of the stream (a flow_control error here means: reset the stream)
 * window.receive(frame.payload.byteLength);
 * upstream.write(frame.payload, () => {
 *   const grant = window.drain(frame.payload.byteLength);
 *   if (grant > 0 && !ended) socket.send(encodeMessage({ type: "window", stream, bytes: grant }));
 * });
 */
export class ReceiveWindow {
  readonly #threshold: number;
  #credit: number;
  #buffered = 0;
  #drained = 0;

  /** @param sizeBytes the window: what the peer may have in flight or buffered; `INITIAL_WINDOW_BYTES` by default. */
  constructor(sizeBytes: number = INITIAL_WINDOW_BYTES) {
    checkBytes(sizeBytes, "sizeBytes", 1);
    this.#credit = sizeBytes;
    this.#threshold = Math.ceil(sizeBytes / 2);
  }

  /** Bytes the peer may still send before it needs a grant. */
  get credit(): number {
    return this.#credit;
  }

  /** Bytes received and not drained yet. */
  get buffered(): number {
    return this.#buffered;
  }

  /**
   * Counts `bytes` of payload that arrived. Throws `ProtocolError` `flow_control` when the
   * peer sent more than its credit (then reset the stream).
   */
  receive(bytes: number): void {
    checkBytes(bytes, "bytes", 0);
    if (bytes > this.#credit) {
      throw new ProtocolError(
        "flow_control",
        `the peer sent ${bytes} bytes with ${this.#credit} bytes of credit`,
      );
    }
    this.#credit -= bytes;
    this.#buffered += bytes;
  }

  /**
   * Records that the consumer has taken `bytes` of what was received. Returns the credit to
   * grant now in a `window` message, or 0 when it is not yet worth one.
   */
  drain(bytes: number): number {
    checkBytes(bytes, "bytes", 0);
    if (bytes > this.#buffered) {
      throw new RangeError(`cannot drain ${bytes} bytes: only ${this.#buffered} are buffered`);
    }
    this.#buffered -= bytes;
    this.#drained += bytes;
    if (this.#drained < this.#threshold) return 0;
    const grant = this.#drained;
    this.#drained = 0;
    this.#credit += grant;
    return grant;
  }
}
