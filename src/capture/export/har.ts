/**
 * Exchanges as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the format browsers,
 * ngrok, Charles and Postman read. What HAR has no field for (origin, endpoint, exact target,
 * truncation, raw timing) goes into each entry's `_hooktap` custom field, so `parseImport`
 * gives the same exchanges back.
 */
import type { Content, Entry, Har, PostData, Request, Response, Timings } from "har-format";
import type {
  CapturedBody,
  CapturedRequest,
  CapturedResponse,
  Exchange,
  ExchangeError,
  ExchangeOrigin,
  ExchangeTiming,
} from "../types.js";
import { headerValue, toBase64, utf8Text } from "./body-text.js";
import {
  formParams,
  harHeaders,
  headSize,
  queryString,
  requestCookies,
  responseCookies,
} from "./har-parts.js";
import { joinUrl, parseBaseUrl } from "./url.js";

/** Options of {@link toHar}. */
export interface HarOptions {
  /** `log.creator.version`. @default "unknown" */
  creatorVersion?: string;
  /**
   * Where the requests were sent, e.g. the tunnel's public URL; each entry's `url` is this plus
   * the captured target. @default `http://` + the request's Host header
   */
  baseUrl?: string;
}

/** How a body is written in a HAR text field. */
export type HarBodyEncoding = "text" | "base64";

/** The `_hooktap` field of every entry: what HAR has no place for. */
export interface HarHooktapFields {
  id: string;
  endpoint: string;
  origin: ExchangeOrigin;
  parentId: string | null;
  queueId: string | null;
  remoteAddress: string | null;
  error: ExchangeError | null;
  /** Epoch milliseconds with fractions; `startedDateTime` and `timings` are rounded views. */
  timing: ExchangeTiming;
  request: {
    /** The target exactly as received (`url` is a view of it). */
    target: string;
    httpVersion: string;
    /** `base64` when `postData.text` holds base64 (the body is not UTF-8 text). */
    bodyEncoding: HarBodyEncoding;
    bodyTruncated: boolean;
  };
  /** Null when the exchange has no response (the entry's status is then 0). */
  response: { statusMessage: string | null; bodyTruncated: boolean } | null;
}

/** A HAR entry as hooktap writes it. */
export type HooktapHarEntry = Entry & { _hooktap: HarHooktapFields };

const FORM = /^application\/x-www-form-urlencoded\b/i;

function encodeBody(body: CapturedBody): { text: string; encoding: HarBodyEncoding } {
  const text = utf8Text(body.bytes);
  return text === null
    ? { text: toBase64(body.bytes), encoding: "base64" }
    : { text, encoding: "text" };
}

function truncationNote(body: CapturedBody): { comment: string } | undefined {
  if (!body.truncated) return undefined;
  return { comment: `truncated at capture: first ${body.bytes.byteLength} of ${body.size} bytes` };
}

function postData(request: CapturedRequest): { data?: PostData; encoding: HarBodyEncoding } {
  if (request.body.size === 0) return { encoding: "text" };
  const { text, encoding } = encodeBody(request.body);
  const mimeType = headerValue(request.rawHeaders, "content-type") ?? "";
  const note = truncationNote(request.body);
  // Like Chrome, a form body gets both `text` (the exact bytes) and `params` (a view), although
  // the spec calls them exclusive: readers use either, and `text` keeps the export lossless.
  const params = encoding === "text" && FORM.test(mimeType) ? { params: formParams(text) } : {};
  const data = {
    mimeType,
    text,
    ...params,
    ...(encoding === "base64" && { comment: "base64" }),
    ...note,
  };
  return { data: data as PostData, encoding };
}

function harRequest(
  request: CapturedRequest,
  url: string,
): { har: Request; encoding: HarBodyEncoding } {
  const { data, encoding } = postData(request);
  const version = request.httpVersion;
  const har: Request = {
    method: request.method,
    url,
    httpVersion: `HTTP/${version}`,
    cookies: requestCookies(request.rawHeaders),
    headers: harHeaders(request.rawHeaders),
    queryString: queryString(request.target),
    ...(data !== undefined && { postData: data }),
    headersSize: headSize(
      `${request.method} ${request.target} HTTP/${version}`,
      request.rawHeaders,
      version,
    ),
    bodySize: request.body.size,
  };
  return { har, encoding };
}

const NO_RESPONSE: Response = {
  status: 0,
  statusText: "",
  httpVersion: "",
  cookies: [],
  headers: [],
  content: { size: 0, mimeType: "x-unknown" },
  redirectURL: "",
  headersSize: -1,
  bodySize: -1,
};

