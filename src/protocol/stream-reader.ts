/**
 * One direction's body, receiving side: a Readable fed by data frames that grants credit back
 * as its consumer takes bytes, so the peer never has more than one window in flight or
 * buffered here, however slow the consumer and however large the body.
 *
 * Consumption is measured, not guessed: bytes pushed minus `readableLength`. It is checked
 * after every `read()`, which every way of consuming goes through (paused reads, flowing
 * mode, `pipe`, async iteration; a chunk handed straight to a 'data' listener is followed by
 * Node's own `read(0)`). `_read` alone would not do: Node calls it again only after a push,
 * and without credit the peer pushes nothing.
 */
import { Readable } from "node:stream";
import { ReceiveWindow } from "./flow.js";
import { INITIAL_WINDOW_BYTES } from "./limits.js";

/** What a {@link BodyReader} needs from its stream. */
export interface BodyReaderOptions {
  /** Sends a `window` message; called only before the peer's END. */
  grant: (bytes: number) => void;
  /** Called when the consumer destroyed the body with an error before its end. */
  onError: (error: Error) => void;
}

/**
 * A body being received on a stream. Internal to the mux, which hands it out as a `Readable`.
 *
 * Destroyed without an error before its end, it discards the rest of the body (still
 * granting credit, as Node's HTTP server dumps an unread request body), so the exchange can
 * complete; destroyed with an error, it asks its stream to reset.
 *
 * @example
 * const reader = new BodyReader({ grant: (bytes) => sendWindow(id, bytes), onError: reset });
 * reader.deliver(frame.payload, frame.end); // may throw ProtocolError flow_control
 */
export class BodyReader extends Readable {
  readonly #options: BodyReaderOptions;
  readonly #window = new ReceiveWindow();
  #pushed = 0;
  #consumed = 0;
  #ended = false;
  #discarding = false;

  constructor(options: BodyReaderOptions) {
    // A window's worth, so that Node keeps asking for data until the credit is used up.
    super({ highWaterMark: INITIAL_WINDOW_BYTES });
    this.#options = options;
  }

  /** Bytes received and not yet taken by the consumer: at most one window. */
  get bufferedBytes(): number {
    return this.#window.buffered;
  }

  /**
   * Takes one data frame's payload. Throws `ProtocolError` `flow_control`, taking nothing,
   * when the peer sent more than its credit.
   */
  deliver(payload: Uint8Array, end: boolean): void {
    this.#window.receive(payload.byteLength);
    if (end) this.#ended = true;
    if (this.#discarding) {
      this.#grant(this.#window.drain(payload.byteLength));
      return;
    }
    this.#pushed += payload.byteLength;
    if (payload.byteLength > 0) this.push(payload);
    if (end) this.push(null);
  }

  override read(size?: number): unknown {
    const chunk: unknown = super.read(size);
    this.#account();
    return chunk;
  }

  override _read(): void {
    this.#account();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#ended) {
      if (error === null) {
        this.#discarding = true;
        this.#grant(this.#window.drain(this.#window.buffered));
      } else {
        this.#options.onError(error);
      }
    }
    // As Node's IncomingMessage does: emit 'error' only to listeners, so a reset never
    // crashes a process that did not ask to hear about it (`errored` is still set).
    process.nextTick(() => callback(this.listenerCount("error") > 0 ? error : null));
  }

  #account(): void {
    if (this.#discarding) return;
    const consumed = this.#pushed - this.readableLength;
    if (consumed <= this.#consumed) return;
    const grant = this.#window.drain(consumed - this.#consumed);
    this.#consumed = consumed;
    this.#grant(grant);
  }

  #grant(bytes: number): void {
    if (bytes > 0 && !this.#ended) this.#options.grant(bytes);
  }
}
