/**
 * Replay: every replay is an exchange of its own (origin `replay`, `parentId` the original),
 * inserted before it is sent (so the live stream shows it in flight) and completed with the
 * app's response or the reason there was none. The sending itself is the {@link Replayer}'s.
 */
import {
  type CapturedRequest,
  type CaptureStore,
  type Exchange,
  newExchangeId,
} from "../capture/index.js";
import { ProblemError } from "./problem.js";
import type { Replayer, TunnelInfo } from "./types.js";

/** What to send: the request as built from the original (after modifications), and where. */
export interface ReplayPlan {
  original: Exchange;
  /** Origin-form target (an absolute-form one is split into `to` and its path first). */
  request: CapturedRequest;
  /** Another `http(s)://` origin and base path, or null for the tunnel's upstream. */
  to: string | null;
  /** A tunnel to send through instead of the one the original came from (ngrok's `tunnel_name`). */
  tunnel?: string;
}

/** What a replay needs of the inspector. */
export interface ReplayDeps {
  capture: CaptureStore;
  replayer: Replayer;
  tunnels: () => readonly TunnelInfo[];
  now?: () => number;
}

/**
 * A target split into the origin of an absolute-form target (a replay sent `to` another URL
 * records where it went that way) and its origin-form path.
 *
 * @example
 * splitTarget("http://staging.example:8080/hooks?x=1"); // { to: "http://staging.example:8080", target: "/hooks?x=1" }
 * splitTarget("/hooks"); // { to: null, target: "/hooks" }
 */
export function splitTarget(target: string): { to: string | null; target: string } {
  if (!/^https?:\/\//i.test(target) || !URL.canParse(target)) return { to: null, target };
  const url = new URL(target);
  return { to: `${url.protocol}//${url.host}`, target: `${url.pathname}${url.search}` };
}

/**
 * Sends a replay and records it; resolves with the new exchange as stored, response included.
 * Throws a {@link ProblemError} 409 when there is no tunnel to send through.
 *
 * @example
 * const replayed = await replayExchange(deps, { original, request: original.request, to: null });
 */
export async function replayExchange(
  deps: ReplayDeps,
  plan: ReplayPlan,
  signal?: AbortSignal,
): Promise<Exchange> {
  const now = deps.now ?? Date.now;
  const tunnels = deps.tunnels();
  const wanted = plan.tunnel ?? plan.original.endpoint;
  const tunnel =
    tunnels.find((t) => t.name === wanted) ?? (plan.tunnel === undefined ? tunnels[0] : undefined);
  if (plan.tunnel !== undefined && tunnel === undefined) {
    throw new ProblemError(404, "tunnel_not_found", `no tunnel named '${plan.tunnel}'`, {
      field: "tunnel_name",
    });
  }
  if (tunnel === undefined && plan.to === null) {
    throw new ProblemError(
      409,
      "no_tunnel",
      "no tunnel is running to replay through; pass 'to' with a URL to send the request there",
    );
  }
  const endpoint = tunnel?.name ?? plan.original.endpoint;
  const scheme = tunnel?.publicUrls[0]?.startsWith("https:") === true ? "https" : "http";
  const to = plan.to === null ? null : plan.to.replace(/\/+$/, "");
  const request: CapturedRequest = {
    ...plan.request,
    target: to === null ? plan.request.target : `${to}${plan.request.target}`,
  };
  const id = newExchangeId();
  const pending: Exchange = {
    id,
    endpoint,
    origin: "replay",
    remoteAddress: null,
    request,
    response: null,
    error: null,
    timing: { receivedAt: now(), forwardedAt: null, firstByteAt: null, doneAt: null },
    parentId: plan.original.id,
    queueId: null,
  };
  deps.capture.insert(pending);
  const outcome = await deps.replayer.replay(
    {
      endpoint,
      to,
      method: plan.request.method,
      target: plan.request.target,
      rawHeaders: plan.request.rawHeaders,
      body: plan.request.body.bytes,
      remoteAddress: plan.original.remoteAddress,
      scheme,
    },
    signal,
  );
  const patch = {
    response: outcome.response,
    error: outcome.error,
    timing: {
      forwardedAt: outcome.forwardedAt,
      firstByteAt: outcome.firstByteAt,
      doneAt: outcome.doneAt,
    },
  };
  // Null when the new exchange was evicted or cleared meanwhile: answer with what happened.
  return (
    deps.capture.update(id, patch) ?? {
      ...pending,
      response: outcome.response,
      error: outcome.error,
      timing: { ...pending.timing, ...patch.timing },
    }
  );
}
