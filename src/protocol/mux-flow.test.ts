/**
 * Backpressure end to end: credit per stream, the transport high-water mark, and a 100 MB
 * body through a slow consumer with bounded buffering on every hop.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodeData } from "./data-frame.js";
import { DATA_FRAME_HEADER_BYTES, INITIAL_WINDOW_BYTES, MAX_DATA_PAYLOAD_BYTES } from "./limits.js";
import {
  bodyOf,
  createMuxPair,
  echo,
  readAll,
  requestHead,
  settle,
  until,
} from "./mux-harness.case.js";
import type { IncomingRequestStream } from "./mux-types.js";

/** Counts the body bytes a socket end sends in data frames. */
function payloadCounter(): { tap: (frame: string | Uint8Array) => void; bytes: () => number } {
  let bytes = 0;
  return {
    tap: (frame) => {
      if (typeof frame !== "string") bytes += decodeData(frame).payload.byteLength;
    },
    bytes: () => bytes,
  };
}

/** Resolves when `body` has something to read or has ended. */
function readableOrEnd(body: Readable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      body.off("readable", done);
      body.off("end", done);
      resolve();
    };
    body.on("readable", done);
    body.on("end", done);
  });
}

describe("credit", () => {
  it("credit exhaustion pauses the sender until the consumer reads", async () => {
    let agentStream: IncomingRequestStream | undefined;
    const pair = createMuxPair({
      onRequest: (s) => {
        agentStream = s;
      },
    });
    const sent = payloadCounter();
    pair.relaySocket.tap = sent.tap;
    const body = randomBytes(1_000_000);
    const stream = pair.relay.openRequest(requestHead(), bodyOf(body));
    await until(() => agentStream?.body.readableLength === INITIAL_WINDOW_BYTES);
    await settle();
    expect(sent.bytes()).toBe(INITIAL_WINDOW_BYTES);
    const agentBody = agentStream?.body as Readable;
    expect(agentBody.read(INITIAL_WINDOW_BYTES / 2)).not.toBeNull();
    await until(() => sent.bytes() > INITIAL_WINDOW_BYTES);
    await settle();
    expect(sent.bytes()).toBe(INITIAL_WINDOW_BYTES * 1.5);
    const rest = await readAll(agentBody);
    expect(Buffer.compare(rest, body.subarray(INITIAL_WINDOW_BYTES / 2))).toBe(0);
    (agentStream as IncomingRequestStream).respond(204, []).end();
    await stream.done;
  });

  it("a slow public client throttles the agent: the response writer sees backpressure", async () => {
    let writer: ReturnType<IncomingRequestStream["respond"]> | undefined;
    const pair = createMuxPair({
      onRequest: (s) => {
        s.body.resume();
        writer = s.respond(200, []);
      },
    });
    const sent = payloadCounter();
    pair.agentSocket.tap = sent.tap;
    const stream = pair.relay.openRequest(requestHead(), Readable.from([]));
    const res = await stream.response;
    const body = randomBytes(1_000_000);
    expect(writer?.write(body)).toBe(false);
    writer?.end();
    await until(() => sent.bytes() === INITIAL_WINDOW_BYTES);
    await settle();
    expect(sent.bytes()).toBe(INITIAL_WINDOW_BYTES);
    expect(writer?.writableLength).toBe(body.byteLength);
    expect(Buffer.compare(await readAll(res.body), body)).toBe(0);
    await stream.done;
  });

  it("a stalled stream does not stall the others", async () => {
    const pair = createMuxPair({
      onRequest: (s) => {
        if (s.head.target !== "/stalled") echo(s);
      },
    });
    const stalled = pair.relay.openRequest(requestHead("/stalled"), bodyOf(randomBytes(2_000_000)));
    const body = randomBytes(1_500_000);
    const other = pair.relay.openRequest(requestHead("/ok"), bodyOf(body));
    expect(Buffer.compare(await readAll((await other.response).body), body)).toBe(0);
    await other.done;
    expect(pair.relay.openStreams).toBe(1);
    expect(pair.agent.bufferedBytes).toBe(INITIAL_WINDOW_BYTES);
    stalled.reset("aborted", "test over");
  });
});

