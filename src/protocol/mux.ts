/**
 * The session layer both ends share: many HTTP exchanges multiplexed on one WebSocket, with
 * flow control, so that the relay and the agent deal in HTTP heads and Node streams only.
 *
 * Streams. The relay alone opens streams, with ids increasing from 1 and never reused on a
 * connection: a frame that crossed a `reset` in flight can then never land on a newer stream.
 * Bodies are Node streams: a Writable that cuts writes into data frames within the peer's
 * credit (stream-writer.ts), and a Readable that grants credit back as its consumer reads
 * (stream-reader.ts). A stream leaves the table when both ENDs went through, or on a reset.
 *
 * Backpressure, twice. Credit bounds what one stream may have buffered on the peer (one
 * window per direction); the transport high-water mark (frame-socket.ts) bounds what all
 * streams together have queued on this side's socket.
 *
 * What a bad peer costs. Dropped silently, because it can cross a `reset` in flight: data,
 * `window`, `response` and `reset` for a stream that is no longer open. Stream errors (the
 * stream is reset, the others go on): data before `response` or after END (`protocol_error`),
 * data beyond credit or a grant past `MAX_WINDOW_BYTES` (`flow_control`), a second `response`
 * (`protocol_error`). Connection errors (`error` sent, socket closed, every stream failed):
 * a frame that does not decode (`bad_message`, `unsupported_protocol`: close code 1002); on
 * the relay, a frame for a stream id it never opened, and on the agent, a `request` for an
 * id already open (`unexpected_message`, 1002): the two ends no longer agree on which
 * streams exist, so any frame on that id is ambiguous. A throw from `onControl` closes with
 * `internal_error` (1011). Close codes for every `error` code: `closeCodeFor`.
 */
import type { Readable } from "node:stream";
import { decodeAgentFrame, decodeRelayFrame, encodeMessage } from "./codec.js";
import { assertNever } from "./dispatch.js";
import { errorMessageFor, ProtocolError } from "./errors.js";
import {
  closeCodeFor,
  DEFAULT_HIGH_WATER_MARK_BYTES,
  FrameSender,
  type FrameSocket,
} from "./frame-socket.js";
import { handOver, messageOf } from "./incoming-request.js";
import { MAX_STREAM_ID } from "./limits.js";
import type { DataFrame, ErrorCode, ErrorMessage, Message, RequestMessage } from "./messages.js";
import { MuxStream } from "./mux-stream.js";
import type {
  AgentMux,
  AgentMuxOptions,
  MuxOptions,
  OutgoingRequestStream,
  RelayMux,
  RelayMuxOptions,
  RequestHead,
} from "./mux-types.js";
import { ConnectionClosedError, StreamLimitError } from "./stream-errors.js";

/** Default `maxConcurrentStreams`. */
export const DEFAULT_MAX_CONCURRENT_STREAMS = 256;

const CONTROL_TYPES = {
  relay: new Set<string>(["welcome", "edge"]),
  agent: new Set<string>(["hello", "policy"]),
};

class Mux {
  readonly #side: "relay" | "agent";
  readonly #socket: FrameSocket;
  readonly #sender: FrameSender;
  readonly #maxStreams: number;
  readonly #onControl: (message: Message) => void;
  readonly #onRequest: AgentMuxOptions["onRequest"];
  readonly #streams = new Map<number, MuxStream>();
  #nextId = 1;
  #closed = false;

