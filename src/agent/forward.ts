/**
 * One exchange, from a mux stream to the app and back. The request goes out with the received
 * method, target and raw header pairs (plus the proxy headers, minus the hop-by-hop ones), its
 * body piped as it arrives, on a keep-alive connection of the agent's pool (upstream-pool.ts;
 * upstream-call.ts retries once when the app closed that connection under the request); the
 * app's status and raw header pairs go back as sent (minus the
 * hop-by-hop ones), its body piped. Both bodies are teed
 * into bounded captures on the way, by a 'data' listener next to the pipe: no copy on the byte
 * path beyond the capture's own, and no write to the store per chunk.
 *
 * Failures, by when they happen:
 * - before the app's response head (refused, unknown host, timeout): the agent answers itself,
 *   502 or 504 with a JSON body and `hooktap-error-code` (upstream-errors.ts);
 * - after it (the app dies mid-body): the stream is reset with `upstream_error`, which is all
 *   HTTP can say once a status went out;
 * - the sender left or the tunnel dropped (`stream.aborted`): the upstream request is aborted.
 */
import type http from "node:http";
import type { IncomingMessage } from "node:http";
import type https from "node:https";
import { type Duplex, finished, type Writable } from "node:stream";
import type { CapturedBody, CapturedResponse, ExchangeError } from "../capture/index.js";
import { createBodyCapture } from "../capture/index.js";
import {
  ConnectionClosedError,
  type IncomingRequestStream,
  type RawHeaders,
  StreamResetError,
} from "../protocol/index.js";
import { upstreamHeaders, withoutHopByHop } from "./forward-headers.js";
import type { ParsedUpstream } from "./options.js";
import type { HostHeaderMode } from "./types.js";
import { UpstreamCall } from "./upstream-call.js";
import { classifyUpstreamError, failureResponse, UpstreamTimeoutError } from "./upstream-errors.js";

/** What {@link forwardStream} needs of the agent's options. */
export interface ForwardSettings {
  upstream: ParsedUpstream;
  hostHeader: HostHeaderMode;
  upstreamTimeoutMs: number | null;
  verifyUpstreamTls: boolean;
  captureBodyLimitBytes: number;
  /** The keep-alive pool (upstream-pool.ts), or false for a connection per exchange. */
  pool: http.Agent | false;
  now: () => number;
}

/** How an exchange went, for the capture and the stats. */
export interface ForwardOutcome {
  forwardedAt: number;
  /** When the response head arrived (the app's, or the agent's own 502/504). */
  firstByteAt: number | null;
  doneAt: number;
  requestBody: CapturedBody;
  /** The app's response, or the agent's 502/504 when the app could not answer. */
  response: CapturedResponse | null;
  /** Why the app did not answer (completely); null for a clean exchange. */
  error: ExchangeError | null;
}

/**
 * Forwards one stream to the upstream. Never rejects: every failure ends up in the outcome,
 * which resolves once the stream is over (both bodies ended on the wire, or the stream failed).
 *
 * @example
 * onRequest: (stream) => forwardStream(stream, settings).then((outcome) => record(outcome)),
 */
