/**
 * One outbound HTTP(S) exchange under Okta's rules (shared spec §4): one deadline for the whole
 * exchange (connect, head and body), redirects answered but never followed, the response body
 * kept up to a cap for the delivery log. Never rejects: every way the exchange can fail is a
 * typed {@link OutboundFailure}.
 */
import http from "node:http";
import https from "node:https";
import { OKTA_TIMEOUT_MS } from "../../okta/index.js";

/** Header pairs in the order they go on the wire; names keep their case. */
export type HeaderPairs = readonly (readonly [string, string])[];

/** Why an exchange produced no (complete) response. */
export type OutboundFailureKind =
  /** No complete response within the deadline (connect, head and body together). */
  | "timeout"
  /** Nothing listens at the address (`ECONNREFUSED`). */
  | "connection_refused"
  /** The peer closed or reset the connection before the response was complete. */
  | "connection_reset"
  /** The host name does not resolve. */
  | "dns"
  /** The TLS handshake failed (untrusted or mismatched certificate, protocol error). */
  | "tls"
  /** The peer answered something that is not HTTP/1.x. */
  | "invalid_response"
  /** Another network error (host or network unreachable, …). */
  | "network"
  /** The request itself could not be sent (bad URL, header value Node refuses). */
  | "invalid_request"
  /** The caller aborted the exchange (an engine closing). */
  | "aborted";

/** A failed exchange. */
export interface OutboundFailure {
  kind: OutboundFailureKind;
  /** For people: what happened, naming the address and the system error. */
  message: string;
  /** The Node error code, when there was one (`ECONNREFUSED`, `HPE_INVALID_CONSTANT`, …). */
  code: string | null;
}

/** A response, whatever its status (3xx included: redirects are not followed). */
export interface OutboundResponse {
  status: number;
  /** Response header pairs as received. */
  headers: [string, string][];
  /** The body decoded as UTF-8, at most `responseBodyLimitBytes` of it. */
  body: string;
  /** The size of the whole body in bytes. */
  bodyBytes: number;
  /** Whether `body` holds less than the whole body. */
  bodyTruncated: boolean;
}

/** How an exchange went: a response, or a failure; both with the time it took. */
export type OutboundResult =
  | { ok: true; response: OutboundResponse; durationMs: number }
  | { ok: false; failure: OutboundFailure; durationMs: number };

/** TLS settings for `https://` targets. */
export interface OutboundTlsOptions {
  /** Verify the server's certificate. @default true */
  rejectUnauthorized?: boolean;
  /** Extra trusted certificate authorities (PEM), e.g. for a local receiver's self-signed certificate. */
  ca?: string | Buffer | readonly (string | Buffer)[];
}

/** One request to send. */
export interface OutboundRequest {
  /** Absolute `http:` or `https:` URL. */
  url: string;
  /** @default "POST" */
  method?: string;
  /** Header pairs; `Host` is added first and `Content-Length` last when absent. */
  headers?: HeaderPairs;
  body?: string | Uint8Array;
  /** Deadline for the whole exchange, body included. @default 3000 (Okta's) */
  timeoutMs?: number;
  /** How much of the response body to keep. @default 65536 */
  responseBodyLimitBytes?: number;
  /** Aborts the exchange; the result is then an `aborted` failure. */
  signal?: AbortSignal;
  /** Connection pool to use (keep-alive); default: one connection for this exchange. */
  agent?: http.Agent;
  tls?: OutboundTlsOptions;
}

/** How much of a response body the delivery log keeps by default. */
export const RESPONSE_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Sends one request and waits for the whole response (or the deadline). Redirects come back as
 * responses with their 3xx status; nothing is followed.
 *
 * @example
 * const result = await sendOutbound({ url: "http://127.0.0.1:3000/hook", headers: [["Content-Type", "application/json"]], body: "{}" });
 * if (result.ok) result.response.status; // 200
 * else result.failure.kind; // "timeout" | "connection_refused" | …
 */
