/**
 * The contract of the mux (mux.ts): its options, the two handles (relay, agent) and the two
 * stream handles, so the relay and the agent deal in HTTP heads and Node streams only.
 */
import type { Readable, Writable } from "node:stream";
import type { CorkableTransport, FrameSocket } from "./frame-socket.js";
import type {
  EdgeMessage,
  ErrorCode,
  ErrorMessage,
  HelloMessage,
  LiveRequestMessage,
  PolicyMessage,
  QueuedRequestMessage,
  RawHeaders,
  RequestMessage,
  ResetCode,
  WelcomeMessage,
} from "./messages.js";
import type { IncomingResponse } from "./mux-stream.js";

export type { IncomingResponse } from "./mux-stream.js";

/** The connection-level messages an agent sends (`error` goes through `closeWithError`). */
export type AgentControlMessage = HelloMessage | PolicyMessage;

/** The connection-level messages a relay sends (`error` goes through `closeWithError`). */
export type RelayControlMessage = WelcomeMessage | EdgeMessage;

/** A `request` without what the mux fills in (`type`, `stream`). */
export type RequestHead =
  | Omit<LiveRequestMessage, "type" | "stream">
  | Omit<QueuedRequestMessage, "type" | "stream">;

/** Options shared by both sides. */
interface MuxCommonOptions {
  /** The WebSocket (a `ws` WebSocket fits as it is). */
  socket: FrameSocket;
  /**
   * Streams open at once. The relay's `openRequest` throws `StreamLimitError` beyond it; the
   * agent refuses extra `request`s with a `refused` reset.
   * @default 256
   */
  maxConcurrentStreams?: number;
  /**
   * Unflushed bytes on the socket above which data frames wait (control frames never do).
   * @default 1048576 (1 MiB)
   */
  highWaterMarkBytes?: number;
  /**
   * The byte stream under the WebSocket (its `net.Socket`). When given, the frames sent in one
   * event-loop turn leave in one write: the mux corks it at the turn's first frame and uncorks
   * it once the turn's callbacks have run (a request's head and END, or a response's head,
   * body and END, are then one write and one wake-up of the peer instead of two or three).
   */
  transport?: CorkableTransport | undefined;
}

/** {@link createMux} options for the relay's end of a connection. */
export interface RelayMuxOptions extends MuxCommonOptions {
  side: "relay";
  /**
   * Every connection-level message from the agent. After an `error` the mux is closed and
   * its streams failed. A throw closes the connection with `internal_error`.
   */
  onControl: (message: AgentControlMessage | ErrorMessage) => void;
}

/** {@link createMux} options for the agent's end of a connection. */
export interface AgentMuxOptions extends MuxCommonOptions {
  side: "agent";
  /**
   * Every connection-level message from the relay. After an `error` the mux is closed and
   * its streams failed. A throw closes the connection with `internal_error`.
   */
  onControl: (message: RelayControlMessage | ErrorMessage) => void;
  /**
   * Each request the relay forwards. Without it every request is refused. A throw (or a
   * rejected promise) resets that stream with `internal_error`.
   */
  onRequest?: (stream: IncomingRequestStream) => void | Promise<void>;
}

/** Either side's {@link createMux} options. */
export type MuxOptions = RelayMuxOptions | AgentMuxOptions;