export function forwardStream(
  stream: IncomingRequestStream,
  settings: ForwardSettings,
): Promise<ForwardOutcome> {
  return new Promise((resolve) => {
    const { head, body } = stream;
    const { upstream, now } = settings;
    const forwardedAt = now();
    const requestCapture = createBodyCapture(settings.captureBodyLimitBytes);
    const responseCapture = createBodyCapture(settings.captureBodyLimitBytes);
    let capturing = true;
    let firstByteAt: number | null = null;
    let response: Omit<CapturedResponse, "body"> | null = null;
    let error: ExchangeError | null = null;

    const headers = upstreamHeaders({
      rawHeaders: head.rawHeaders,
      remoteAddress: head.remoteAddress,
      scheme: head.scheme,
      hostHeader: settings.hostHeader,
      upstreamHost: upstream.host,
    });
    const options: https.RequestOptions = {
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port,
      method: head.method,
      path: `${upstream.basePath}${head.target}`,
      headers,
      setHost: false,
      agent: settings.pool,
    };
    if (upstream.protocol === "https:") options.rejectUnauthorized = settings.verifyUpstreamTls;

    let timer: NodeJS.Timeout | undefined;
    let call: UpstreamCall | undefined;
    const settle = (): void => {
      clearTimeout(timer);
      capturing = false;
      resolve({
        forwardedAt,
        firstByteAt,
        doneAt: now(),
        requestBody: requestCapture.finish(),
        response:
          response === null
            ? null
            : {
                status: response.status,
                statusMessage: response.statusMessage,
                rawHeaders: response.rawHeaders,
                body: responseCapture.finish(),
              },
        error,
      });
    };
    // The stream failed (the sender left, a reset, the tunnel dropped): abort the app's request.
    // Through `done`, not an 'abort' listener on `stream.aborted`: on Node 20 a listener on an
    // AbortSignal keeps every request's objects alive until a full GC (ARCHITECTURE.md, "Hot paths").
    stream.done.then(settle, (reason: unknown) => {
      error ??= exchangeErrorOf(reason);
      call?.destroy();
      settle();
    });

    body.on("data", (chunk: Uint8Array) => {
      if (capturing) requestCapture.write(chunk);
    });
    // Failures of the body reach us through `stream.done`.
    body.on("error", () => {});

    const onError = (cause: Error): void => {
      clearTimeout(timer);
      if (stream.aborted.aborted) return;
      const failure = classifyUpstreamError(cause, upstream);
      error = { code: failure.code, message: failure.message };
      call?.finish();
      const reply = failureResponse(failure);
      firstByteAt = now();
      response = { status: reply.status, statusMessage: null, rawHeaders: reply.rawHeaders };
      responseCapture.write(reply.body);
      try {
        const writer = stream.respond(reply.status, reply.rawHeaders);
        writer.on("error", () => {});
        writer.end(reply.body);
      } catch (refused) {
        // Cannot happen with this fixed head; an event handler must not throw all the same.
        stream.reset("internal_error", `the error response was refused: ${messageOf(refused)}`);
      }
    };

    const onUpgrade = (res: IncomingMessage, socket: Duplex): void => {
      clearTimeout(timer);
      socket.destroy();
      const message = `the app switched protocols (${res.statusCode}): upgrades do not go through the tunnel`;
      error = { code: "upstream_error", message };
      stream.reset("upstream_error", message);
    };

    const onResponse = (res: IncomingMessage): void => {
      clearTimeout(timer);
      firstByteAt = now();
      const status = res.statusCode ?? 0;
      response = {
        status,
        statusMessage: res.statusMessage ?? null,
        rawHeaders: pairsOf(res.rawHeaders),
      };
      let writer: Writable;
      try {
        writer = stream.respond(status, withoutHopByHop(response.rawHeaders));
      } catch (cause) {
        // A status or header the relay would refuse (e.g. status 600): nothing was sent.
        const message = `the app's response cannot be forwarded: ${messageOf(cause)}`;
        error = { code: "upstream_error", message };
        res.destroy();
        stream.reset("upstream_error", message);
        return;
      }
      res.on("data", (chunk: Uint8Array) => {
        if (capturing) responseCapture.write(chunk);
      });
      writer.on("error", () => res.destroy());
      res.pipe(writer);
      finished(res, (failure) => {
        if (failure !== undefined && failure !== null && !stream.aborted.aborted) {
          const message = `the app broke off its response: ${messageOf(failure)}`;
          error ??= { code: "upstream_error", message };
          writer.destroy(new StreamResetError("upstream_error", message, { cause: failure }));
        }
        call?.finish();
      });
    };

    try {
      call = new UpstreamCall(options, upstream.protocol === "https:", body, {
        onResponse,
        onUpgrade,
        onError,
      });
    } catch (cause) {
      // The protocol admits only heads Node can send (tokens, no control characters); should
      // the two ever disagree, this stream fails alone instead of the handler throwing.
      const message = `the request cannot be sent to the app: ${messageOf(cause)}`;
      error = { code: "invalid_request", message };
      stream.reset("internal_error", message);
      return;
    }

    // A stream that failed already is handled by `done`'s handler, a microtask from now.
    const timeoutMs = settings.upstreamTimeoutMs;
    if (timeoutMs !== null) {
      const started = call;
      timer = setTimeout(() => started.destroy(new UpstreamTimeoutError(timeoutMs)), timeoutMs);
    }
  });
}

/** Node's flat `rawHeaders` as pairs. */
function pairsOf(flat: readonly string[]): RawHeaders {
  const pairs: RawHeaders = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i] ?? "", flat[i + 1] ?? ""]);
  return pairs;
}

/**
 * The capture's error for why a stream failed.
 *
 * @example
 * exchangeErrorOf(new StreamResetError("aborted", "client gone", { remote: true })); // { code: "aborted", … }
 */
export function exchangeErrorOf(reason: unknown): ExchangeError {
  if (reason instanceof StreamResetError) return { code: reason.code, message: reason.message };
  if (reason instanceof ConnectionClosedError) {
    return { code: "connection_lost", message: `the tunnel connection closed: ${reason.message}` };
  }
  return { code: "internal_error", message: messageOf(reason) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
