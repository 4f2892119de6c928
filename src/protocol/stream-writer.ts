/**
 * One direction's body, sending side: a Writable that cuts what is written into data frames,
 * spending the peer's credit and waiting on the transport's high-water mark, and flags the
 * last frame END on `end()`. `write()` callbacks fire once the bytes are handed to the socket
 * (or held, below), so Node's own backpressure (`write()` returning false, `pipe`,
 * `pipeline`) reaches the source.
 *
 * The last frame of each write is held until the end of the event-loop turn: when `end()`
 * comes within the turn (a small body written and ended at once, the common case), that
 * frame carries the END flag and no empty END frame follows; otherwise it leaves unflagged
 * at the turn's end. A held frame has its credit spent already and is at most one frame.
 */
import { Writable } from "node:stream";
import { encodeData } from "./data-frame.js";
import type { CreditWindow } from "./flow.js";
import type { FrameSender } from "./frame-socket.js";
import { DATA_FRAME_HEADER_BYTES, END_FLAG, MAX_DATA_PAYLOAD_BYTES } from "./limits.js";

const EMPTY = new Uint8Array(0);

/** Where the flags byte sits in an encoded data frame (after the u32 stream id). */
const FLAGS_OFFSET = DATA_FRAME_HEADER_BYTES - 1;

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
  /** The last data frame written, encoded (a copy) but not sent: it may still become END. */
  #held: Uint8Array | null = null;
  #flushTimer: NodeJS.Immediate | null = null;

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
    // The common case, a chunk within the credit and the mark: sent now, no promise.
    if (this.#sendNow(chunk)) {
      callback();
      return;
    }
    this.#send(chunk).then(
      () => callback(),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    const { sender, stream, onEnd } = this.#options;
    const held = this.#release();
    if (held === null) sender.send(encodeData({ stream, end: true, payload: EMPTY }));
    else {
      held[FLAGS_OFFSET] = END_FLAG;
      sender.send(held);
    }
    onEnd();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#release();
    this.#options.onDestroy(error);
    // As Node's IncomingMessage does: emit 'error' only to listeners, so a reset never
    // crashes a process that did not ask to hear about it (`errored` is still set).
    process.nextTick(() => callback(this.listenerCount("error") > 0 ? error : null));
  }

  /** Sends `chunk` as one frame if credit and the transport allow it now; false if not. */
  #sendNow(chunk: Uint8Array): boolean {
    const { credit, sender, stream } = this.#options;
    const size = chunk.byteLength;
    if (size === 0) return true;
    if (size > MAX_DATA_PAYLOAD_BYTES || size > credit.available || !sender.writable) return false;
    if (credit.closed) return false;
    this.#flush();
    credit.take(size);
    this.#hold(encodeData({ stream, end: false, payload: chunk }));
    return true;
  }

  async #send(chunk: Uint8Array): Promise<void> {
    const { credit, sender, stream } = this.#options;
    this.#flush();
    let rest = chunk;
    while (rest.byteLength > 0) {
      await credit.whenAvailable();
      while (!sender.writable) await sender.whenWritable();
      if (this.destroyed) return;
      this.#flush();
      const size = credit.take(Math.min(rest.byteLength, MAX_DATA_PAYLOAD_BYTES));
      this.#hold(encodeData({ stream, end: false, payload: rest.subarray(0, size) }));
      rest = rest.subarray(size);
    }
  }

  #hold(frame: Uint8Array): void {
    this.#held = frame;
    this.#flushTimer ??= setImmediate(() => {
      this.#flushTimer = null;
      this.#flush();
    });
  }

  /** Forgets the held frame and its flush (sent as END, or dropped by a reset). */
  #release(): Uint8Array | null {
    const held = this.#held;
    this.#held = null;
    if (this.#flushTimer !== null) clearImmediate(this.#flushTimer);
    this.#flushTimer = null;
    return held;
  }

  /** Sends the held frame as it is (not END). */
  #flush(): void {
    const frame = this.#held;
    if (frame === null) return;
    this.#held = null;
    this.#options.sender.send(frame);
  }
}
