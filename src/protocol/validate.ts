/**
 * Turns a parsed JSON value into a typed `Message`, checking every field the message type
 * defines, or throws a `ProtocolError` naming the first bad one. Decoded messages are fresh
 * objects holding only the known fields: unknown fields are dropped (see "Versioning" in
 * messages.ts), so a decoded message is exactly what `encodeMessage` would send.
 */
import { ProtocolError } from "./errors.js";
import {
  base64,
  bool,
  type Fields,
  headerValue,
  httpToken,
  httpUrl,
  integer,
  invalid,
  list,
  matching,
  oneOf,
  opaque,
  originForm,
  own,
  rawHeaders,
  record,
  text,
} from "./guards.js";
import { MAX_EDGE_BODY_BYTES, MAX_STREAM_ID, MAX_WINDOW_BYTES, MIN_STREAM_ID } from "./limits.js";
import {
  type AgentMessage,
  type EdgeBody,
  type EdgePolicy,
  type EdgeReason,
  type EdgeReport,
  type ErrorCode,
  type Message,
  type MessageType,
  PROTOCOL_VERSION,
  type RelayMessage,
  type RequestMessage,
  type ResetCode,
} from "./messages.js";

/** Which side sent a message. */
export type Sender = "agent" | "relay";

type Validators = { [K in MessageType]: (fields: Fields) => Extract<Message, { type: K }> };

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HTTP_VERSION = /^[0-9]\.[0-9]$/;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_ID_CHARS = 128;
const MAX_TOKEN_CHARS = 1024;
const MAX_URLS = 16;
const MAX_HEARTBEAT_MS = 3_600_000;

const RESET_CODES: readonly ResetCode[] = [
  "upstream_unreachable",
  "upstream_timeout",
  "upstream_error",
  "aborted",
  "body_too_large",
  "flow_control",
  "protocol_error",
  "refused",
  "internal_error",
];
const ERROR_CODES: readonly ErrorCode[] = [
  "bad_token",
  "endpoint_taken",
  "endpoint_forbidden",
  "unsupported_protocol",
  "bad_message",
  "unexpected_message",
  "heartbeat_timeout",
  "shutting_down",
  "replaced",
  "internal_error",
];
const EDGE_REASONS: readonly EdgeReason[] = [
  "challenge",
  "unauthorized",
  "too_large",
  "queued",
  "offline",
];

/** The types each side may send; `satisfies` keeps them in step with the unions. */
const SENT_BY = {
  agent: { hello: true, response: true, window: true, reset: true, policy: true, error: true },
  relay: { welcome: true, request: true, window: true, reset: true, edge: true, error: true },
} as const satisfies {
  agent: Record<AgentMessage["type"], true>;
  relay: Record<RelayMessage["type"], true>;
};

function protocolOf(fields: Fields, type: "hello" | "welcome"): number {
  const path = `${type}.protocol`;
  const protocol = integer(own(fields, "protocol"), path, 1, MAX_SAFE);
  if (protocol !== PROTOCOL_VERSION) {
    throw new ProtocolError(
      "unsupported_protocol",
      `${path} ${protocol} is not supported: this side speaks protocol ${PROTOCOL_VERSION}`,
      { field: path },
    );
  }
  return protocol;
}

function stream(fields: Fields, path: string): number {
  return integer(own(fields, "stream"), `${path}.stream`, MIN_STREAM_ID, MAX_STREAM_ID);
}

function endpoint(value: unknown, path: string): string {
  return matching(value, path, DNS_LABEL, "a lowercase DNS label (1-63 of a-z, 0-9, -)");
}