describe("transport high-water mark", () => {
  it("holds data frames while the socket has not flushed, never control frames", async () => {
    const highWaterMarkBytes = 100_000;
    const pair = createMuxPair({ onRequest: echo, relay: { highWaterMarkBytes } });
    const sent = payloadCounter();
    pair.relaySocket.tap = sent.tap;
    pair.relaySocket.holdFlush();
    const body = randomBytes(1_000_000);
    const stream = pair.relay.openRequest(requestHead(), bodyOf(body));
    await until(() => pair.relay.unflushedBytes >= highWaterMarkBytes);
    await settle();
    const held = sent.bytes();
    expect(held).toBeLessThan(highWaterMarkBytes + MAX_DATA_PAYLOAD_BYTES);
    expect(pair.relay.unflushedBytes).toBeLessThan(
      highWaterMarkBytes + MAX_DATA_PAYLOAD_BYTES + DATA_FRAME_HEADER_BYTES + 1000,
    );
    // The agent has granted credit (it reads), so only the transport holds the sender back.
    await settle();
    expect(sent.bytes()).toBe(held);
    const exchange = {
      reason: "offline" as const,
      receivedAt: 1,
      durationMs: 0,
      request: {
        method: "GET",
        target: "/",
        httpVersion: "1.1",
        rawHeaders: [],
        remoteAddress: "::1",
        scheme: "http" as const,
        body: { base64: "", truncated: false, size: 0 },
      },
      response: { status: 502, rawHeaders: [], body: { base64: "", truncated: false, size: 0 } },
    };
    expect(pair.relay.sendControl({ type: "edge", exchange })).toBe(true);
    await until(() => pair.agentControls.length === 1);
    pair.relaySocket.releaseFlush();
    expect(Buffer.compare(await readAll((await stream.response).body), body)).toBe(0);
    await stream.done;
    await until(() => pair.relay.unflushedBytes === 0);
  });
});

describe("a 100 MB body relay → agent → relay through a slow consumer", () => {
  it("arrives byte-exact, and no hop ever buffers more than a window and a frame", async () => {
    const total = 100 * 1024 * 1024;
    const pool = randomBytes(1024 * 1024 + MAX_DATA_PAYLOAD_BYTES);
    const hashIn = createHash("sha256");
    let produced = 0;
    function* chunks(): Generator<Buffer> {
      for (let i = 0; produced < total; i++) {
        const offset = (i * 7919) % (pool.byteLength - MAX_DATA_PAYLOAD_BYTES);
        const chunk = Buffer.from(pool.subarray(offset, offset + MAX_DATA_PAYLOAD_BYTES));
        chunk.writeUInt32BE(i, 0);
        hashIn.update(chunk);
        produced += chunk.byteLength;
        yield chunk;
      }
    }
    const pair = createMuxPair({ onRequest: echo });
    const stream = pair.relay.openRequest(
      requestHead(),
      Readable.from(chunks(), { objectMode: false }),
    );
    const body = (await stream.response).body;

    const hashOut = createHash("sha256");
    let consumed = 0;
    const max = { readable: 0, relayBuffered: 0, agentBuffered: 0, inFlight: 0 };
    const sample = (): void => {
      max.readable = Math.max(max.readable, body.readableLength);
      max.relayBuffered = Math.max(max.relayBuffered, pair.relay.bufferedBytes);
      max.agentBuffered = Math.max(max.agentBuffered, pair.agent.bufferedBytes);
      max.inFlight = Math.max(max.inFlight, produced - consumed);
    };
    for (;;) {
      const chunk = body.read(16 * 1024) as Buffer | null;
      sample();
      if (chunk === null) {
        if (body.readableEnded) break;
        await readableOrEnd(body);
        continue;
      }
      hashOut.update(chunk);
      consumed += chunk.byteLength;
      // The slow consumer: one event-loop turn per 16 KiB, while the sender puts out 64 KiB frames.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await stream.done;

    expect(consumed).toBe(total);
    expect(hashOut.digest("hex")).toBe(hashIn.digest("hex"));
    expect(max.readable).toBeLessThanOrEqual(INITIAL_WINDOW_BYTES + MAX_DATA_PAYLOAD_BYTES);
    expect(max.relayBuffered).toBeLessThanOrEqual(INITIAL_WINDOW_BYTES);
    expect(max.agentBuffered).toBeLessThanOrEqual(INITIAL_WINDOW_BYTES);
    // The consumer was the bottleneck: the window did fill up.
    expect(max.readable).toBeGreaterThan(INITIAL_WINDOW_BYTES / 2);
    // Between the producer and the consumer: a few windows and buffers, never the body.
    expect(max.inFlight).toBeLessThan(2 * 1024 * 1024);
  }, 60_000);
});
