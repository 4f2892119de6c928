/**
 * The one error the protocol throws. Its `code` says what was wrong; its message names the
 * field and never echoes a field's value, because values include tokens and auth secrets.
 */
import type { ErrorMessage } from "./messages.js";

/**
 * Why a frame or a flow-control step was refused.
 *
 * - `invalid_frame`: neither a string (text frame) nor a `Uint8Array` (binary frame).
 * - `frame_too_large`: over `MAX_CONTROL_FRAME_BYTES`, or a data payload over `MAX_DATA_PAYLOAD_BYTES`.
 * - `malformed_json`: a text frame that is not JSON.
 * - `unknown_type`: a JSON object whose `type` is not a message of this protocol version.
 * - `wrong_direction`: a known message sent the wrong way (a `welcome` from an agent).
 * - `unsupported_protocol`: a `hello`/`welcome` for another `PROTOCOL_VERSION`.
 * - `invalid_message`: a missing or ill-typed field; `field` holds its path.
 * - `truncated_frame`: a binary frame shorter than the data frame header.
 * - `invalid_flags`: a data frame with a reserved flag bit set.
 * - `invalid_stream`: a stream id outside 1..2^32-1.
 * - `flow_control`: more bytes than the credit allows, or a grant past `MAX_WINDOW_BYTES`.
 * - `closed`: a window used after `close()`.
 */
export type ProtocolErrorCode =
  | "invalid_frame"
  | "frame_too_large"
  | "malformed_json"
  | "unknown_type"
  | "wrong_direction"
  | "unsupported_protocol"
  | "invalid_message"
  | "truncated_frame"
  | "invalid_flags"
  | "invalid_stream"
  | "flow_control"
  | "closed";

/** Extra data of a {@link ProtocolError}. */
export interface ProtocolErrorOptions {
  /** Path of the offending field, e.g. `request.rawHeaders[3]`. */
  field?: string;
  cause?: unknown;
}

/**
 * Thrown by every decoder of this module on bad input (never another error type), by the
 * encoders when asked to send something the peer would refuse, and by the flow-control windows.
 *
 * @example
 * try {
 *   decodeFrame(data);
 * } catch (error) {
 *   if (error instanceof ProtocolError) logger.warn("bad frame", { code: error.code, field: error.field });
 *   else throw error;
 * }
 */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  readonly code: ProtocolErrorCode;
  /** Path of the offending field, when one field is to blame. */
  readonly field: string | undefined;

  constructor(code: ProtocolErrorCode, message: string, options: ProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}

/**
 * The fatal `error` message to send before closing, when a received frame failed to decode.
 * The message text is the decoder's, which names the field but never quotes a value.
 *
 * @example
 * } catch (error) {
 *   if (!(error instanceof ProtocolError)) throw error;
 *   socket.send(encodeMessage(errorMessageFor(error)));
 *   socket.close();
 * }
 */
export function errorMessageFor(error: ProtocolError): ErrorMessage {
  const code = error.code === "unsupported_protocol" ? "unsupported_protocol" : "bad_message";
  return { type: "error", code, message: error.message };
}
