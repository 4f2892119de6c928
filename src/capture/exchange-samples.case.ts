/**
 * Sample exchanges and small helpers for the tests of this folder: binary bodies, raw headers
 * with repeats and mixed case, increasing ids. Not part of the build (`*.case.ts`).
 */
import { expect } from "vitest";
import { CaptureError, type CaptureErrorCode } from "./errors.js";
import { createExchangeIdGenerator } from "./ids.js";
import type { CaptureStore, CaptureStoreOptions } from "./store.js";
import type { CapturedBody, CapturedResponse, Exchange } from "./types.js";

/** Increasing ids for samples; exported so tests can make ids out of insert order. */
export const nextId = createExchangeIdGenerator();
/** The sample exchanges' base time, epoch milliseconds. */
export const T0 = 1_717_000_000_000;

/** Every byte value, twice, so a body is not valid UTF-8 and has NULs in it. */
export const ALL_BYTES = Uint8Array.from({ length: 512 }, (_, i) => i % 256);

/** A body of `bytes`, whole. */
export function body(bytes: Uint8Array | string): CapturedBody {
  const b = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return { bytes: b, size: b.byteLength, truncated: false };
}

/** A response with repeated headers and a 3-byte binary body; override any field. */
export function sampleResponse(overrides: Partial<CapturedResponse> = {}): CapturedResponse {
  return {
    status: 200,
    statusMessage: "OK",
    rawHeaders: [
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
      ["content-length", "3"],
    ],
    body: body(new Uint8Array([0, 255, 10])),
    ...overrides,
  };
}

/** A complete, valid exchange with a fresh increasing id; override any field. */
export function makeExchange(overrides: Partial<Exchange> = {}): Exchange {
  return {
    id: nextId(),
    endpoint: "my-hooks",
    origin: "live",
    remoteAddress: "203.0.113.7",
    request: {
      method: "POST",
      target: "/userCreated?x=1&y=%20",
      httpVersion: "1.1",
      rawHeaders: [
        ["Host", "relay.example"],
        ["Content-Type", "application/json"],
        ["X-Dup", "a"],
        ["x-dup", "b"],
        ["X-Latin1", "caf\u00e9 \u00ff"],
        ["X-Unicode", "\u2713 \u{1F600}"],
        ["x-empty", ""],
      ],
      body: body(ALL_BYTES),
    },
    response: sampleResponse(),
    error: null,
    timing: {
      receivedAt: T0 + 0.25,
      forwardedAt: T0 + 1.5,
      firstByteAt: T0 + 12.125,
      doneAt: T0 + 13,
    },
    parentId: null,
    queueId: null,
    ...overrides,
  };
}

/** An exchange with request and response bodies of `requestBytes` and `responseBytes` bytes. */
export function sized(requestBytes: number, responseBytes: number | null): Exchange {
  const x = makeExchange();
  return {
    ...x,
    request: { ...x.request, body: body(new Uint8Array(requestBytes).fill(1)) },
    response:
      responseBytes === null || x.response === null
        ? null
        : { ...x.response, body: body(new Uint8Array(responseBytes).fill(2)) },
  };
}

/** The `CaptureError` code `run` throws; fails the test when it throws something else or nothing. */
export function captureErrorOf(run: () => unknown): CaptureError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CaptureError);
    return error as CaptureError;
  }
  throw new Error("expected a CaptureError, nothing was thrown");
}

/** Fails unless `run` throws a `CaptureError` with this `code` (and `field`, when given). */
export function expectCode(run: () => unknown, code: CaptureErrorCode, field?: string): void {
  const error = captureErrorOf(run);
  expect(error.code).toBe(code);
  if (field !== undefined) expect(error.field).toBe(field);
}

/** Opens a new, empty store under test; the contract closes it after each test. */
export type OpenStore = (options?: CaptureStoreOptions) => CaptureStore;
