/**
 * The errors of the stream layer (mux.ts). A `ProtocolError` says a frame was bad; these say
 * what became of an exchange: reset, cut by the connection, or never started.
 */
import type { ErrorCode, ResetCode } from "./messages.js";

/** Extra data of a {@link StreamResetError}. */
export interface StreamResetErrorOptions {
  /** True when the peer sent the `reset`; false when this side reset the stream. */
  remote?: boolean;
  cause?: unknown;
}

/**
 * A stream was abandoned with a `reset`: by the peer (`remote`), or by this side (a call to
 * `reset()`, a body stream destroyed with an error, or a protocol error on the stream).
 * Thrown into the stream's body streams, its `response` and `done` promises.
 *
 * Destroy a body stream with one to choose the reset code the peer sees.
 *
 * @example
 * upstream.on("error", (cause) =>
 *   writer.destroy(new StreamResetError("upstream_error", "the app closed the socket", { cause })),
 * );
 */
export class StreamResetError extends Error {
  override readonly name = "StreamResetError";
  readonly code: ResetCode;
  /** True when the peer sent the `reset`. */
  readonly remote: boolean;

  constructor(code: ResetCode, message: string, options: StreamResetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.remote = options.remote ?? false;
  }
}

/** Extra data of a {@link ConnectionClosedError}. */
export interface ConnectionClosedErrorOptions {
  /** The `error` message's code, when the connection ended with one (sent or received). */
  code?: ErrorCode;
  /** True when the peer sent the `error` message. */
  remote?: boolean;
  cause?: unknown;
}

/**
 * The connection under a stream went away: the mux was closed (the WebSocket closed), a
 * fatal `error` was sent or received, or the socket failed. Every open stream fails with it.
 *
 * @example
 * stream.response.catch((error) => {
 *   if (error instanceof ConnectionClosedError) reply(502, "the agent disconnected");
 * });
 */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
  /** The `error` message's code, when the connection ended with one. */
  readonly code: ErrorCode | undefined;
  /** True when the peer ended the connection with an `error` message. */
  readonly remote: boolean;

  constructor(message: string, options: ConnectionClosedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.remote = options.remote ?? false;
  }
}

/**
 * `openRequest` was refused: `maxConcurrentStreams` streams are open on the connection (or,
 * after four billion streams, ids ran out). Nothing was sent. The relay answers 503.
 *
 * @example
 * try {
 *   mux.openRequest(head, req);
 * } catch (error) {
 *   if (error instanceof StreamLimitError) return reply(503, "too many requests in flight");
 *   throw error;
 * }
 */
export class StreamLimitError extends Error {
  override readonly name = "StreamLimitError";
  /** The `maxConcurrentStreams` in force. */
  readonly limit: number;

  constructor(message: string, limit: number) {
    super(message);
    this.limit = limit;
  }
}