/** What both handles offer. */
export interface MuxBase<Control> {
  /**
   * Feeds one WebSocket message: text as a string, binary as bytes (kept as a view, not
   * copied: do not reuse the buffer). Never throws: a bad frame closes the connection.
   */
  receive(data: string | Uint8Array): void;
  /**
   * Sends a connection-level message. Returns false, sending nothing, once closed. Throws
   * `ProtocolError` for a message the peer would refuse, `TypeError` for a stream message.
   */
  sendControl(message: Control): boolean;
  /**
   * Ends the connection with an `error` message: sends it, closes the socket with
   * `closeCodeFor(code)` and fails every stream with a `ConnectionClosedError`.
   */
  closeWithError(code: ErrorCode, message: string): void;
  /**
   * Fails every open stream with a `ConnectionClosedError` (`reason` as its cause) and stops
   * sending. Call it when the WebSocket closes. Leaves the socket alone. Idempotent.
   */
  close(reason?: Error): void;
  /** True after `close`, `closeWithError`, a fatal protocol error, or the peer's `error`. */
  readonly closed: boolean;
  /** Streams open now: for stats, and bounded by `maxConcurrentStreams`. */
  readonly openStreams: number;
  /** Body bytes received on open streams and not yet read by their consumers. */
  readonly bufferedBytes: number;
  /** Bytes handed to the socket and not yet flushed. */
  readonly unflushedBytes: number;
}

/** The relay's end of a connection: opens streams. */
export interface RelayMux extends MuxBase<RelayControlMessage> {
  /**
   * Forwards a request: sends `request` on a new stream, then streams `body` as data frames
   * (credit and transport backpressure reach `body` through `pipe`), then END. If `body`
   * errors or closes early the stream is reset (`aborted`); if the stream fails, `body` is
   * unpiped but not destroyed, so the public client can still be answered.
   *
   * Throws `StreamLimitError` at `maxConcurrentStreams` (answer 503), `ConnectionClosedError`
   * once closed, `ProtocolError` for a head the agent would refuse. Nothing is sent then.
   *
   * `body` null is a request without a body (no `Content-Length`, or 0, and no
   * `Transfer-Encoding`): the END frame follows `request` at once, with no stream to pipe.
   */
  openRequest(head: RequestHead, body: Readable | null): OutgoingRequestStream;
}

/** The agent's end of a connection: streams come through `onRequest`. */
export type AgentMux = MuxBase<AgentControlMessage>;

/** A request the relay forwarded, as the relay holds it. */
export interface OutgoingRequestStream {
  /** The stream id on this connection. */
  readonly id: number;
  /**
   * The agent's response head, with its body as a Readable that grants credit as it is read
   * (a slow reader slows the agent down). Rejects with `StreamResetError` (the agent's reset,
   * e.g. `upstream_unreachable`) or `ConnectionClosedError`.
   */
  readonly response: Promise<IncomingResponse>;
  /**
   * Abandons the stream (e.g. `aborted` when the public client left, `upstream_timeout`):
   * sends `reset`, fails the bodies. No-op once the stream is over.
   */
  reset(code: ResetCode, message: string): void;
  /** Resolves once both bodies reached their END on the wire; rejects like `response`. */
  readonly done: Promise<void>;
}

/** A request from the relay, as the agent gets it. */
export interface IncomingRequestStream {
  /** The stream id on this connection. */
  readonly id: number;
  /** The `request` message as received. */
  readonly head: RequestMessage;
  /**
   * The request body; credit is granted as it is read. Read it to its end, or `destroy()` it
   * to discard the rest: unread, it stalls the relay's upload and the stream stays open.
   * Destroyed with an error, it resets the stream (`upstream_error` unless the error is a
   * `StreamResetError`).
   */
  readonly body: Readable;
  /**
   * Sends `response` and returns the response body: write it, then `end()` (sends END).
   * Destroying it with an error resets the stream. Throws if called twice, and
   * `ProtocolError` for a status or headers the relay would refuse (nothing is sent: reset
   * the stream then). After a reset it returns an already destroyed Writable.
   */
  respond(status: number, rawHeaders: RawHeaders): Writable;
  /** Abandons the stream (e.g. `upstream_unreachable`): sends `reset`. No-op once over. */
  reset(code: ResetCode, message: string): void;
  /** Aborted when the stream fails (reset either way, or connection lost); reason is the error. */
  readonly aborted: AbortSignal;
  /** Resolves once both bodies reached their END on the wire; rejects when the stream fails. */
  readonly done: Promise<void>;
}
