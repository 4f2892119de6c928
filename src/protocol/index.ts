/**
 * @module
 * The agent ↔ relay wire protocol: one discriminated union of control messages (JSON text
 * frames), binary data frames for body bytes, one codec that validates everything it decodes,
 * typed handler tables, and credit-based flow control. Transport-free: it deals in frames
 * (`string | Uint8Array`) and never touches a socket.
 *
 * Imports nothing else of hooktap; the relay and the agent import it.
 */

export {
  decodeAgentFrame,
  decodeAgentMessage,
  decodeFrame,
  decodeMessage,
  decodeRelayFrame,
  decodeRelayMessage,
  encodeMessage,
} from "./codec.js";
export { decodeData, encodeData } from "./data-frame.js";
export type { Handlers } from "./dispatch.js";
export { assertNever, dispatch } from "./dispatch.js";
export type { ProtocolErrorCode, ProtocolErrorOptions } from "./errors.js";
export { errorMessageFor, ProtocolError } from "./errors.js";
export { CreditWindow, ReceiveWindow } from "./flow.js";
export {
  DATA_FRAME_HEADER_BYTES,
  END_FLAG,
  INITIAL_WINDOW_BYTES,
  MAX_CONTROL_FRAME_BYTES,
  MAX_DATA_PAYLOAD_BYTES,
  MAX_EDGE_BODY_BYTES,
  MAX_FRAME_BYTES,
  MAX_STREAM_ID,
  MAX_WINDOW_BYTES,
  MIN_STREAM_ID,
} from "./limits.js";
export type {
  AgentMessage,
  ClientInfo,
  DataFrame,
  EdgeBody,
  EdgeMessage,
  EdgePolicy,
  EdgeReason,
  EdgeReport,
  ErrorCode,
  ErrorMessage,
  Frame,
  HelloMessage,
  LiveRequestMessage,
  Message,
  MessageType,
  PolicyMessage,
  QueuedRequestMessage,
  RawHeaders,
  RelayMessage,
  RequestMessage,
  RequiredHeader,
  ResetCode,
  ResetMessage,
  ResponseMessage,
  WelcomeMessage,
  WindowMessage,
} from "./messages.js";
export { PROTOCOL_VERSION } from "./messages.js";
export type { Sender } from "./validate.js";
