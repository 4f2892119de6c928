/**
 * Helpers for the delivery engine's tests: a hook endpoint on 127.0.0.1:0 that records every
 * delivery and lets the test wait for a number of them, a seeded random source, and a clock
 * whose "now" the test moves.
 */
import type { ServerResponse } from "node:http";
import type { Clock } from "../../src/emulator/index.js";
import type { Delivery } from "../../src/okta/index.js";
import { type RecordedRequest, startUpstreamApp, type UpstreamApp } from "./upstream-app.js";

/** A recording endpoint. */
export interface HookEndpoint extends UpstreamApp {
  /** Resolves once `count` requests in total have arrived (at once if they already have). */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** The parsed bodies of the requests so far. */
  deliveries(): Delivery[];
}

/**
 * Starts an endpoint that answers with `handler` (default 200, empty body).
 *
 * @example
 * const endpoint = await startHookEndpoint();
 * const [request] = await endpoint.waitForRequests(1);
 */
export async function startHookEndpoint(
  handler: (request: RecordedRequest, res: ServerResponse) => void = (_r, res) => {
    res.writeHead(200).end();
  },
): Promise<HookEndpoint> {
  const waiters: { count: number; resolve: (requests: RecordedRequest[]) => void }[] = [];
  let app: UpstreamApp | undefined;
  const check = (): void => {
    if (app === undefined) return;
    const seen = app.requests;
    for (const waiter of waiters.splice(0)) {
      if (seen.length >= waiter.count) waiter.resolve([...seen]);
      else waiters.push(waiter);
    }
  };
  app = await startUpstreamApp((request, res) => {
    handler(request, res);
    check();
  });
  const started = app;
  return Object.assign(started, {
    waitForRequests(count: number): Promise<RecordedRequest[]> {
      return new Promise<RecordedRequest[]>((resolve) => {
        waiters.push({ count, resolve });
        check();
      });
    },
    deliveries(): Delivery[] {
      return started.requests.map((r) => JSON.parse(r.body.toString("utf8")) as Delivery);
    },
  });
}

/** The value of a header in raw pairs, by case-insensitive name. */
export function headerOf(request: RecordedRequest, name: string): string | undefined {
  const at = request.rawHeaders.findIndex(
    (h, i) => i % 2 === 0 && h.toLowerCase() === name.toLowerCase(),
  );
  return at === -1 ? undefined : request.rawHeaders[at + 1];
}

/**
 * A deterministic random source in [0, 1) (mulberry32).
 *
 * @example
 * const random = seededRandom(42);
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A clock with real timers whose `now` the test sets. */
export function manualNowClock(start: number): Clock & { set(now: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (value) => {
      now = value;
    },
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}
