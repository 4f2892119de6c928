/**
 * Captured exchanges in the shape of ngrok's agent API (`GET /api/requests/http[/:id]`), so
 * scripts written against ngrok read hooktap's history unchanged: header maps of arrays keyed
 * the way Go's `http.Header` canonicalises them, durations in nanoseconds, and the raw
 * HTTP/1.1 bytes of both messages in base64.
 */
import { STATUS_CODES } from "node:http";
import type { CapturedBody, Exchange, RawHeaders } from "../capture/index.js";
import { isHttpToken } from "../http/index.js";

const MS_TO_NS = 1_000_000;

/** A request as ngrok's agent API shows it. */
export interface NgrokCapturedRequest {
  uri: string;
  id: string;
  tunnel_name: string;
  remote_addr: string;
  /** RFC 3339. */
  start: string;
  /** Nanoseconds; 0 while the response is still coming. */
  duration: number;
  request: {
    method: string;
    proto: string;
    headers: Record<string, string[]>;
    uri: string;
    /** Base64 of the request as HTTP/1.1 bytes. */
    raw: string;
  };
  /** Null until the app responds (and when it never did). */
  response: {
    /** `200 OK` */
    status: string;
    status_code: number;
    proto: string;
    headers: Record<string, string[]>;
    raw: string;
  } | null;
}

/**
 * A header name as Go's `textproto.CanonicalMIMEHeaderKey` writes it (`content-type` →
 * `Content-Type`); a name with characters outside a token is returned unchanged, as Go does.
 *
 * @example
 * canonicalHeaderName("x-okta-verification-challenge"); // "X-Okta-Verification-Challenge"
 */
export function canonicalHeaderName(name: string): string {
  if (!isHttpToken(name)) return name;
  return name
    .toLowerCase()
    .replace(
      /(^|-)([a-z])/g,
      (_match, dash: string, letter: string) => dash + letter.toUpperCase(),
    );
}

/**
 * Header pairs as ngrok's map of arrays: canonical names, values in wire order.
 *
 * @example
 * headerMap([["accept", "*\/*"], ["X-Dup", "a"], ["x-dup", "b"]]); // { Accept: ["*\/*"], "X-Dup": ["a", "b"] }
 */
export function headerMap(pairs: RawHeaders): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    const key = canonicalHeaderName(name);
    const values = Object.hasOwn(map, key) ? map[key] : undefined;
    if (values === undefined) map[key] = [value];
    else values.push(value);
  }
  return map;
}

/**
 * The raw bytes of a message: start line, header lines as captured, blank line, body. A
 * chunked body (captured de-chunked) is written back as one chunk, so the bytes parse.
 *
 * @example
 * rawMessage("POST /hook HTTP/1.1", [["Content-Length", "2"]], body).toString(); // "POST /hook HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
 */
export function rawMessage(startLine: string, headers: RawHeaders, body: CapturedBody): Buffer {
  const head = `${startLine}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
  const bytes = Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  const chunked = headers.some(
    ([name, value]) =>
      name.toLowerCase() === "transfer-encoding" && value.toLowerCase().includes("chunked"),
  );
  // Node reads header bytes as latin1; a value with wider characters was set by hooktap (an
  // import, a modification) and goes out as UTF-8.
  const headBytes = Buffer.from(head, isLatin1(head) ? "latin1" : "utf8");
  if (!chunked) return Buffer.concat([headBytes, bytes]);
  const framed =
    bytes.byteLength === 0
      ? [Buffer.from("0\r\n\r\n")]
      : [Buffer.from(`${bytes.byteLength.toString(16)}\r\n`), bytes, Buffer.from("\r\n0\r\n\r\n")];
  return Buffer.concat([headBytes, ...framed]);
}

/**
 * `exchange` as ngrok's captured request object.
 *
 * @example
 * toNgrokRequest(store.get(id)!).response?.status; // "200 OK"
 */
export function toNgrokRequest(exchange: Exchange): NgrokCapturedRequest {
  const { request, response, timing } = exchange;
  const proto = `HTTP/${request.httpVersion}`;
  const uri = `/api/requests/http/${encodeURIComponent(exchange.id)}`;
  const duration =
    timing.doneAt === null
      ? 0
      : Math.max(0, Math.round((timing.doneAt - timing.receivedAt) * MS_TO_NS));
  const requestLine = `${request.method} ${request.target} HTTP/1.1`;
  let responseView: NgrokCapturedRequest["response"] = null;
  if (response !== null) {
    const reason = response.statusMessage ?? STATUS_CODES[response.status] ?? "";
    const status = `${response.status} ${reason}`.trimEnd();
    responseView = {
      status,
      status_code: response.status,
      proto: "HTTP/1.1",
      headers: headerMap(response.rawHeaders),
      raw: rawMessage(`HTTP/1.1 ${status}`, response.rawHeaders, response.body).toString("base64"),
    };
  }
  return {
    uri,
    id: exchange.id,
    tunnel_name: exchange.endpoint,
    remote_addr: exchange.remoteAddress ?? "",
    start: new Date(timing.receivedAt).toISOString(),
    duration,
    request: {
      method: request.method,
      proto,
      headers: headerMap(request.rawHeaders),
      uri: request.target,
      raw: rawMessage(requestLine, request.rawHeaders, request.body).toString("base64"),
    },
    response: responseView,
  };
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}
