/**
 * @module
 * The agent ↔ relay wire protocol: one discriminated union of control messages (JSON text
 * frames), binary data frames for body bytes, one codec that validates everything it decodes,
 * typed handler tables, credit-based flow control, and the mux: many HTTP exchanges as Node
 * streams over one connection. Transport-free: it deals in frames (`string | Uint8Array`) and
 * a two-method `FrameSocket` that a `ws` WebSocket satisfies, and never imports a transport.
 * The `LinkSocket` under the relay's sessions and the agent's connections is either a
 * WebSocket (adapted by its shape) or an in-process pair (`createLocalLinkPair`).
 *
 * Imports only `http` of hooktap (the HTTP token check); the relay and the agent import it.
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
export type { CorkableTransport, FrameSocket } from "./frame-socket.js";
export { closeCodeFor, DEFAULT_HIGH_WATER_MARK_BYTES } from "./frame-socket.js";
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
export type { LinkHandlers, LinkSocket, LinkState } from "./link.js";
export { createLocalLinkPair } from "./local-link.js";
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
export { createMux, DEFAULT_MAX_CONCURRENT_STREAMS } from "./mux.js";
export type {
  AgentControlMessage,
  AgentMux,
  AgentMuxOptions,
  IncomingRequestStream,
  IncomingResponse,
  MuxBase,
  MuxOptions,
  OutgoingRequestStream,
  RelayControlMessage,
  RelayMux,
  RelayMuxOptions,
  RequestHead,
} from "./mux-types.js";
export type { ConnectionClosedErrorOptions, StreamResetErrorOptions } from "./stream-errors.js";
export { ConnectionClosedError, StreamLimitError, StreamResetError } from "./stream-errors.js";
export type { Sender } from "./validate.js";
export type { WebSocketLike } from "./ws-link.js";
export { linkOverWebSocket } from "./ws-link.js";
