/**
 * What the mux needs of a WebSocket, and the transport half of its backpressure.
 *
 * Credit (flow.ts) bounds what the peer buffers; it says nothing about what piles up on this
 * side when the network is slower than the streams together. So {@link FrameSender} counts the
 * bytes handed to the socket and not yet flushed (the send callback fires once the frame has
 * been written out) and holds data frames back above a high-water mark. Control frames are
 * never held: a `window` or `reset` stuck behind data could stall the peer forever.
 */
import type { ErrorCode } from "./messages.js";

/**
 * The part of a WebSocket the mux uses: exactly what a `ws` WebSocket offers, so one can be
 * passed as it is.
 */
export interface FrameSocket {
  /**
   * Sends one message: a string as a text frame, bytes as a binary frame. `callback` fires
   * once the frame was written out, or with an error if it never will be.
   */
  send(frame: string | Uint8Array, callback: (error?: Error) => void): void;
  /** Starts the closing handshake. */
  close(code: number, reason: string): void;
}

/** What the mux needs of the byte stream under the WebSocket: Node's `net.Socket` fits. */
export interface CorkableTransport {
  /** Holds writes back (nested calls count) until as many {@link uncork} calls. */
  cork(): void;
  uncork(): void;
}

/** Default transport high-water mark: data frames wait while more than this is unflushed. */
export const DEFAULT_HIGH_WATER_MARK_BYTES = 1024 * 1024;

/**
 * The WebSocket close code (RFC 6455 §7.4.1) to send after an `error` message of `code`. The
 * close reason is the code itself, so a peer that missed the `error` message still knows why.
 *
 * @example
 * socket.close(closeCodeFor("bad_token"), "bad_token"); // 1008
 */
export function closeCodeFor(code: ErrorCode): number {
  switch (code) {
    case "bad_token":
    case "endpoint_taken":
    case "endpoint_forbidden":
      return 1008; // policy violation
    case "unsupported_protocol":
    case "bad_message":
    case "unexpected_message":
      return 1002; // protocol error
    case "heartbeat_timeout":
    case "shutting_down":
    // Going away too: this session ends on the relay's side. Close codes carry no "do not
    // reconnect" meaning (the `error` code does), 1008 would blame the agent for a rule it did
    // not break, and an agent that cannot decode `replaced` sees the close it always saw.
    case "replaced":
      return 1001; // going away
    case "internal_error":
      return 1011;
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Sends frames on a {@link FrameSocket}, counting unflushed bytes. Internal to the mux.
 *
 * @example
 * const sender = new FrameSender(socket, DEFAULT_HIGH_WATER_MARK_BYTES, (error) => mux.close(error));
 * while (!sender.writable) await sender.whenWritable();
 * sender.send(encodeData(frame));
 */
export class FrameSender {
  readonly #socket: FrameSocket;
  readonly #highWaterMark: number;
  readonly #onFailure: (error: Error) => void;
  readonly #transport: CorkableTransport | undefined;
  #unflushed = 0;
  #waiters: Waiter[] = [];
  #closedWith: Error | undefined;
  #corked = false;

  /**
   * @param onFailure called when the socket refuses or fails a frame: the connection is gone.
   * @param transport when given, corked from the first frame of an event-loop turn to its end.
   */
  constructor(
    socket: FrameSocket,
    highWaterMarkBytes: number,
    onFailure: (error: Error) => void,
    transport?: CorkableTransport,
  ) {
    if (!Number.isInteger(highWaterMarkBytes) || highWaterMarkBytes < 1) {
      throw new RangeError(
        `highWaterMarkBytes must be a positive integer, got ${highWaterMarkBytes}`,
      );
    }
    this.#socket = socket;
    this.#highWaterMark = highWaterMarkBytes;
    this.#onFailure = onFailure;
    this.#transport = transport;
  }

  /** Bytes handed to the socket whose send callback has not fired yet. */
  get unflushedBytes(): number {
    return this.#unflushed;
  }

  /** True when a data frame may be sent now (one frame may overshoot the mark). */
  get writable(): boolean {
    return this.#unflushed < this.#highWaterMark;
  }

  /** Hands a frame to the socket. Returns false, sending nothing, after {@link close}. */
  send(frame: string | Uint8Array): boolean {
    if (this.#closedWith !== undefined) return false;
    // A string's UTF-16 length is close enough to its UTF-8 size for a high-water mark.
    const size = typeof frame === "string" ? frame.length : frame.byteLength;
    this.#unflushed += size;
    if (this.#transport !== undefined && !this.#corked) {
      this.#corked = true;
      this.#transport.cork();
      // The check phase comes once this turn's I/O callbacks, ticks and microtasks are done:
      // everything they sent goes out in one write, and nothing waits for a timer.
      setImmediate(this.#uncork);
    }
    let settled = false;
    const flushed = (error?: Error): void => {
      if (settled) return;
      settled = true;
      this.#unflushed -= size;
      if (error) this.#onFailure(error);
      this.#wake();
    };
    try {
      this.#socket.send(frame, flushed);
    } catch (error) {
      // `ws` throws when the socket is still connecting; any throw means the frame is lost.
      flushed(error instanceof Error ? error : new Error(String(error)));
    }
    return true;
  }

  /** Resolves when {@link writable}; rejects once closed. Check `writable` again after. */
  whenWritable(): Promise<void> {
    if (this.#closedWith !== undefined) return Promise.reject(this.#closedWith);
    if (this.writable) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
    });
  }

  /** Stops sending: later frames are dropped and waiters reject with `error`. */
  close(error: Error): void {
    if (this.#closedWith !== undefined) return;
    this.#closedWith = error;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  readonly #uncork = (): void => {
    this.#corked = false;
    this.#transport?.uncork();
  };

  #wake(): void {
    if (!this.writable || this.#waiters.length === 0) return;
    // All wake; each re-checks `writable` before sending, so the mark is passed by one frame at most.
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve();
  }
}
