import { randomBytes } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodeData } from "./data-frame.js";
import { MAX_DATA_PAYLOAD_BYTES } from "./limits.js";
import type { RequestMessage } from "./messages.js";
import { createMux } from "./mux.js";
import {
  agentStreams,
  bodyOf,
  createMuxPair,
  echo,
  readAll,
  rejectionOf,
  requestHead,
  settle,
} from "./mux-harness.case.js";
import { ConnectionClosedError, StreamLimitError } from "./stream-errors.js";

function dataFramesOf(frames: (string | Uint8Array)[]) {
  return frames.filter((f): f is Uint8Array => typeof f !== "string").map((f) => decodeData(f));
}

describe("mux round trip", () => {
  const nonUtf8 = Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0xa0, 0xa1, 0xed, 0xa0, 0x80]);
  const cases: [string, Uint8Array, Uint8Array][] = [
    ["empty bodies", new Uint8Array(0), new Uint8Array(0)],
    ["non-UTF-8 bytes", nonUtf8, nonUtf8.slice().reverse()],
    ["exactly 64 KiB", randomBytes(64 * 1024), randomBytes(64 * 1024)],
    ["64 KiB + 1", randomBytes(64 * 1024 + 1), randomBytes(64 * 1024 + 1)],
    ["random binary larger than a window", randomBytes(700_001), randomBytes(555_555)],
  ];

  it.each(cases)(
    "%s: both bodies and heads arrive byte-exact",
    async (_name, request, response) => {
      let head: RequestMessage | undefined;
      const pair = createMuxPair({
        onRequest: async (stream) => {
          head = stream.head;
          const got = await readAll(stream.body);
          expect(Buffer.compare(got, request)).toBe(0);
          const writer = stream.respond(201, [
            ["Set-Cookie", "a=1"],
            ["set-cookie", "b=2"],
            ["X-Latin1", "caf\u00e9"],
          ]);
          writer.end(response);
        },
      });
      const sent = requestHead("/hook?x=%20&y");
      const stream = pair.relay.openRequest(sent, bodyOf(request, 10_000));
      const res = await stream.response;
      expect(res.status).toBe(201);
      expect(res.rawHeaders).toEqual([
        ["Set-Cookie", "a=1"],
        ["set-cookie", "b=2"],
        ["X-Latin1", "caf\u00e9"],
      ]);
      expect(Buffer.compare(await readAll(res.body), response)).toBe(0);
      await stream.done;
      expect(head).toEqual({ ...sent, type: "request", stream: stream.id });
      expect(pair.relay.openStreams).toBe(0);
      expect(pair.agent.openStreams).toBe(0);
    },
  );

  it("cuts bodies into frames of at most MAX_DATA_PAYLOAD_BYTES and flags the last one END", async () => {
    const pair = createMuxPair({ onRequest: echo });
    const sent: (string | Uint8Array)[] = [];
    pair.relaySocket.tap = (frame) => sent.push(frame);
    const body = randomBytes(2 * MAX_DATA_PAYLOAD_BYTES + 1);
    const stream = pair.relay.openRequest(requestHead(), Readable.from([body]));
    await readAll((await stream.response).body);
    await stream.done;
    const frames = dataFramesOf(sent);
    expect(frames.map((f) => [f.payload.byteLength, f.end])).toEqual([
      [MAX_DATA_PAYLOAD_BYTES, false],
      [MAX_DATA_PAYLOAD_BYTES, false],
      [1, true],
    ]);
  });

  it("an empty body is one empty END frame", async () => {
    const pair = createMuxPair({ onRequest: echo });
    const sent: (string | Uint8Array)[] = [];
    pair.relaySocket.tap = (frame) => sent.push(frame);
    const stream = pair.relay.openRequest(requestHead(), Readable.from([]));
    expect((await readAll((await stream.response).body)).byteLength).toBe(0);
    await stream.done;
    expect(dataFramesOf(sent).map((f) => [f.stream, f.payload.byteLength, f.end])).toEqual([
      [stream.id, 0, true],
    ]);
  });

  it("a request opened without a body (null) is its head then one empty END frame", async () => {
    const pair = createMuxPair({ onRequest: echo });
    const sent: (string | Uint8Array)[] = [];
    pair.relaySocket.tap = (frame) => sent.push(frame);
    const stream = pair.relay.openRequest(requestHead(), null);
    expect(sent.map((frame) => typeof frame)).toEqual(["string", "object"]);
    expect(dataFramesOf(sent).map((f) => [f.stream, f.payload.byteLength, f.end])).toEqual([
      [stream.id, 0, true],
    ]);
    expect((await readAll((await stream.response).body)).byteLength).toBe(0);
    await stream.done;
    expect(pair.relay.openStreams).toBe(0);
  });

  it("gives increasing stream ids from 1 and frees them when both ENDs went through", async () => {
    const pair = createMuxPair({ onRequest: echo });
    const a = pair.relay.openRequest(requestHead(), Readable.from([Buffer.from("a")]));
    const b = pair.relay.openRequest(requestHead(), Readable.from([Buffer.from("b")]));
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(pair.relay.openStreams).toBe(2);
    await Promise.all([a.done, b.done]);
    expect(pair.relay.openStreams).toBe(0);
    expect(pair.relay.openRequest(requestHead(), Readable.from([])).id).toBe(3);
  });

  it("runs 50 concurrent streams interleaved on the wire, each getting its own bytes", async () => {
    const pair = createMuxPair({ onRequest: echo });
    const order: number[] = [];
    pair.relaySocket.tap = (frame) => {
      if (typeof frame !== "string") order.push(decodeData(frame).stream);
    };
    const bodies = Array.from({ length: 50 }, (_, i) => randomBytes(150_000 + i * 1_001));
    const streams = bodies.map((body) => pair.relay.openRequest(requestHead(), bodyOf(body)));
    const echoed = await Promise.all(
      streams.map(async (stream) => {
        const res = await stream.response;
        expect(res.rawHeaders).toContainEqual(["X-Stream", String(stream.id)]);
        return readAll(res.body);
      }),
    );
    for (const [i, got] of echoed.entries()) {
      expect(Buffer.compare(got, bodies[i] as Buffer)).toBe(0);
    }
    await Promise.all(streams.map((s) => s.done));
    const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(100);
    expect(pair.relay.openStreams).toBe(0);
    expect(pair.agent.openStreams).toBe(0);
  });

  it("lets the agent answer before reading the body, and discard it by destroying it", async () => {
    let agentDone: Promise<void> | undefined;
    const pair = createMuxPair({
      onRequest: (stream) => {
        agentDone = stream.done;
        stream.body.destroy();
        stream.respond(413, []).end("too big");
      },
    });
    const stream = pair.relay.openRequest(requestHead(), bodyOf(randomBytes(2_000_000)));
    const res = await stream.response;
    expect(res.status).toBe(413);
    expect((await readAll(res.body)).toString()).toBe("too big");
    await stream.done;
    await agentDone;
    expect(pair.agent.openStreams).toBe(0);
  });
});

