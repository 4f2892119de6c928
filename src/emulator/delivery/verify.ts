/**
 * Okta's one-time verification of an event hook endpoint (shared spec §3): a GET carrying
 * `x-okta-verification-challenge`, the hook's auth header and custom headers; 3 s timeout; one
 * retry; verified iff the answer is 200 with a JSON body whose `verification` equals the
 * challenge. Every attempt is returned, so the caller can log each as `event_hook.verified`.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "../../log/index.js";
import { silentLogger } from "../../log/index.js";
import { OKTA_TIMEOUT_MS, VERIFICATION_CHALLENGE_HEADER } from "../../okta/index.js";
import { channelHeaders, type DeliveryChannel, hookServiceUserAgent } from "./channel.js";
import {
  type OutboundFailureKind,
  type OutboundResult,
  type OutboundTlsOptions,
  sendOutbound,
} from "./outbound.js";

/** Why one verification attempt failed. */
export type VerificationFailureKind =
  | OutboundFailureKind
  /** The endpoint answered, but not 200. */
  | "status"
  /** 200, but the body is not JSON (or not a JSON object). */
  | "body_not_json"
  /** 200 and a JSON object, but `verification` is missing or not the challenge. */
  | "wrong_value";

/** One GET of the verification. */
export interface VerificationAttempt {
  /** 1 for the first request, 2 for the retry. */
  attempt: number;
  /** ISO-8601 time the request was sent. */
  sentAt: string;
  /** The response status, `null` when none arrived. */
  status: number | null;
  durationMs: number;
  /** The response body (capped), `null` when no response arrived. */
  responseBody: string | null;
  verified: boolean;
  /** What was wrong; `null` when verified. */
  failure: VerificationFailureKind | null;
  /** For people: what was wrong (`null` when verified). */
  cause: string | null;
}

/** The outcome of {@link verifyEventHook}. */
export interface VerificationResult {
  verified: boolean;
  /** The challenge that was sent (the same on the retry). */
  challenge: string;
  attempts: VerificationAttempt[];
  /** What was wrong with the last attempt; absent when verified. */
  cause?: string;
}

/** Options of {@link verifyEventHook}. */
export interface VerifyOptions {
  /** Per-attempt deadline, body included. @default 3000 (Okta's) */
  timeoutMs?: number;
  /** The challenge to send. @default 32 random URL-safe characters */
  challenge?: string;
  /** Retries after a failed attempt that may succeed on a second try. @default 1 (Okta's) */
  retries?: number;
  /** Names the hook in the `User-Agent`, as on deliveries. */
  hookId?: string;
  /** Aborts the verification (e.g. the emulator shutting down). */
  signal?: AbortSignal;
  tls?: OutboundTlsOptions;
  logger?: Logger;
}

/**
 * Verifies an endpoint the way Okta does when `POST /api/v1/eventHooks/{id}/lifecycle/verify`
 * is called. Never rejects. A second attempt is made after a timeout, a connection failure or
 * a 5xx; a 4xx or 3xx, a body that is not JSON and a wrong value are final answers (the
 * endpoint would give the same one again).
 *
 * @example
 * const result = await verifyEventHook({ uri: "http://127.0.0.1:3000/hooks/okta" }, { hookId });
 * if (!result.verified) throw oktaError(400, "E0000001", result.cause);
 */
export async function verifyEventHook(
  channel: DeliveryChannel,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  const logger = options.logger ?? silentLogger;
  const challenge = options.challenge ?? randomBytes(24).toString("base64url");
  const retries = options.retries ?? 1;
  const headers: [string, string][] = [
    ["Accept", "application/json"],
    [VERIFICATION_CHALLENGE_HEADER, challenge],
    ...channelHeaders(channel),
    ["User-Agent", hookServiceUserAgent(options.hookId)],
  ];
  const attempts: VerificationAttempt[] = [];
  for (let attempt = 1; attempt <= 1 + retries; attempt++) {
    const sentAt = new Date().toISOString();
    const result = await sendOutbound({
      url: channel.uri,
      method: "GET",
      headers,
      timeoutMs: options.timeoutMs ?? OKTA_TIMEOUT_MS,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    });
    const judged = judge(result, challenge);
    attempts.push({
      attempt,
      sentAt,
      status: result.ok ? result.response.status : null,
      durationMs: result.durationMs,
      responseBody: result.ok ? result.response.body : null,
      verified: judged === null,
      failure: judged?.kind ?? null,
      cause: judged?.cause ?? null,
    });
    if (judged === null) {
      logger.info("event hook endpoint verified", { uri: channel.uri, attempt });
      return { verified: true, challenge, attempts };
    }
    logger.warn("event hook verification attempt failed", {
      uri: channel.uri,
      attempt,
      cause: judged.cause,
    });
    if (!judged.retryable) break;
  }
  const cause = attempts.at(-1)?.cause ?? "no attempt was made";
  return { verified: false, challenge, attempts, cause };
}

interface Judgement {
  kind: VerificationFailureKind;
  cause: string;
  retryable: boolean;
}

/** `null` when the answer verifies the endpoint. */
function judge(result: OutboundResult, challenge: string): Judgement | null {
  if (!result.ok) {
    return {
      kind: result.failure.kind,
      cause: result.failure.message,
      retryable: result.failure.kind !== "aborted" && result.failure.kind !== "invalid_request",
    };
  }
  const { status, body } = result.response;
  if (status !== 200) {
    return {
      kind: "status",
      cause: `the endpoint answered ${status}, expected 200 with {"verification": "<challenge>"}`,
      retryable: status >= 500,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {
      kind: "body_not_json",
      cause: `the response body is not JSON: ${excerpt(body)}`,
      retryable: false,
    };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return {
      kind: "body_not_json",
      cause: `the response body is not a JSON object: ${excerpt(body)}`,
      retryable: false,
    };
  }
  const value = (parsed as Record<string, unknown>).verification;
  if (value === undefined) {
    return {
      kind: "wrong_value",
      cause: `the JSON response has no "verification" field: ${excerpt(body)}`,
      retryable: false,
    };
  }
  if (value !== challenge) {
    return {
      kind: "wrong_value",
      cause: `"verification" is ${excerpt(JSON.stringify(value))}, expected the challenge ${JSON.stringify(challenge)}`,
      retryable: false,
    };
  }
  return null;
}

function excerpt(text: string): string {
  if (text === "") return "(empty)";
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
