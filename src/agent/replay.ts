/**
 * Replay: sending a captured (and possibly modified) request to the app again, outside any
 * tunnel stream. The request goes out as the agent forwards a live one — the captured header
 * pairs in their order and case, minus hop-by-hop fields, plus the proxy headers
 * (forward-headers.ts) — and the whole response comes back, captured like a live one.
 *
 * The inspector calls this through its `Replayer` interface (the CLI wires the two together),
 * so the types here are the agent's own and match that interface structurally.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type {
  CapturedResponse,
  ExchangeError,
  RawHeaders,
  Replayer,
  ReplayOutcome,
  ReplayRequest,
} from "../capture/index.js";
import { createBodyCapture, DEFAULT_CAPTURE_BODY_LIMIT_BYTES } from "../capture/index.js";
import { AgentError } from "./errors.js";
import { upstreamHeaders } from "./forward-headers.js";
import { type ParsedUpstream, parseUpstream } from "./options.js";
import type { HostHeaderMode } from "./types.js";
import { classifyUpstreamError, UpstreamTimeoutError } from "./upstream-errors.js";

/** An API call waits for its replay: without `timeoutMs`, a silent app gets this long. */
export const DEFAULT_REPLAY_TIMEOUT_MS = 30_000;

/** Options of {@link createReplayer}. */
export interface ReplayerOptions {
  /** The tunnel's upstream, as given to the agent, e.g. `http://localhost:3000`. */
  upstream: string;
  /**
   * `Host` handling for the upstream, as the agent's option. A request sent `to` another URL
   * always gets that URL's host (a virtual host there would not know the public one).
   * @default "preserve"
   */
  hostHeader?: HostHeaderMode;
  /**
   * Milliseconds the app has to send its response head; then the replay fails with
   * `upstream_timeout`.
   * @default 30_000
   */
  timeoutMs?: number;
  /** @default true for remote hosts, false for loopback (as the agent). */
  verifyUpstreamTls?: boolean;
  /**
   * Response bytes kept in memory; the rest is counted.
   * @default DEFAULT_CAPTURE_BODY_LIMIT_BYTES (10 MiB)
   */
  bodyLimitBytes?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * A replayer for one upstream. Throws `AgentError` `invalid_option` for a bad option.
 *
 * @example
 * const replayer = createReplayer({ upstream: agent.upstream });
 * const outcome = await replayer.replay({ endpoint: "local", to: null, method: "POST", target: "/hook",
 *   rawHeaders: [["Content-Type", "application/json"]], body, remoteAddress: null, scheme: "https" });
 */
export function createReplayer(options: ReplayerOptions): Replayer {
  const upstream = parseUpstream(options.upstream, "upstream");
  const hostHeader = options.hostHeader ?? "preserve";
  const timeoutMs = options.timeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_CAPTURE_BODY_LIMIT_BYTES;
  const now = options.now ?? Date.now;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new AgentError("invalid_option", "timeoutMs must be a positive integer", {
      field: "timeoutMs",
    });
  }
  return {
    replay(request, signal) {
      let target: ParsedUpstream;
      try {
        target = request.to === null ? upstream : parseUpstream(request.to, "to");
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const at = now();
        return Promise.resolve(failed(request.to ?? "", at, { code: "invalid_url", message }));
      }
      return send(request, {
        upstream: target,
        hostHeader: request.to === null ? hostHeader : "rewrite",
        timeoutMs,
        verifyTls: options.verifyUpstreamTls ?? !target.loopback,
        bodyLimit,
        now,
        signal,
      });
    },
  };
}

interface SendSettings {
  upstream: ParsedUpstream;
  hostHeader: HostHeaderMode;
  timeoutMs: number;
  verifyTls: boolean;
  bodyLimit: number;
  now: () => number;
  signal: AbortSignal | undefined;
}

function failed(url: string, at: number, error: ExchangeError): ReplayOutcome {
  return { url, forwardedAt: at, firstByteAt: null, doneAt: at, response: null, error };
}

function send(request: ReplayRequest, settings: SendSettings): Promise<ReplayOutcome> {
  const { upstream, now } = settings;
  const path = `${upstream.basePath}${request.target}`;
  const url = `${upstream.protocol}//${upstream.host}${path}`;
  const forwardedAt = now();
  return new Promise((resolve) => {
    let firstByteAt: number | null = null;
    let settled = false;
    const finish = (response: CapturedResponse | null, error: ExchangeError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settings.signal?.removeEventListener("abort", onAbort);
      resolve({ url, forwardedAt, firstByteAt, doneAt: now(), response, error });
    };
    const options: https.RequestOptions = {
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port,
      method: request.method,
      path,
      headers: upstreamHeaders({
        rawHeaders: request.rawHeaders,
        remoteAddress: request.remoteAddress ?? "",
        scheme: request.scheme,
        hostHeader: settings.hostHeader,
        upstreamHost: upstream.host,
      }),
      setHost: false,
      agent: false,
    };
    if (upstream.protocol === "https:") options.rejectUnauthorized = settings.verifyTls;

    let outgoing: http.ClientRequest;
    try {
      outgoing = (upstream.protocol === "https:" ? https : http).request(options);
    } catch (cause) {
      const message = `the request cannot be sent: ${messageOf(cause)}`;
      resolve(failed(url, forwardedAt, { code: "invalid_request", message }));
      return;
    }
    const timer = setTimeout(
      () => outgoing.destroy(new UpstreamTimeoutError(settings.timeoutMs)),
      settings.timeoutMs,
    );
    const onAbort = (): void => {
      outgoing.destroy();
      finish(null, { code: "aborted", message: "the replay was cancelled" });
    };
    if (settings.signal?.aborted === true) {
      onAbort();
      return;
    }
    settings.signal?.addEventListener("abort", onAbort, { once: true });

    outgoing.on("error", (cause) => {
      if (firstByteAt !== null) return;
      const failure = classifyUpstreamError(cause, upstream);
      finish(null, { code: failure.code, message: failure.message });
    });
    outgoing.on("response", (res: IncomingMessage) => {
      clearTimeout(timer);
      firstByteAt = now();
      const capture = createBodyCapture(settings.bodyLimit);
      const head = {
        status: res.statusCode ?? 0,
        statusMessage: res.statusMessage ?? null,
        rawHeaders: pairsOf(res.rawHeaders),
      };
      const complete = (error: ExchangeError | null): void => {
        if (!settled) finish({ ...head, body: capture.finish() }, error);
      };
      res.on("data", (chunk: Uint8Array) => capture.write(chunk));
      res.on("end", () => complete(null));
      res.on("error", (cause) => {
        const message = `the app broke off its response: ${messageOf(cause)}`;
        complete({ code: "upstream_error", message });
      });
      res.on("aborted", () => {
        complete({ code: "upstream_error", message: "the app broke off its response" });
      });
    });
    outgoing.end(request.body);
  });
}

/** Node's flat `rawHeaders` as pairs. */
function pairsOf(flat: readonly string[]): RawHeaders {
  const pairs: RawHeaders = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i] ?? "", flat[i + 1] ?? ""]);
  return pairs;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
