/**
 * The replay contract between the inspector (which builds a request from a captured one) and
 * the agent (which sends it the way it forwards live requests). Types only.
 */
import type { CapturedResponse, ExchangeError, RawHeaders } from "./types.js";

/**
 * A request to send again, as the inspector built it from a captured one (after the user's
 * modifications). The replayer adds what the agent adds to a live request (the proxy headers),
 * drops hop-by-hop fields, and sends everything else as given: header pairs in order and case,
 * body bytes unchanged.
 */
export interface ReplayRequest {
  /** The tunnel whose upstream receives the request. */
  endpoint: string;
  /**
   * Send here instead of the tunnel's upstream: an `http(s)://` origin with an optional base
   * path, to which `target` is appended (as with the upstream of `hooktap http`). Null for the
   * tunnel's upstream.
   */
  to: string | null;
  method: string;
  /** Origin-form: path and query. */
  target: string;
  rawHeaders: RawHeaders;
  body: Uint8Array;
  /** The original sender's address, appended to `X-Forwarded-For` as when it was forwarded. */
  remoteAddress: string | null;
  /** The scheme of the public URL, for `X-Forwarded-Proto`. */
  scheme: "http" | "https";
}

/** What became of a {@link ReplayRequest}. Timings are epoch milliseconds. */
export interface ReplayOutcome {
  /** The URL the request went to, e.g. `http://127.0.0.1:3000/hooks?x=1`. */
  url: string;
  forwardedAt: number;
  firstByteAt: number | null;
  doneAt: number;
  /** The app's response; null when it gave none (`error` says why). */
  response: CapturedResponse | null;
  /** Why there is no (complete) response, e.g. `upstream_unreachable`; null on success. */
  error: ExchangeError | null;
}

/**
 * Sends replays. The agent implements it (`createReplayer`), and the CLI hands it to the
 * inspector, which never imports the agent: this contract lives here, where both can see it.
 */
export interface Replayer {
  /**
   * Sends one request and resolves with its outcome; never rejects for a failure of the app
   * (refused, reset, timeout): those are in `error`. `signal` aborts the request.
   */
  replay(request: ReplayRequest, signal?: AbortSignal): Promise<ReplayOutcome>;
}