  constructor(options: MuxOptions) {
    if (options.side !== "relay" && options.side !== "agent") {
      const side: unknown = (options as { side?: unknown }).side;
      throw new TypeError(`side must be "relay" or "agent", got ${String(side)}`);
    }
    const max = options.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxConcurrentStreams must be a positive integer, got ${max}`);
    }
    this.#side = options.side;
    this.#socket = options.socket;
    this.#maxStreams = max;
    this.#onControl = options.onControl as (message: Message) => void;
    this.#onRequest = options.side === "agent" ? options.onRequest : undefined;
    this.#sender = new FrameSender(
      options.socket,
      options.highWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES,
      (cause) => this.close(new ConnectionClosedError("the socket failed to send", { cause })),
      options.transport,
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  get openStreams(): number {
    return this.#streams.size;
  }

  get bufferedBytes(): number {
    let bytes = 0;
    for (const stream of this.#streams.values()) bytes += stream.bufferedBytes;
    return bytes;
  }

  get unflushedBytes(): number {
    return this.#sender.unflushedBytes;
  }

  receive(data: string | Uint8Array): void {
    if (this.#closed) return;
    let frame: ReturnType<typeof decodeAgentFrame> | ReturnType<typeof decodeRelayFrame>;
    try {
      frame = this.#side === "relay" ? decodeAgentFrame(data) : decodeRelayFrame(data);
    } catch (error) {
      const message =
        error instanceof ProtocolError
          ? errorMessageFor(error)
          : errorMessage("internal_error", "the frame could not be decoded");
      this.#fatal(message, error);
      return;
    }
    try {
      if (frame.kind === "data") this.#onData(frame);
      else this.#onMessage(frame.message);
    } catch (error) {
      this.#fatal(
        errorMessage("internal_error", `handling a frame failed: ${messageOf(error)}`),
        error,
      );
    }
  }

  sendControl(message: Message): boolean {
    if (!CONTROL_TYPES[this.#side].has(message.type)) {
      throw new TypeError(`the ${this.#side} mux does not send "${message.type}" by sendControl`);
    }
    const text = encodeMessage(message);
    if (this.#closed) return false;
    return this.#sender.send(text);
  }

  closeWithError(code: ErrorCode, message: string): void {
    this.#fatal(errorMessage(code, message));
  }

  close(reason?: Error): void {
    if (this.#closed) return;
    const error =
      reason instanceof ConnectionClosedError
        ? reason
        : new ConnectionClosedError(
            "the connection closed",
            reason === undefined ? {} : { cause: reason },
          );
    this.#shutdown(error);
  }

  openRequest(head: RequestHead, body: Readable | null): OutgoingRequestStream {
    if (this.#side !== "relay") throw new TypeError("only the relay opens streams");
    if (this.#closed) throw new ConnectionClosedError("the connection is closed");
    if (this.#streams.size >= this.#maxStreams) {
      throw new StreamLimitError(`${this.#maxStreams} streams are open`, this.#maxStreams);
    }
    if (this.#nextId > MAX_STREAM_ID) {
      throw new StreamLimitError("stream ids ran out on this connection", this.#maxStreams);
    }
    const id = this.#nextId;
    // Not `{ ...head, type, stream }`: see "Hot paths" in ARCHITECTURE.md.
    const text = encodeMessage(Object.assign({}, head, { type: "request" as const, stream: id }));
    this.#nextId++;
    const stream = this.#open(id, "aborted");
    this.#sender.send(text);
    if (body === null) stream.sendNoBody();
    else stream.sendBody(body);
    return {
      id,
      response: stream.response,
      reset: (code, message) => stream.resetLocal(code, message),
      done: stream.done,
    };
  }

  #open(id: number, defaultResetCode: "aborted" | "upstream_error"): MuxStream {
    const stream = new MuxStream({
      id,
      sender: this.#sender,
      defaultResetCode,
      onRemoved: (removed) => {
        if (this.#streams.get(removed.id) === removed) this.#streams.delete(removed.id);
      },
    });
    this.#streams.set(id, stream);
    return stream;
  }

  #onData(frame: DataFrame): void {
    this.#streamFor(frame.stream)?.receiveData(frame.payload, frame.end);
  }

  #onMessage(message: Message): void {
    switch (message.type) {
      case "hello":
      case "policy":
      case "welcome":
      case "edge":
        this.#onControl(message);
        return;
      case "error":
        this.#onControl(message);
        this.#shutdown(
          new ConnectionClosedError(`the peer ended the connection: ${message.message}`, {
            code: message.code,
            remote: true,
          }),
        );
        return;
      case "request":
        this.#onIncoming(message);
        return;
      case "response":
        this.#streamFor(message.stream)?.acceptResponse(message.status, message.rawHeaders);
        return;
      case "window":
        this.#streamFor(message.stream)?.receiveGrant(message.bytes);
        return;
      case "reset":
        this.#streamFor(message.stream)?.failByPeer(message.code, message.message);
        return;
      default:
        assertNever(message, "message");
    }
  }

  /** The open stream `id`; undefined for one that is over (dropped) or never existed (fatal). */
  #streamFor(id: number): MuxStream | undefined {
    const stream = this.#streams.get(id);
    if (stream === undefined && this.#side === "relay" && id >= this.#nextId) {
      this.#fatal(errorMessage("unexpected_message", `stream ${id} was never opened`));
    }
    return stream;
  }

  #onIncoming(message: RequestMessage): void {
    const id = message.stream;
    if (this.#streams.has(id)) {
      this.#fatal(errorMessage("unexpected_message", `stream ${id} is already open`));
      return;
    }
    const handler = this.#onRequest;
    if (handler === undefined || this.#streams.size >= this.#maxStreams) {
      const why =
        handler === undefined
          ? "this agent takes no requests"
          : `${this.#maxStreams} streams are open`;
      this.#sender.send(
        encodeMessage({ type: "reset", stream: id, code: "refused", message: why }),
      );
      return;
    }
    handOver(this.#open(id, "upstream_error"), message, handler);
  }

  #fatal(message: ErrorMessage, cause?: unknown): void {
    if (this.#closed) return;
    this.#sender.send(encodeMessage(message));
    try {
      this.#socket.close(closeCodeFor(message.code), message.code);
    } catch {
      // The connection is going away either way; the streams must still fail below.
    }
    this.#shutdown(new ConnectionClosedError(message.message, { code: message.code, cause }));
  }

  #shutdown(error: ConnectionClosedError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sender.close(error);
    for (const stream of [...this.#streams.values()]) stream.fail(error);
  }
}

function errorMessage(code: ErrorCode, message: string): ErrorMessage {
  return { type: "error", code, message };
}

/**
 * Creates one end of a connection's session layer over a WebSocket. Feed it every message
 * with `receive`, and call `close` when the socket closes.
 *
 * @example
 * // relay, per agent connection (the agent passes `side: "agent"` and `onRequest`)
 * const mux = createMux({ side: "relay", socket: ws, onControl: (m) => handshake(m) });
 * ws.on("message", (data, isBinary) => mux.receive(isBinary ? (data as Buffer) : data.toString()));
 * ws.on("close", () => mux.close());
 * const stream = mux.openRequest(head, req);
 * const { status, rawHeaders, body } = await stream.response;
 * res.writeHead(status, rawHeaders.flat());
 * body.pipe(res);
 */
export function createMux(options: RelayMuxOptions): RelayMux;
export function createMux(options: AgentMuxOptions): AgentMux;
export function createMux(options: MuxOptions): RelayMux | AgentMux {
  return new Mux(options) as RelayMux;
}
