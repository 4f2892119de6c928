/**
 * One direction's body, sending side: a Writable that cuts what is written into data frames,
 * spending the peer's credit and waiting on the transport's high-water mark, and sends the
 * END frame on `end()`. `write()` callbacks fire once the bytes are handed to the socket, so
 * Node's own backpressure (`write()` returning false, `pipe`, `pipeline`) reaches the source.
 */
import { Writable } from "node:stream";
import { encodeData } from "./data-frame.js";
import type { CreditWindow } from "./flow.js";
import type { FrameSender } from "./frame-socket.js";
import { MAX_DATA_PAYLOAD_BYTES } from "./limits.js";

const EMPTY = new Uint8Array(0);

/** What a {@link BodyWriter} needs from its stream. */
export interface BodyWriterOptions {
  stream: number;
  /** The peer's credit for this direction. */
  credit: CreditWindow;
  sender: FrameSender;
  /** Called right after the END frame was handed to the socket. */
  onEnd: () => void;
  /** Called when the writer is destroyed (also after a normal finish: `error` is then null). */
  onDestroy: (error: Error | null) => void;
}

/**
 * A body being sent on a stream. Internal to the mux, which hands it out as a `Writable`.
 *
 * @example
 * const writer = new BodyWriter({ stream: 1, credit, sender, onEnd, onDestroy });
 * pipeline(upstreamResponse, writer, (error) => {});
 */
export class BodyWriter extends Writable {
  readonly #options: BodyWriterOptions;

  constructor(options: BodyWriterOptions) {
    // One frame's worth buffered ahead is enough: credit, not this buffer, paces the sender.
    super({ highWaterMark: MAX_DATA_PAYLOAD_BYTES });
    this.#options = options;
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.#send(chunk).then(
      () => callback(),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    const { sender, stream, onEnd } = this.#options;
    sender.send(encodeData({ stream, end: true, payload: EMPTY }));
    onEnd();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#options.onDestroy(error);
    // As Node's IncomingMessage does: emit 'error' only to listeners, so a reset never
    // crashes a process that did not ask to hear about it (`errored` is still set).
    process.nextTick(() => callback(this.listenerCount("error") > 0 ? error : null));
  }

  async #send(chunk: Uint8Array): Promise<void> {
    const { credit, sender, stream } = this.#options;
    let rest = chunk;
    while (rest.byteLength > 0) {
      await credit.whenAvailable();
      while (!sender.writable) await sender.whenWritable();
      if (this.destroyed) return;
      const size = credit.take(Math.min(rest.byteLength, MAX_DATA_PAYLOAD_BYTES));
      sender.send(encodeData({ stream, end: false, payload: rest.subarray(0, size) }));
      rest = rest.subarray(size);
    }
  }
}
