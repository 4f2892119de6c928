/**
 * The state of one stream inside the mux: the two bodies, the peer's credit, the ENDs, and
 * how the stream ends (both ENDs, or a reset from either side, or the connection).
 */
import { finished, type Readable, type Writable } from "node:stream";
import { encodeMessage } from "./codec.js";
import { encodeData } from "./data-frame.js";
import { ProtocolError } from "./errors.js";
import { CreditWindow } from "./flow.js";
import type { FrameSender } from "./frame-socket.js";
import type { Message, RawHeaders, ResetCode } from "./messages.js";
import { StreamResetError } from "./stream-errors.js";
import { BodyReader } from "./stream-reader.js";
import { BodyWriter } from "./stream-writer.js";

/** The head and body of a response, as the relay gets it. */
export interface IncomingResponse {
  /** 200-599. */
  status: number;
  /** In wire order, case kept. */
  rawHeaders: RawHeaders;
  /** Ends at the agent's END; errors with a `StreamResetError` or `ConnectionClosedError`. */
  body: Readable;
}

/** What a {@link MuxStream} needs from its mux. */
export interface MuxStreamOptions {
  id: number;
  sender: FrameSender;
  /** The reset code sent when a body stream is destroyed with an error that is not a `StreamResetError`. */
  defaultResetCode: ResetCode;
  /** Called once, when the stream leaves the mux's table (finished or failed). */
  onRemoved: (stream: MuxStream) => void;
}

const EMPTY_BODY = new Uint8Array(0);

/** Longest `reset.message` sent; error messages from sockets can be long. */
const MAX_RESET_MESSAGE_CHARS = 500;

function settled<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: Error) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may not await it: a failed stream must not be an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * One stream of the mux. Internal: the mux exposes it as an `OutgoingRequestStream` (relay) or
 * an `IncomingRequestStream` (agent).
 *
 * @example
 * const stream = new MuxStream({ id, sender, defaultResetCode: "aborted", onRemoved });
 * stream.receiveData(frame.payload, frame.end);
 */
export class MuxStream {
  readonly id: number;
  readonly credit = new CreditWindow();
  /** Made on first use: see {@link aborted}. */
  #abort: AbortController | undefined;
  readonly #options: MuxStreamOptions;
  readonly #done = settled<void>();
  readonly #response = settled<IncomingResponse>();
  #reader: BodyReader | undefined;
  #writer: BodyWriter | undefined;
  #responded = false;
  #sentEnd = false;
  #receivedEnd = false;
  #finished = false;
  #failed: Error | undefined;

  constructor(options: MuxStreamOptions) {
    this.id = options.id;
    this.#options = options;
  }

  /**
   * Aborted when the stream fails, with the error as its reason. Made only when asked for: on
   * Node 20, aborting an AbortSignal (or listening on one) keeps the objects of every request
   * around it alive until a full GC (ARCHITECTURE.md, "Hot paths"), and most streams never
   * need one.
   */
  get aborted(): AbortSignal {
    this.#abort ??= new AbortController();
    if (this.#failed !== undefined && !this.#abort.signal.aborted) this.#abort.abort(this.#failed);
    return this.#abort.signal;
  }

  /** Resolves when both ENDs went through; rejects when the stream was reset or cut. */
  get done(): Promise<void> {
    return this.#done.promise;
  }

  /** The relay's view of the agent's `response`. */
  get response(): Promise<IncomingResponse> {
    return this.#response.promise;
  }

  /** True once the stream left the table: finished or failed. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Received body bytes not yet taken by the consumer. */
  get bufferedBytes(): number {
    return this.#reader?.bufferedBytes ?? 0;
  }

  /** Creates the body the peer sends: the request body (agent) or the response body (relay). */
  openReader(): BodyReader {
    this.#reader = new BodyReader({
      grant: (bytes) => {
        if (!this.#finished) this.#sendControl({ type: "window", stream: this.id, bytes });
      },
      onError: (error) => this.#resetFromError(error),
    });
    return this.#reader;
  }

  /** Creates the body this side sends; after a failure it comes already destroyed. */
  openWriter(): BodyWriter {
    this.#writer = new BodyWriter({
      stream: this.id,
      credit: this.credit,
      sender: this.#options.sender,
      onEnd: () => {
        this.#sentEnd = true;
        this.#finishIfDone();
      },
      onDestroy: (error) => {
        if (!this.#sentEnd) this.#resetFromError(error);
      },
    });
    if (this.#finished) this.#writer.destroy(this.#failure());
    return this.#writer;
  }