describe("mux connection", () => {
  it("close() fails every open stream and refuses new ones", async () => {
    const { onRequest, next } = agentStreams();
    const pair = createMuxPair({ onRequest });
    const waiting = pair.relay.openRequest(requestHead(), new PassThrough());
    const streaming = pair.relay.openRequest(requestHead(), Readable.from([]));
    await next();
    const agentStreaming = await next();
    agentStreaming.respond(200, []).write("some");
    const res = await streaming.response;
    res.body.on("error", () => {});
    const cause = new Error("socket closed");
    pair.relay.close(cause);
    const error = await rejectionOf(waiting.response);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as Error).cause).toBe(cause);
    expect(res.body.errored).toBe(error);
    expect(await rejectionOf(streaming.done)).toBe(error);
    expect(pair.relay.openStreams).toBe(0);
    expect(pair.relay.closed).toBe(true);
    expect(() => pair.relay.openRequest(requestHead(), Readable.from([]))).toThrow(
      ConnectionClosedError,
    );
    expect(pair.relay.sendControl({ type: "edge", exchange: edgeReport() })).toBe(false);
  });

  it("a closing socket fails the streams on both ends", async () => {
    const { onRequest, next } = agentStreams();
    const pair = createMuxPair({ onRequest });
    const stream = pair.relay.openRequest(requestHead(), new PassThrough());
    const agentStream = await next();
    pair.agentSocket.close(1001, "bye");
    expect(await rejectionOf(stream.response)).toBeInstanceOf(ConnectionClosedError);
    expect(await rejectionOf(agentStream.done)).toBeInstanceOf(ConnectionClosedError);
    expect(pair.agent.openStreams).toBe(0);
  });

  it("maxConcurrentStreams: openRequest throws StreamLimitError at the limit", async () => {
    const { onRequest, next } = agentStreams();
    const pair = createMuxPair({ onRequest, relay: { maxConcurrentStreams: 2 } });
    const a = pair.relay.openRequest(requestHead(), Readable.from([]));
    pair.relay.openRequest(requestHead(), new PassThrough());
    const error = (() => {
      try {
        pair.relay.openRequest(requestHead(), Readable.from([]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StreamLimitError);
    expect(error).toMatchObject({ limit: 2 });
    const first = await next();
    first.body.resume();
    first.respond(200, []).end();
    await a.done;
    expect(pair.relay.openRequest(requestHead(), Readable.from([])).id).toBe(3);
  });

  it("the agent refuses requests beyond its own maxConcurrentStreams", async () => {
    const pair = createMuxPair({ onRequest: () => {}, agent: { maxConcurrentStreams: 1 } });
    pair.relay.openRequest(requestHead(), new PassThrough());
    const second = pair.relay.openRequest(requestHead(), new PassThrough());
    expect(await rejectionOf(second.response)).toMatchObject({ code: "refused", remote: true });
    expect(pair.agent.openStreams).toBe(1);
  });

  it("an agent without onRequest refuses every request", async () => {
    const pair = createMuxPair();
    const stream = pair.relay.openRequest(requestHead(), Readable.from([]));
    expect(await rejectionOf(stream.response)).toMatchObject({ code: "refused" });
  });

  it("passes connection-level messages to onControl both ways", async () => {
    const pair = createMuxPair();
    const policy = {
      oktaChallenge: "edge",
      requireHeader: null,
      maxBodyBytes: 1000,
      queue: "offline",
    } as const;
    pair.agent.sendControl({
      type: "hello",
      protocol: 1,
      token: "t",
      endpoint: "hooks",
      policy,
      client: { name: "hooktap", version: "0.1.0" },
    });
    pair.agent.sendControl({ type: "policy", policy });
    pair.relay.sendControl({ type: "edge", exchange: edgeReport() });
    await settle();
    expect(pair.relayControls.map((m) => m.type)).toEqual(["hello", "policy"]);
    expect(pair.agentControls).toEqual([{ type: "edge", exchange: edgeReport() }]);
  });

  it("sendControl refuses stream messages and invalid messages", () => {
    const pair = createMuxPair();
    const window = { type: "window", stream: 1, bytes: 10 } as const;
    expect(() => pair.relay.sendControl(window as never)).toThrow(TypeError);
    expect(() => pair.agent.sendControl({ type: "policy", policy: {} } as never)).toThrow(
      expect.objectContaining({ name: "ProtocolError", code: "invalid_message" }),
    );
  });

  it("closeWithError sends the error, closes with its close code, fails the streams", async () => {
    const pair = createMuxPair({ onRequest: () => {} });
    const stream = pair.relay.openRequest(requestHead(), new PassThrough());
    await settle();
    pair.relay.closeWithError("shutting_down", "the relay restarts");
    expect(pair.relaySocket.closedWith).toEqual({ code: 1001, reason: "shutting_down" });
    const error = await rejectionOf(stream.response);
    expect(error).toMatchObject({ name: "ConnectionClosedError", code: "shutting_down" });
    await settle();
    expect(pair.agentControls).toEqual([
      { type: "error", code: "shutting_down", message: "the relay restarts" },
    ]);
    expect(pair.agent.closed).toBe(true);
  });

  it("rejects bad options", () => {
    const socket = { send: () => {}, close: () => {} };
    expect(() =>
      createMux({ side: "relay", socket, onControl: () => {}, maxConcurrentStreams: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      createMux({ side: "relay", socket, onControl: () => {}, highWaterMarkBytes: -1 }),
    ).toThrow(RangeError);
    expect(() => createMux({ side: "both", socket, onControl: () => {} } as never)).toThrow(
      TypeError,
    );
    const agent = createMux({ side: "agent", socket, onControl: () => {} });
    expect(() => (agent as never as { openRequest: () => void }).openRequest()).toThrow(
      /only the relay/,
    );
  });
});

function edgeReport() {
  const body = { base64: "", truncated: false, size: 0 };
  return {
    reason: "offline" as const,
    receivedAt: 1,
    durationMs: 0,
    request: {
      method: "POST",
      target: "/",
      httpVersion: "1.1",
      rawHeaders: [],
      remoteAddress: "198.51.100.2",
      scheme: "http" as const,
      body,
    },
    response: { status: 503, rawHeaders: [], body },
  };
}
