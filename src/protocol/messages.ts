/**
 * The agent ↔ relay protocol as data: every message either side may send, and the data frame.
 *
 * Framing. One WebSocket carries many streams (one stream = one HTTP exchange). Control
 * messages are JSON text frames, one message per frame. Body bytes travel untouched in binary
 * data frames (data-frame.ts): `u32 stream | u8 flags | payload`, never base64, never JSON.
 *
 * A stream's life. The relay alone opens streams: it picks an id not in use on this
 * connection and sends `request`; the request body follows as data frames from the relay, the
 * last one flagged END (an empty body is one empty END frame). The agent answers `response`,
 * then the response body as data frames, the last one flagged END. The stream is over when
 * both directions have sent END, or when either side sends `reset`. Each direction starts with
 * `INITIAL_WINDOW_BYTES` of credit and gets more through `window` (flow.ts). Frames and
 * grants that cross a `reset` in flight are expected: the receiver drops them silently.
 *
 * Connection. The agent opens with `hello`; the relay answers `welcome`, or `error` and
 * closes. Liveness is the transport's job (WebSocket ping/pong every `heartbeatMs`), so there
 * is no ping message. `error` is fatal: its sender closes the connection right after it.
 *
 * Versioning. `hello` and `welcome` carry `PROTOCOL_VERSION`; adding a message type or a value
 * to a closed set (codes, reasons) bumps it, except for `error` codes a peer sends just before
 * closing (see `replaced`). Decoders ignore fields they do not know, so adding an optional field
 * does not. The `protocol` field of `hello` and the whole `error` message
 * keep their shape in every version: they are how two versions tell each other apart.
 */

/** The version this code speaks, carried by `hello` and `welcome`. */
export const PROTOCOL_VERSION = 1;

/**
 * Header fields in wire order, with their original case and repeats, as Node's
 * `rawHeaders` gives them but paired. Bytes are sacred: never a map.
 */
export type RawHeaders = [name: string, value: string][];

/** An HTTP header the relay requires on every request (Okta's `Authorization` secret). */
export interface RequiredHeader {
  /** An HTTP token; matched case-insensitively. */
  name: string;
  /** Compared in constant time by the relay. */
  value: string;
}

/** What the relay does on its own, at the edge, for an endpoint. */
export interface EdgePolicy {
  /** Who answers Okta's one-time verification GET: the local app, or the relay itself. */
  oktaChallenge: "app" | "edge";
  /** Requests without this exact header get a 401 from the relay; `null` lets all through. */
  requireHeader: RequiredHeader | null;
  /** Requests with a larger body get a 413 from the relay. */
  maxBodyBytes: number;
  /** When the relay stores requests and answers for the app: when no agent is connected, always, or never. */
  queue: "offline" | "always" | "never";
}

/** Who the agent is, for the relay's logs. */
export interface ClientInfo {
  name: string;
  version: string;
}

/** Agent → relay, first frame: authenticate and claim an endpoint. */
export interface HelloMessage {
  type: "hello";
  protocol: number;
  /** Secret; never logged, never echoed in errors. */
  token: string;
  /** Requested name: a lowercase DNS label (1-63 of `[a-z0-9-]`, no leading or trailing `-`). */
  endpoint: string;
  policy: EdgePolicy;
  client: ClientInfo;
}

/** Agent → relay: the start of the app's response on a stream; the body follows as data frames. */
export interface ResponseMessage {
  type: "response";
  stream: number;
  /** A final status, 200-599: interim 1xx responses are not forwarded, upgrades are unsupported. */
  status: number;
  rawHeaders: RawHeaders;
}

/** Either way: the sender may send `bytes` more body bytes on `stream` to whoever sent this. */
export interface WindowMessage {
  type: "window";
  stream: number;
  /** Positive; credit accumulates up to `MAX_WINDOW_BYTES`. */
  bytes: number;
}

/** Why a stream was abandoned. */
export type ResetCode =
  /** The local app refused the connection or was not found. */
  | "upstream_unreachable"
  /** The local app did not answer in time. */
  | "upstream_timeout"
  /** The local app broke the exchange (socket closed mid-response, invalid response). */
  | "upstream_error"
  /** The other end went away: the public client disconnected, or the agent is shutting down. */
  | "aborted"
  /** The body is larger than the endpoint's `maxBodyBytes`. */
  | "body_too_large"
  /** The peer sent more than its credit. */
  | "flow_control"
  /** The peer broke the stream's life (data before `response`, after END…). */
  | "protocol_error"
  /** The receiver will not take the stream now (too many streams, draining). */
  | "refused"
  | "internal_error";

/** Either way: abandon a stream. No more frames follow on it from the sender. */
export interface ResetMessage {
  type: "reset";
  stream: number;
  code: ResetCode;
  /** For humans: shown in the inspector and in the relay's 502 body. */
  message: string;
}

/** Agent → relay: replace the endpoint's edge policy. */
export interface PolicyMessage {
  type: "policy";
  policy: EdgePolicy;
}

/** Relay → agent: the answer to `hello`; the agent may now receive `request`s. */
export interface WelcomeMessage {
  type: "welcome";
  protocol: number;
  /** The endpoint granted (the one asked for). */
  endpoint: string;
  /** Public URLs that reach the endpoint, e.g. `https://relay.example/<endpoint>`. At least one. */
  urls: string[];
  /** Identifies this connection in the relay's logs. */
  sessionId: string;
  /** The interval of transport-level pings; a peer silent for three of them is gone. */
  heartbeatMs: number;
}

