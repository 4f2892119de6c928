import { describe, expect, expectTypeOf, it } from "vitest";
import { assertNever, dispatch, type Handlers } from "./dispatch.js";
import type { AgentMessage, Message, RelayMessage, WindowMessage } from "./messages.js";
import { SAMPLES } from "./samples.case.js";

describe("dispatch", () => {
  it("calls the handler of the message's type with the message", () => {
    const seen: string[] = [];
    const handlers: Handlers<RelayMessage> = {
      welcome: (m) => seen.push(`welcome ${m.sessionId}`),
      request: (m) => seen.push(`request ${m.stream} ${m.origin}`),
      window: (m) => seen.push(`window ${m.bytes}`),
      reset: (m) => seen.push(`reset ${m.code}`),
      edge: (m) => seen.push(`edge ${m.exchange.reason}`),
      error: (m) => seen.push(`error ${m.code}`),
    };
    for (const m of [SAMPLES.welcome, SAMPLES.requestQueued, SAMPLES.window, SAMPLES.edgeQueued]) {
      dispatch(handlers, m as RelayMessage);
    }
    expect(seen).toEqual([
      "welcome sess_01HZX",
      "request 4294967295 queued",
      "window 131072",
      "edge queued",
    ]);
  });

  it("returns the handler's result (async handlers)", async () => {
    const handlers: Handlers<AgentMessage, Promise<string>> = {
      hello: async (m) => m.endpoint,
      response: async (m) => String(m.status),
      window: async () => "window",
      reset: async () => "reset",
      policy: async (m) => m.policy.queue,
      error: async () => "error",
    };
    await expect(dispatch(handlers, SAMPLES.hello as AgentMessage)).resolves.toBe("my-hooks-1");
  });

  it("types the table exhaustively and narrows each handler's message", () => {
    expectTypeOf<keyof Handlers<Message>>().toEqualTypeOf<Message["type"]>();
    expectTypeOf<Parameters<Handlers<Message>["window"]>[0]>().toEqualTypeOf<WindowMessage>();
    // @ts-expect-error a table missing `error` does not compile
    const partial: Handlers<RelayMessage> = {
      welcome() {},
      request() {},
      window() {},
      reset() {},
      edge() {},
    };
    expect(() => dispatch(partial, SAMPLES.error as RelayMessage)).toThrow(TypeError);
  });
});

describe("assertNever", () => {
  it("throws naming the message type only", () => {
    const leaked = { type: "mystery", token: "htk_secret" } as never;
    expect(() => assertNever(leaked, "message")).toThrow("unexpected message: type mystery");
    expect(() => assertNever(leaked)).not.toThrow(/htk_secret/);
  });
});