  /**
   * Sends `response` (agent side) and returns the body to write. Throws on a second call,
   * and `ProtocolError` for what the relay would refuse; after a failure nothing is sent and
   * the body comes already destroyed.
   */
  respond(status: number, rawHeaders: RawHeaders): Writable {
    if (this.#responded) throw new Error(`stream ${this.id} already has a response`);
    const text = encodeMessage({ type: "response", stream: this.id, status, rawHeaders });
    this.#responded = true;
    if (!this.#finished) this.#options.sender.send(text);
    return this.openWriter();
  }

  /**
   * Streams `body` as this side's body (relay side). A source that errors or closes early
   * resets the stream; a failed stream unpipes the source but leaves it open.
   */
  sendBody(body: Readable): void {
    const writer = this.openWriter();
    // Failures reach the caller through `response` and `done`; this keeps them off 'error'.
    writer.on("error", () => {});
    // `pipe` alone would wait forever for the END of a source that died.
    finished(body, { writable: false }, (error) => {
      if (error) writer.destroy(error);
    });
    body.pipe(writer);
  }

  /** Ends this side's body at once, empty: one END frame, no writer (relay side). */
  sendNoBody(): void {
    if (this.#finished) return;
    this.#options.sender.send(encodeData({ stream: this.id, end: true, payload: EMPTY_BODY }));
    this.#sentEnd = true;
    this.#finishIfDone();
  }

  /** The agent's `response` arrived (relay side). */
  acceptResponse(status: number, rawHeaders: RawHeaders): void {
    if (this.#finished) return;
    if (this.#responded) {
      this.resetLocal("protocol_error", "a second response on the stream");
      return;
    }
    this.#responded = true;
    this.#response.resolve({ status, rawHeaders, body: this.openReader() });
  }

  /** A data frame arrived for this stream. */
  receiveData(payload: Uint8Array, end: boolean): void {
    if (this.#finished) return;
    const reader = this.#reader;
    if (reader === undefined) {
      this.resetLocal("protocol_error", "body data before the response");
      return;
    }
    if (this.#receivedEnd) {
      this.resetLocal("protocol_error", "body data after the end of the body");
      return;
    }
    try {
      reader.deliver(payload, end);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.resetLocal("flow_control", error.message);
      return;
    }
    if (end) {
      this.#receivedEnd = true;
      this.#finishIfDone();
    }
  }

  /** A `window` message arrived for this stream. */
  receiveGrant(bytes: number): void {
    if (this.#finished) return;
    try {
      this.credit.grant(bytes);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.resetLocal("flow_control", error.message);
    }
  }

  /** Abandons the stream from this side: sends `reset`, fails both bodies. No-op once finished. */
  resetLocal(code: ResetCode, message: string, cause?: unknown): void {
    if (this.#finished) return;
    const text = message.slice(0, MAX_RESET_MESSAGE_CHARS);
    this.#sendControl({ type: "reset", stream: this.id, code, message: text });
    this.fail(new StreamResetError(code, text, { cause }));
  }

  /** The peer sent `reset`: fails the stream without answering. */
  failByPeer(code: ResetCode, message: string): void {
    this.fail(new StreamResetError(code, message, { remote: true }));
  }

  /**
   * Ends the stream with `error` without telling the peer (its `reset`, or the connection's
   * end): fails the bodies that had not ended, the response and `done`. No-op once finished.
   */
  fail(error: Error): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#failed = error;
    this.#options.onRemoved(this);
    this.credit.close(error);
    // A body that already reached its END is whole: the consumer may still read it.
    if (!this.#receivedEnd) this.#reader?.destroy(error);
    if (!this.#sentEnd) this.#writer?.destroy(error);
    this.#abort?.abort(error);
    this.#response.reject(error);
    this.#done.reject(error);
  }

  #failure(): Error {
    return this.#failed ?? new StreamResetError("internal_error", "the stream is closed");
  }

  #resetFromError(error: Error | null): void {
    if (error instanceof StreamResetError) {
      this.resetLocal(error.code, error.message, error);
      return;
    }
    const message = error?.message ?? "the body stream was destroyed";
    this.resetLocal(this.#options.defaultResetCode, message, error ?? undefined);
  }

  #finishIfDone(): void {
    if (this.#finished || !this.#sentEnd || !this.#receivedEnd) return;
    this.#finished = true;
    this.#options.onRemoved(this);
    this.credit.close();
    this.#done.resolve();
  }

  #sendControl(message: Message): void {
    this.#options.sender.send(encodeMessage(message));
  }
}