interface RequestFields {
  type: "request";
  stream: number;
  /** An HTTP token, as received (case kept). */
  method: string;
  /** Path and query as received, after the relay stripped the `/<endpoint>` prefix; starts with `/`. */
  target: string;
  /** As Node reports it: `"1.1"`, `"1.0"`. */
  httpVersion: string;
  rawHeaders: RawHeaders;
  /** The public client's address as the relay saw it. */
  remoteAddress: string;
  /** The scheme the public client used to reach the relay (for `X-Forwarded-Proto`). */
  scheme: "http" | "https";
  /** When the relay got the request line, epoch milliseconds. */
  receivedAt: number;
}

/** Relay → agent: a request forwarded as it arrives; the sender waits for the app's answer. */
export interface LiveRequestMessage extends RequestFields {
  origin: "live";
}

/** Relay → agent: a request the relay stored and already answered; the `response` is its ack. */
export interface QueuedRequestMessage extends RequestFields {
  origin: "queued";
  queueId: string;
  /** 1 for the first delivery, then +1 per retry. */
  attempt: number;
}

/** Relay → agent: open a stream with a request; its body follows as data frames. */
export type RequestMessage = LiveRequestMessage | QueuedRequestMessage;

/** Why the relay answered a request itself. */
export type EdgeReason =
  /** Okta's verification GET, answered at the edge (`oktaChallenge: "edge"`). */
  | "challenge"
  /** The required header was missing or wrong: 401. */
  | "unauthorized"
  /** The body was over `maxBodyBytes`: 413. */
  | "too_large"
  /** Stored for later delivery and answered 200; the delivery comes as a `queued` request. */
  | "queued"
  /** No agent and no queueing: 502/503. */
  | "offline";

/** A body as the inspector gets it from an edge report: possibly cut, never altered. */
export interface EdgeBody {
  /** The first bytes of the body (at most `MAX_EDGE_BODY_BYTES`), base64. */
  base64: string;
  /** True when `base64` holds fewer bytes than `size`. */
  truncated: boolean;
  /** The whole body's size in bytes. */
  size: number;
}

/** A request the relay answered or blocked itself, for the agent's inspector. */
export interface EdgeReport {
  reason: EdgeReason;
  /** Set when `reason` is `"queued"`: matches the `queueId` of the later `queued` request. */
  queueId?: string;
  receivedAt: number;
  durationMs: number;
  request: {
    method: string;
    /** Without the endpoint prefix, as in `request`. */
    target: string;
    httpVersion: string;
    rawHeaders: RawHeaders;
    remoteAddress: string;
    scheme: "http" | "https";
    body: EdgeBody;
  };
  response: {
    status: number;
    rawHeaders: RawHeaders;
    body: EdgeBody;
  };
}

/** Relay → agent: report an exchange that never reached the agent as a stream. */
export interface EdgeMessage {
  type: "edge";
  exchange: EdgeReport;
}

/** Why a connection is being closed. */
export type ErrorCode =
  | "bad_token"
  /** Another agent holds the endpoint. */
  | "endpoint_taken"
  /** The token may not claim this endpoint. */
  | "endpoint_forbidden"
  | "unsupported_protocol"
  /** A frame failed to decode (any `ProtocolError` but `unsupported_protocol`). */
  | "bad_message"
  /** A well-formed message at the wrong time: a second `hello`, a `response` to no stream. */
  | "unexpected_message"
  | "heartbeat_timeout"
  | "shutting_down"
  /**
   * Relay → agent: a newer connection with the same token took the endpoint over; the agent
   * must not dial again (it would take it back). Added within version 1: an older agent fails
   * to decode it and redials with backoff, as it did on the `shutting_down` sent before.
   */
  | "replaced"
  | "internal_error";

/** Either way, fatal: the sender closes the connection right after it. */
export interface ErrorMessage {
  type: "error";
  code: ErrorCode;
  message: string;
}

/** Every message an agent may send. */
export type AgentMessage =
  | HelloMessage
  | ResponseMessage
  | WindowMessage
  | ResetMessage
  | PolicyMessage
  | ErrorMessage;

/** Every message a relay may send. */
export type RelayMessage =
  | WelcomeMessage
  | RequestMessage
  | WindowMessage
  | ResetMessage
  | EdgeMessage
  | ErrorMessage;

/** Every control message of the protocol, discriminated on `type`. */
export type Message = AgentMessage | RelayMessage;

/** The literal `type` of every message. */
export type MessageType = Message["type"];

/** A binary frame: a piece of one direction's body on one stream. */
export interface DataFrame {
  /** 1..2^32-1. */
  stream: number;
  /** The last frame of this direction's body. */
  end: boolean;
  /** 0..`MAX_DATA_PAYLOAD_BYTES` bytes. Decoded frames hold a view of the received buffer, not a copy. */
  payload: Uint8Array;
}

/** What arrives on the socket: a control message or a data frame. */
export type Frame<M extends Message = Message> =
  | { kind: "control"; message: M }
  | ({ kind: "data" } & DataFrame);
