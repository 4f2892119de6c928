import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type CaptureEvent,
  type CaptureStore,
  createMemoryCaptureStore,
} from "../capture/index.js";
import type { RequestMessage } from "../protocol/index.js";
import { CaptureRecorder, IN_FLIGHT_VISIBLE_MS } from "./capture-recorder.js";
import type { ForwardOutcome } from "./forward.js";
import type { AgentErrorInfo } from "./types.js";

const head: RequestMessage = {
  type: "request",
  stream: 1,
  origin: "live",
  method: "POST",
  target: "/hooks",
  httpVersion: "1.1",
  rawHeaders: [["Host", "relay.example"]],
  remoteAddress: "203.0.113.7",
  receivedAt: 1000,
  scheme: "https",
};

function outcome(): ForwardOutcome {
  const bytes = new TextEncoder().encode("{}");
  return {
    forwardedAt: 1001,
    firstByteAt: 1002,
    doneAt: 1003,
    requestBody: { bytes, size: 2, truncated: false },
    response: {
      status: 200,
      statusMessage: "OK",
      rawHeaders: [["Content-Length", "0"]],
      body: { bytes: new Uint8Array(0), size: 0, truncated: false },
    },
    error: null,
  };
}

let clock = 0;
let store: CaptureStore;
let events: CaptureEvent[];
let errors: AgentErrorInfo[];
let recorder: CaptureRecorder;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  clock = 0;
  store = createMemoryCaptureStore();
  events = [];
  errors = [];
  store.subscribe((event) => events.push(event));
  recorder = new CaptureRecorder(
    store,
    "local",
    (e) => errors.push(e),
    () => clock,
  );
});
afterEach(() => {
  recorder.close();
  store.close();
  vi.useRealTimers();
});

function advance(ms: number): void {
  clock += ms;
  vi.advanceTimersByTime(ms);
}

describe("CaptureRecorder", () => {
  it("writes an exchange that ends within the window once, complete", () => {
    const id = recorder.begin(head, 1001);
    advance(IN_FLIGHT_VISIBLE_MS - 1);
    expect(events).toEqual([]);
    recorder.finish(id, head, outcome());
    expect(events.map((e) => e.type)).toEqual(["insert"]);
    expect(store.get(id)).toMatchObject({
      endpoint: "local",
      origin: "live",
      remoteAddress: "203.0.113.7",
      request: { method: "POST", target: "/hooks", body: { size: 2 } },
      response: { status: 200 },
      timing: { receivedAt: 1000, forwardedAt: 1001, firstByteAt: 1002, doneAt: 1003 },
    });
    advance(10 * IN_FLIGHT_VISIBLE_MS);
    expect(events).toHaveLength(1);
  });

  it("inserts an exchange still in flight after the window, then completes it", () => {
    const slow = recorder.begin(head, 1001);
    advance(IN_FLIGHT_VISIBLE_MS / 2);
    const later = recorder.begin(head, 1001);
    advance(IN_FLIGHT_VISIBLE_MS / 2);
    expect(events.map((e) => e.type)).toEqual(["insert"]);
    expect(store.get(slow)).toMatchObject({ response: null, timing: { doneAt: null } });
    expect(store.get(later)).toBeNull();
    advance(IN_FLIGHT_VISIBLE_MS / 2);
    expect(store.get(later)).toMatchObject({ response: null });
    recorder.finish(slow, head, outcome());
    expect(events.map((e) => e.type)).toEqual(["insert", "insert", "update"]);
    expect(store.get(slow)).toMatchObject({ response: { status: 200 }, timing: { doneAt: 1003 } });
    expect(errors).toEqual([]);
  });

  it("writes what is still in flight when closed", () => {
    const id = recorder.begin(head, 1001);
    recorder.close();
    expect(store.get(id)).toMatchObject({ request: { target: "/hooks" }, response: null });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reports a failing store and goes on", () => {
    const id = recorder.begin(head, 1001);
    store.close();
    recorder.finish(id, head, outcome());
    expect(errors).toEqual([
      { code: "capture_failed", message: expect.stringMatching(/^capture insert failed: /) },
    ]);
  });
});
