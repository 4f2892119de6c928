/**
 * One valid message of every shape, and small helpers, for the tests of this folder (round
 * trips, rejections, the fuzz corpus). Not part of the build (`*.case.ts`).
 */
import { expect } from "vitest";
import { decodeMessage } from "./codec.js";
import { ProtocolError } from "./errors.js";
import type { EdgePolicy, Message } from "./messages.js";

export const POLICY: EdgePolicy = {
  oktaChallenge: "edge",
  requireHeader: { name: "Authorization", value: "Bearer s3cr3t" },
  maxBodyBytes: 10 * 1024 * 1024,
  queue: "offline",
};

const AUTH_HEADERS: [string, string][] = [
  ["Host", "relay.example"],
  ["Content-Type", "application/json"],
  ["X-Dup", "a"],
  ["x-dup", "b"],
  ["Authorization", "Bearer s3cr3t"],
];

/** Named samples: every message type, and every variant of the ones with variants. */
export const SAMPLES = {
  hello: {
    type: "hello",
    protocol: 1,
    token: "htk_4f9c2b7e",
    endpoint: "my-hooks-1",
    policy: POLICY,
    client: { name: "hooktap", version: "0.1.0" },
  },
  helloOpen: {
    type: "hello",
    protocol: 1,
    token: "t",
    endpoint: "a",
    policy: { oktaChallenge: "app", requireHeader: null, maxBodyBytes: 0, queue: "never" },
    client: { name: "hooktap", version: "0.1.0-dev+local" },
  },
  welcome: {
    type: "welcome",
    protocol: 1,
    endpoint: "my-hooks-1",
    urls: ["https://relay.example/my-hooks-1", "http://127.0.0.1:8080/my-hooks-1"],
    sessionId: "sess_01HZX",
    heartbeatMs: 15_000,
  },
  requestLive: {
    type: "request",
    stream: 1,
    method: "POST",
    target: "/userCreated?x=1&y=%20",
    httpVersion: "1.1",
    rawHeaders: AUTH_HEADERS,
    remoteAddress: "203.0.113.7",
    scheme: "https",
    receivedAt: 1_717_000_000_123,
    origin: "live",
  },
  requestQueued: {
    type: "request",
    stream: 0xffff_ffff,
    method: "GET",
    target: "/",
    httpVersion: "1.0",
    rawHeaders: [],
    remoteAddress: "::ffff:10.0.0.1",
    scheme: "https",
    receivedAt: 0,
    origin: "queued",
    queueId: "q_42",
    attempt: 3,
  },
  response: {
    type: "response",
    stream: 7,
    status: 200,
    rawHeaders: [
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
      ["X-Latin1", "caf\u00e9\tok"],
    ],
  },
  window: { type: "window", stream: 7, bytes: 131_072 },
  reset: {
    type: "reset",
    stream: 7,
    code: "upstream_unreachable",
    message: "connect ECONNREFUSED 127.0.0.1:3000",
  },
  policy: { type: "policy", policy: POLICY },
  edgeChallenge: {
    type: "edge",
    exchange: {
      reason: "challenge",
      receivedAt: 1_717_000_000_000,
      durationMs: 2,
      request: {
        method: "GET",
        target: "/hook",
        httpVersion: "1.1",
        rawHeaders: [["x-okta-verification-challenge", "abc"]],
        remoteAddress: "198.51.100.2",
        scheme: "https",
        body: { base64: "", truncated: false, size: 0 },
      },
      response: {
        status: 200,
        rawHeaders: [["Content-Type", "application/json"]],
        body: { base64: "eyJ2ZXJpZmljYXRpb24iOiJhYmMifQ==", truncated: false, size: 22 },
      },
    },
  },
  edgeQueued: {
    type: "edge",
    exchange: {
      reason: "queued",
      queueId: "q_42",
      receivedAt: 1_717_000_000_000,
      durationMs: 0,
      request: {
        method: "POST",
        target: "/hook",
        httpVersion: "1.1",
        rawHeaders: AUTH_HEADERS,
        remoteAddress: "198.51.100.2",
        scheme: "https",
        body: { base64: "AAEC", truncated: true, size: 5_000_000 },
      },
      response: { status: 204, rawHeaders: [], body: { base64: "", truncated: false, size: 0 } },
    },
  },
  error: { type: "error", code: "endpoint_taken", message: "my-hooks-1 is held by another agent" },
  errorReplaced: {
    type: "error",
    code: "replaced",
    message: "replaced by a newer connection for endpoint my-hooks-1",
  },
} satisfies Record<string, Message>;

/** The samples as a list of `[name, message]`. */
export const SAMPLE_ENTRIES = Object.entries(SAMPLES) as [string, Message][];

/** A deep copy of a sample, as a loose JSON value to mutate. */
export function sampleJson(name: keyof typeof SAMPLES): Record<string, unknown> {
  return JSON.parse(JSON.stringify(SAMPLES[name])) as Record<string, unknown>;
}

/** Runs `fn` and returns the ProtocolError it throws (fails the test otherwise). */
export function protocolErrorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error("expected a ProtocolError, nothing was thrown");
}

/** Decodes `value` sent as JSON text. */
export function decodeJson(value: unknown): Message {
  return decodeMessage(JSON.stringify(value));
}

/**
 * A JSON copy of a sample with the field at `path` (`a.b[2].c`) set to `value`, or deleted
 * when `value` is `undefined`.
 */
export function mutate(
  name: keyof typeof SAMPLES,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const root = sampleJson(name);
  const keys = path.split(".").flatMap((k) => k.split(/\[(\d+)\]/).filter((p) => p !== ""));
  let node = root;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}