function edgePolicy(value: unknown, path: string): EdgePolicy {
  const f = record(value, path);
  const required = own(f, "requireHeader");
  let requireHeader: EdgePolicy["requireHeader"] = null;
  if (required !== null) {
    const at = `${path}.requireHeader`;
    const h = record(required, at);
    const headerName = httpToken(own(h, "name"), `${at}.name`);
    const headerVal = headerValue(text(own(h, "value"), `${at}.value`, 1), `${at}.value`);
    requireHeader = { name: headerName, value: headerVal };
  }
  return {
    oktaChallenge: oneOf(own(f, "oktaChallenge"), `${path}.oktaChallenge`, ["app", "edge"]),
    requireHeader,
    maxBodyBytes: integer(own(f, "maxBodyBytes"), `${path}.maxBodyBytes`, 0, MAX_SAFE),
    queue: oneOf(own(f, "queue"), `${path}.queue`, ["offline", "always", "never"]),
  };
}

function edgeBody(value: unknown, path: string): EdgeBody {
  const f = record(value, path);
  const body = base64(own(f, "base64"), `${path}.base64`);
  if (body.bytes > MAX_EDGE_BODY_BYTES) {
    invalid(`${path}.base64`, `must encode at most ${MAX_EDGE_BODY_BYTES} bytes`);
  }
  const truncated = bool(own(f, "truncated"), `${path}.truncated`);
  const size = integer(own(f, "size"), `${path}.size`, body.bytes, MAX_SAFE);
  if (truncated !== body.bytes < size) {
    invalid(`${path}.truncated`, "must be true exactly when base64 holds fewer than size bytes");
  }
  return { base64: body.base64, truncated, size };
}

/** Fields `request` and `edge.exchange.request` share. */
function requestLine(f: Fields, path: string) {
  return {
    method: httpToken(own(f, "method"), `${path}.method`),
    target: originForm(own(f, "target"), `${path}.target`),
    httpVersion: matching(own(f, "httpVersion"), `${path}.httpVersion`, HTTP_VERSION, 'like "1.1"'),
    rawHeaders: rawHeaders(own(f, "rawHeaders"), `${path}.rawHeaders`),
    remoteAddress: text(own(f, "remoteAddress"), `${path}.remoteAddress`, 0, 256),
    scheme: oneOf(own(f, "scheme"), `${path}.scheme`, ["http", "https"]),
  };
}

function request(f: Fields): RequestMessage {
  // Built field by field, not with spreads: every request passes here twice (encode, decode),
  // and on Node 20 `{ ...x, more }` costs a new hidden class per object (ARCHITECTURE.md, "Hot paths").
  const id = stream(f, "request");
  const line = requestLine(f, "request");
  const receivedAt = integer(own(f, "receivedAt"), "request.receivedAt", 0, MAX_SAFE);
  const origin = oneOf(own(f, "origin"), "request.origin", ["live", "queued"]);
  const base = {
    type: "request" as const,
    stream: id,
    method: line.method,
    target: line.target,
    httpVersion: line.httpVersion,
    rawHeaders: line.rawHeaders,
    remoteAddress: line.remoteAddress,
    scheme: line.scheme,
    receivedAt,
  };
  if (origin === "live") {
    // `undefined` counts as absent: JSON never holds it, and it lets encodeMessage take `{ queueId: undefined }`.
    for (const key of ["queueId", "attempt"]) {
      if (own(f, key) !== undefined) {
        invalid(`request.${key}`, 'must be absent when origin is "live"');
      }
    }
    return Object.assign(base, { origin });
  }
  return Object.assign(base, {
    origin,
    queueId: opaque(own(f, "queueId"), "request.queueId", MAX_ID_CHARS),
    attempt: integer(own(f, "attempt"), "request.attempt", 1, MAX_SAFE),
  });
}

function edgeReport(value: unknown, path: string): EdgeReport {
  const f = record(value, path);
  const reason = oneOf(own(f, "reason"), `${path}.reason`, EDGE_REASONS);
  let queueId: string | undefined;
  if (reason === "queued") {
    queueId = opaque(own(f, "queueId"), `${path}.queueId`, MAX_ID_CHARS);
  } else if (own(f, "queueId") !== undefined) {
    invalid(`${path}.queueId`, 'must be absent unless reason is "queued"');
  }
  const req = record(own(f, "request"), `${path}.request`);
  const res = record(own(f, "response"), `${path}.response`);
  return {
    reason,
    ...(queueId === undefined ? {} : { queueId }),
    receivedAt: integer(own(f, "receivedAt"), `${path}.receivedAt`, 0, MAX_SAFE),
    durationMs: integer(own(f, "durationMs"), `${path}.durationMs`, 0, MAX_SAFE),
    request: {
      ...requestLine(req, `${path}.request`),
      body: edgeBody(own(req, "body"), `${path}.request.body`),
    },
    response: {
      status: integer(own(res, "status"), `${path}.response.status`, 200, 599),
      rawHeaders: rawHeaders(own(res, "rawHeaders"), `${path}.response.rawHeaders`),
      body: edgeBody(own(res, "body"), `${path}.response.body`),
    },
  };
}