function harResponse(response: CapturedResponse | null, httpVersion: string): Response {
  if (response === null) return NO_RESPONSE;
  const { text, encoding } = encodeBody(response.body);
  const content: Content = {
    size: response.body.size,
    mimeType: headerValue(response.rawHeaders, "content-type") ?? "x-unknown",
    ...(response.body.size > 0 && { text }),
    ...(encoding === "base64" && response.body.size > 0 && { encoding: "base64" }),
    ...truncationNote(response.body),
  };
  const reason = response.statusMessage ?? "";
  return {
    status: response.status,
    statusText: reason,
    httpVersion: `HTTP/${httpVersion}`,
    cookies: responseCookies(response.rawHeaders),
    headers: harHeaders(response.rawHeaders),
    content,
    redirectURL: headerValue(response.rawHeaders, "location") ?? "",
    headersSize: headSize(
      `HTTP/${httpVersion} ${response.status} ${reason}`,
      response.rawHeaders,
      httpVersion,
    ),
    bodySize: response.body.size,
  };
}

/**
 * HAR phases from hooktap's four instants: `blocked` is the wait before forwarding (-1 when the
 * request was never forwarded), `wait` up to the first response byte, `receive` the rest. DNS,
 * connect and TLS are not measured (-1); `send` is folded into `wait` (0).
 */
export function harTimings(timing: ExchangeTiming): { time: number; timings: Timings } {
  const start = timing.receivedAt;
  const forwarded = timing.forwardedAt ?? start;
  const firstByte = timing.firstByteAt ?? timing.doneAt ?? forwarded;
  const done = timing.doneAt ?? firstByte;
  const blocked = timing.forwardedAt === null ? -1 : Math.max(0, forwarded - start);
  const wait = Math.max(0, firstByte - forwarded);
  const receive = Math.max(0, done - firstByte);
  const timings: Timings = { blocked, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive };
  return { time: Math.max(0, blocked) + wait + receive, timings };
}

/** ISO 8601 of an epoch-milliseconds time; the epoch for one no Date can hold. */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

/** The entry's absolute URL: `baseUrl` + target, else `http://` + Host + target. */
function entryUrl(request: CapturedRequest, base: URL | null): string {
  const target = request.target;
  if (/^https?:\/\//i.test(target)) return target; // absolute-form, as sent to a proxy
  if (base !== null) return joinUrl(base, target);
  const host = headerValue(request.rawHeaders, "host") ?? "localhost";
  return `http://${host}${target.startsWith("/") ? "" : "/"}${target}`;
}

function entry(exchange: Exchange, base: URL | null): HooktapHarEntry {
  const { request, response, timing } = exchange;
  const { har, encoding } = harRequest(request, entryUrl(request, base));
  const { time, timings } = harTimings(timing);
  return {
    startedDateTime: isoTime(timing.receivedAt),
    time,
    request: har,
    response: harResponse(response, request.httpVersion),
    cache: {},
    timings,
    ...(exchange.error !== null && {
      comment: `${exchange.error.code}: ${exchange.error.message}`,
    }),
    _hooktap: {
      id: exchange.id,
      endpoint: exchange.endpoint,
      origin: exchange.origin,
      parentId: exchange.parentId,
      queueId: exchange.queueId,
      remoteAddress: exchange.remoteAddress,
      error: exchange.error,
      timing,
      request: {
        target: request.target,
        httpVersion: request.httpVersion,
        bodyEncoding: encoding,
        bodyTruncated: request.body.truncated,
      },
      response:
        response === null
          ? null
          : { statusMessage: response.statusMessage, bodyTruncated: response.body.truncated },
    },
  };
}

/**
 * Exchanges as a HAR 1.2 log, in the order given. Bodies that are UTF-8 text are written as
 * text, others as base64 (`content.encoding: "base64"`; for a request, `postData.comment:
 * "base64"` and `_hooktap.request.bodyEncoding`, since HAR has no encoding field there).
 * Bodies are the bytes as on the wire: a gzip response stays gzip (base64), never decompressed.
 * An exchange without a response gets status 0, as browsers write failed requests.
 *
 * Throws `CaptureError` `invalid_argument` for a `baseUrl` that is not an http(s) URL.
 *
 * @example
 * const har = toHar(store.list({ limit: 100 }).exchanges, { creatorVersion: "0.1.0" });
 * writeFileSync("hooks.har", JSON.stringify(har));
 */
export function toHar(exchanges: readonly Exchange[], options: HarOptions = {}): Har {
  const base = options.baseUrl === undefined ? null : parseBaseUrl(options.baseUrl);
  return {
    log: {
      version: "1.2",
      creator: { name: "hooktap", version: options.creatorVersion ?? "unknown" },
      entries: exchanges.map((exchange) => entry(exchange, base)),
    },
  };
}