export function sendOutbound(request: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  const fail = (failure: OutboundFailure): OutboundResult => ({
    ok: false,
    failure,
    durationMs: elapsed(),
  });

  const url = parseTarget(request.url);
  if (typeof url === "string") {
    return Promise.resolve(fail({ kind: "invalid_request", message: url, code: null }));
  }
  const timeoutMs = request.timeoutMs ?? OKTA_TIMEOUT_MS;
  const limit = request.responseBodyLimitBytes ?? RESPONSE_BODY_LIMIT_BYTES;
  const body = request.body === undefined ? undefined : toBytes(request.body);
  if (request.signal?.aborted) {
    return Promise.resolve(
      fail({ kind: "aborted", message: "the request was aborted before it was sent", code: null }),
    );
  }

  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let client: http.ClientRequest | undefined;
    const onAbort = (): void => {
      settle(fail({ kind: "aborted", message: "the request was aborted", code: null }));
      client?.destroy();
    };
    const settle = (result: OutboundResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      resolve(result);
    };

    try {
      client = (url.protocol === "https:" ? https : http).request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port === "" ? undefined : Number(url.port),
        method: request.method ?? "POST",
        path: `${url.pathname}${url.search}`,
        headers: flatten(withFraming(request.headers ?? [], url.host, body)),
        setHost: false,
        agent: request.agent ?? false,
        ...(url.protocol === "https:" ? tlsOptions(request.tls) : {}),
      });
    } catch (cause) {
      settle(
        fail({
          kind: "invalid_request",
          message: `the request cannot be sent: ${messageOf(cause)}`,
          code: codeOf(cause),
        }),
      );
      return;
    }
    const sending = client;

    timer = setTimeout(() => {
      const message = `${url.host} sent no complete response within ${timeoutMs} ms`;
      settle(fail({ kind: "timeout", message, code: null }));
      sending.destroy();
    }, timeoutMs);
    request.signal?.addEventListener("abort", onAbort, { once: true });

    sending.on("error", (cause) => settle(fail(classify(cause, url))));
    sending.on("response", (res) => {
      const kept: Buffer[] = [];
      let keptBytes = 0;
      let total = 0;
      res.on("data", (chunk: Buffer) => {
        total += chunk.byteLength;
        if (keptBytes < limit) {
          const part = chunk.subarray(0, limit - keptBytes);
          kept.push(part);
          keptBytes += part.byteLength;
        }
      });
      res.on("error", (cause) => settle(fail(classify(cause, url))));
      res.on("aborted", () => {
        settle(
          fail({
            kind: "connection_reset",
            message: `${url.host} closed the connection in the middle of the response body`,
            code: "ECONNRESET",
          }),
        );
      });
      res.on("end", () => {
        settle({
          ok: true,
          response: {
            status: res.statusCode ?? 0,
            headers: pairsOf(res.rawHeaders),
            body: Buffer.concat(kept).toString("utf8"),
            bodyBytes: total,
            bodyTruncated: total > keptBytes,
          },
          durationMs: elapsed(),
        });
      });
    });
    sending.end(body);
  });
}

function parseTarget(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `not an absolute URL: ${JSON.stringify(text)}`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `only http: and https: URLs can be called, got ${JSON.stringify(text)}`;
  }
  return url;
}

function toBytes(body: string | Uint8Array): Buffer {
  return typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
}

/** `Host` first unless given; `Content-Length` last unless given (Okta never sends chunked). */
function withFraming(headers: HeaderPairs, host: string, body: Buffer | undefined): HeaderPairs {
  const has = (name: string): boolean => headers.some(([key]) => key.toLowerCase() === name);
  const out: (readonly [string, string])[] = [];
  if (!has("host")) out.push(["Host", host]);
  out.push(...headers);
  if (body !== undefined && !has("content-length")) {
    out.push(["Content-Length", String(body.byteLength)]);
  }
  return out;
}

function flatten(headers: HeaderPairs): string[] {
  return headers.flat();
}

function pairsOf(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] ?? "", raw[i + 1] ?? ""]);
  return pairs;
}

function tlsOptions(tls: OutboundTlsOptions | undefined): https.RequestOptions {
  const options: https.RequestOptions = { rejectUnauthorized: tls?.rejectUnauthorized ?? true };
  if (tls?.ca !== undefined) {
    options.ca = Array.isArray(tls.ca) ? [...tls.ca] : (tls.ca as string | Buffer);
  }
  return options;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/;

/**
 * Classifies a Node error of the exchange.
 *
 * @example
 * classify(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), url).kind; // "connection_refused"
 */
export function classify(cause: unknown, url: URL): OutboundFailure {
  const code = codeOf(cause);
  const detail = messageOf(cause);
  const at = url.host;
  if (code === "ECONNREFUSED") {
    return { kind: "connection_refused", message: `connection refused by ${at}`, code };
  }
  if (code === "ECONNRESET" || code === "EPIPE") {
    return {
      kind: "connection_reset",
      message: `${at} closed the connection before a complete response (${detail})`,
      code,
    };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL") {
    return { kind: "dns", message: `${url.hostname} does not resolve (${code})`, code };
  }
  if (code !== null && TLS_CODE.test(code)) {
    return { kind: "tls", message: `TLS with ${at} failed: ${detail}`, code };
  }
  if (code?.startsWith("HPE_")) {
    return {
      kind: "invalid_response",
      message: `${at} answered something that is not HTTP (${detail})`,
      code,
    };
  }
  return { kind: "network", message: `${at}: ${detail}`, code };
}

function codeOf(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