const VALIDATORS: Validators = {
  hello(f) {
    const protocol = protocolOf(f, "hello");
    const client = record(own(f, "client"), "hello.client");
    return {
      type: "hello",
      protocol,
      token: opaque(own(f, "token"), "hello.token", MAX_TOKEN_CHARS),
      endpoint: endpoint(own(f, "endpoint"), "hello.endpoint"),
      policy: edgePolicy(own(f, "policy"), "hello.policy"),
      client: {
        name: text(own(client, "name"), "hello.client.name", 1, MAX_ID_CHARS),
        version: text(own(client, "version"), "hello.client.version", 1, MAX_ID_CHARS),
      },
    };
  },
  welcome(f) {
    const protocol = protocolOf(f, "welcome");
    const urls = list(own(f, "urls"), "welcome.urls", MAX_URLS);
    if (urls.length === 0) invalid("welcome.urls", "must hold at least one URL");
    return {
      type: "welcome",
      protocol,
      endpoint: endpoint(own(f, "endpoint"), "welcome.endpoint"),
      urls: urls.map((url, i) => httpUrl(url, `welcome.urls[${i}]`)),
      sessionId: opaque(own(f, "sessionId"), "welcome.sessionId", MAX_ID_CHARS),
      heartbeatMs: integer(own(f, "heartbeatMs"), "welcome.heartbeatMs", 1, MAX_HEARTBEAT_MS),
    };
  },
  request,
  response: (f) => ({
    type: "response",
    stream: stream(f, "response"),
    status: integer(own(f, "status"), "response.status", 200, 599),
    rawHeaders: rawHeaders(own(f, "rawHeaders"), "response.rawHeaders"),
  }),
  window: (f) => ({
    type: "window",
    stream: stream(f, "window"),
    bytes: integer(own(f, "bytes"), "window.bytes", 1, MAX_WINDOW_BYTES),
  }),
  reset: (f) => ({
    type: "reset",
    stream: stream(f, "reset"),
    code: oneOf(own(f, "code"), "reset.code", RESET_CODES),
    message: text(own(f, "message"), "reset.message"),
  }),
  policy: (f) => ({ type: "policy", policy: edgePolicy(own(f, "policy"), "policy.policy") }),
  edge: (f) => ({ type: "edge", exchange: edgeReport(own(f, "exchange"), "edge.exchange") }),
  error: (f) => ({
    type: "error",
    code: oneOf(own(f, "code"), "error.code", ERROR_CODES),
    message: text(own(f, "message"), "error.message"),
  }),
};

/**
 * Checks a parsed JSON value and returns it as a typed message. With `from`, also refuses a
 * message that side may not send (`wrong_direction`), before looking at its fields.
 */
export function validateMessage(value: unknown, from?: Sender): Message {
  const fields = record(value, "message");
  const type = own(fields, "type");
  if (typeof type !== "string") invalid("message.type", "must be a string");
  if (!Object.hasOwn(VALIDATORS, type)) {
    throw new ProtocolError(
      "unknown_type",
      `unknown message type ${JSON.stringify(type.slice(0, 40))}`,
      {
        field: "message.type",
      },
    );
  }
  if (from !== undefined && !Object.hasOwn(SENT_BY[from], type)) {
    throw new ProtocolError("wrong_direction", `a ${from} may not send "${type}"`, {
      field: "message.type",
    });
  }
  return VALIDATORS[type as MessageType](fields);
}
