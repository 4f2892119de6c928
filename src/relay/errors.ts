/**
 * Every answer the relay makes up itself, in one place: the error codes with their HTTP
 * status, and the exact bytes of each answer, so that what a client receives and what an
 * `edge` report tells the agent are the same head and body.
 *
 * Every error carries `hooktap-error-code: <code>` (as ngrok's `ngrok-error-code`), so a client
 * can tell the relay's own 502 from the app's. Messages are built from fixed text and values
 * the relay checked (endpoint names); hostile input (Host, paths, header values) is never
 * echoed, least of all into a header.
 */
import { STATUS_CODES } from "node:http";
import type { ConnectionClosedError, RawHeaders, ResetCode } from "../protocol/index.js";

/** Header naming the relay's error code on every error the relay itself generates. */
export const ERROR_CODE_HEADER = "hooktap-error-code";

/** Header carrying the queue id on the relay's 200 to a request it stored for later. */
export const QUEUE_ID_HEADER = "hooktap-queue-id";

/** Codes of the errors the relay answers itself, with their HTTP status. */
export const RELAY_ERROR_STATUS = {
  /** Host missing, repeated, malformed, or (with `domain`) not the relay's. */
  bad_host: 400,
  /** A request target that is not a path (absolute or authority form), or a head the tunnel refuses. */
  bad_request: 400,
  /** The required header (`requireHeader`) was missing, repeated or wrong. */
  unauthorized: 401,
  /** No endpoint of that name is reserved (or the path names none). */
  unknown_endpoint: 404,
  /** The body is larger than the endpoint's `maxBodyBytes`. */
  body_too_large: 413,
  /** A plain HTTP request on the agent path, which only takes WebSocket upgrades. */
  websocket_required: 426,
  /** The request head is larger than the relay accepts (Node's `maxHeaderSize`). */
  headers_too_large: 431,
  internal_error: 500,
  /** A WebSocket (or other) upgrade to an endpoint: tunnels carry plain HTTP exchanges only. */
  upgrade_unsupported: 501,
  /** The agent went away while the request was in flight. */
  agent_disconnected: 502,
  /** No agent is connected and the endpoint does not queue (or the request cannot be queued). */
  agent_offline: 502,
  /** The agent could not reach the local app. */
  upstream_unreachable: 502,
  /** The local app broke the exchange. */
  upstream_error: 502,
  /** The app's response head could not be written as received. */
  bad_response: 502,
  /** The agent refused the stream or has too many requests in flight. */
  agent_busy: 503,
  /** The durable queue could not store the request. */
  queue_unavailable: 503,
  /** The local app did not answer in time (the agent's timeout). */
  upstream_timeout: 504,
} as const;

/** The code of an error the relay answers itself. */
export type RelayErrorCode = keyof typeof RELAY_ERROR_STATUS;

/** A complete answer the relay writes itself: head and body bytes. */
export interface RelayResponse {
  status: number;
  rawHeaders: RawHeaders;
  body: Buffer;
}

/**
 * The relay's JSON error answer: `{"error": code, "message": …}` with `hooktap-error-code`.
 *
 * @example
 * errorResponse("unknown_endpoint", "no endpoint okta-dev on this relay", { status: 404 });
 */
export function errorResponse(
  code: RelayErrorCode,
  message: string,
  options: { status?: number; extraHeaders?: RawHeaders } = {},
): RelayResponse {
  const body = Buffer.from(JSON.stringify({ error: code, message }), "utf8");
  return {
    status: options.status ?? RELAY_ERROR_STATUS[code],
    rawHeaders: [
      ["Content-Type", "application/json; charset=utf-8"],
      [ERROR_CODE_HEADER, code],
      ...(options.extraHeaders ?? []),
      ["Content-Length", String(body.byteLength)],
    ],
    body,
  };
}

/**
 * The 200 answering Okta's verification challenge at the edge: `{"verification": value}`.
 *
 * @example
 * challengeResponse("abc").body.toString(); // '{"verification":"abc"}'
 */
export function challengeResponse(value: string): RelayResponse {
  const body = Buffer.from(JSON.stringify({ verification: value }), "utf8");
  return {
    status: 200,
    rawHeaders: [
      ["Content-Type", "application/json"],
      ["Content-Length", String(body.byteLength)],
    ],
    body,
  };
}

/**
 * The 200 for a request the relay stored: an empty body (Okta ignores it) and the queue id.
 *
 * @example
 * queuedResponse("req_01J…").status; // 200
 */
export function queuedResponse(queueId: string): RelayResponse {
  return {
    status: 200,
    rawHeaders: [
      [QUEUE_ID_HEADER, queueId],
      ["Content-Length", "0"],
    ],
    body: Buffer.alloc(0),
  };
}

/**
 * A whole HTTP/1.1 response as bytes, for the places where only a raw socket is left (a bad
 * request head, a refused upgrade). Always closes the connection.
 *
 * @example
 * socket.end(rawHttpResponse(errorResponse("headers_too_large", "…")));
 */
export function rawHttpResponse(response: RelayResponse): Buffer {
  const reason = STATUS_CODES[response.status] ?? "Error";
  const head = [
    `HTTP/1.1 ${response.status} ${reason}`,
    ...response.rawHeaders.map(([name, value]) => `${name}: ${value}`),
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  return Buffer.concat([Buffer.from(head, "latin1"), response.body]);
}

/**
 * What the public client gets when the agent reset a stream with `code`.
 *
 * @example
 * resetErrorCode("upstream_timeout"); // "upstream_timeout" (504)
 */
export function resetErrorCode(code: ResetCode): RelayErrorCode {
  switch (code) {
    case "upstream_unreachable":
    case "upstream_timeout":
    case "upstream_error":
      return code;
    case "body_too_large":
      return "body_too_large";
    case "refused":
      return "agent_busy";
    case "aborted":
      return "agent_disconnected";
    case "flow_control":
    case "protocol_error":
    case "internal_error":
      return "upstream_error";
  }
}

/**
 * The public message for a connection that ended under a request.
 *
 * @example
 * disconnectMessage(error); // "the agent disconnected (heartbeat_timeout)"
 */
export function disconnectMessage(error: ConnectionClosedError): string {
  return error.code === undefined
    ? "the agent disconnected"
    : `the agent disconnected (${error.code})`;
}
