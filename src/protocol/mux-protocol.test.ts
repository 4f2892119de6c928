/**
 * The mux against a scripted peer: what a misbehaving or racing peer costs (nothing, the
 * stream, or the connection), as mux.ts's top comment states.
 */
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { INITIAL_WINDOW_BYTES, MAX_DATA_PAYLOAD_BYTES, MAX_WINDOW_BYTES } from "./limits.js";
import type { Frame, Message } from "./messages.js";
import {
  createAgentWithRawRelay,
  createMuxPair,
  createRelayWithRawAgent,
  readAll,
  rejectionOf,
  requestHead,
  requestText,
  settle,
} from "./mux-harness.case.js";
import type { IncomingRequestStream } from "./mux-types.js";
import { ConnectionClosedError, StreamResetError } from "./stream-errors.js";

const isControl =
  (type: Message["type"], stream?: number) =>
  (frame: Frame): boolean =>
    frame.kind === "control" &&
    frame.message.type === type &&
    (stream === undefined || ("stream" in frame.message && frame.message.stream === stream));

function controls(frames: Frame[]): Message[] {
  return frames.flatMap((f) => (f.kind === "control" ? [f.message] : []));
}

const chunk = (bytes: number) => new Uint8Array(bytes).fill(7);

describe("fatal for the connection", () => {
  it.each([
    ["text that is not JSON", "{not json", "bad_message"],
    ["a binary frame shorter than a header", Uint8Array.from([0, 0, 1]), "bad_message"],
    ["an unknown message type", '{"type":"nope"}', "bad_message"],
    ["a message only a relay may send", requestText(1), "bad_message"],
    [
      "a hello of another protocol version",
      JSON.stringify({ type: "hello", protocol: 99 }),
      "unsupported_protocol",
    ],
  ] as const)("%s: error sent, socket closed 1002, every stream failed", async (_n, data, code) => {
    const peer = createRelayWithRawAgent();
    const a = peer.mux.openRequest(requestHead(), new PassThrough());
    const b = peer.mux.openRequest(requestHead(), Readable.from([]));
    peer.sendRaw(data);
    const error = await rejectionOf(a.response);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ code, remote: false });
    expect(await rejectionOf(b.done)).toBe(error);
    expect(peer.socket.closedWith).toEqual({ code: 1002, reason: code });
    const sent = await peer.next(isControl("error"));
    expect(sent).toMatchObject({ message: { type: "error", code } });
    expect(peer.mux.closed).toBe(true);
    expect(peer.mux.openStreams).toBe(0);
  });

  it("the peer's side fails its streams too, on the error message", async () => {
    const agentStreams: IncomingRequestStream[] = [];
    const pair = createMuxPair({ onRequest: (s) => void agentStreams.push(s) });
    pair.relay.openRequest(requestHead(), new PassThrough());
    await settle();
    pair.relay.receive("]");
    const error = await rejectionOf(agentStreams[0]?.done ?? Promise.resolve());
    expect(error).toMatchObject({
      name: "ConnectionClosedError",
      code: "bad_message",
      remote: true,
    });
    expect(pair.agentControls).toEqual([expect.objectContaining({ type: "error" })]);
  });

  it("relay: a frame for a stream it never opened", async () => {
    const peer = createRelayWithRawAgent();
    peer.mux.openRequest(requestHead(), Readable.from([]));
    peer.sendData(2, chunk(10));
    await peer.next(isControl("error"));
    expect(peer.socket.closedWith).toEqual({ code: 1002, reason: "unexpected_message" });
    expect(controls(peer.received).at(-1)).toMatchObject({ message: "stream 2 was never opened" });
  });

  it("agent: a request for a stream id that is open", async () => {
    const peer = createAgentWithRawRelay(() => {});
    peer.sendRaw(requestText(5));
    peer.sendRaw(requestText(5));
    const error = await peer.next(isControl("error"));
    expect(error).toMatchObject({ message: { code: "unexpected_message" } });
    expect(peer.socket.closedWith?.code).toBe(1002);
  });

  it("the peer's error message: onControl gets it, streams fail, the mux closes", async () => {
    const peer = createRelayWithRawAgent();
    const stream = peer.mux.openRequest(requestHead(), new PassThrough());
    peer.sendMessage({ type: "error", code: "shutting_down", message: "agent stops" });
    const error = await rejectionOf(stream.response);
    expect(error).toMatchObject({
      name: "ConnectionClosedError",
      code: "shutting_down",
      remote: true,
    });
    expect(peer.controls).toEqual([
      { type: "error", code: "shutting_down", message: "agent stops" },
    ]);
    expect(peer.mux.closed).toBe(true);
  });

  it("agent: an error code it does not know is a bad_message (what an older agent makes of `replaced`)", async () => {
    const peer = createAgentWithRawRelay(() => {});
    peer.sendRaw(JSON.stringify({ type: "error", code: "from_a_newer_relay", message: "bye" }));
    const sent = await peer.next(isControl("error"));
    expect(sent).toMatchObject({ message: { code: "bad_message" } });
    expect(peer.socket.closedWith).toEqual({ code: 1002, reason: "bad_message" });
    expect(peer.controls).toEqual([]);
  });

  it("a throwing onControl closes with internal_error (1011)", async () => {
    const peer = createAgentWithRawRelay(() => {});
    peer.controls.push = () => {
      throw new Error("handler bug");
    };
    peer.sendMessage({
      type: "welcome",
      protocol: 1,
      endpoint: "hooks",
      urls: ["https://relay.example/hooks"],
      sessionId: "s1",
      heartbeatMs: 1000,
    });
    const sent = await peer.next(isControl("error"));
    expect(sent).toMatchObject({ message: { code: "internal_error" } });
    expect(peer.socket.closedWith).toEqual({ code: 1011, reason: "internal_error" });
  });
});

describe("fatal for the stream only", () => {
  it("relay: data before the response resets that stream with protocol_error", async () => {
    const peer = createRelayWithRawAgent();
    const victim = peer.mux.openRequest(requestHead(), new PassThrough());
    const other = peer.mux.openRequest(requestHead(), Readable.from([]));
    peer.sendData(victim.id, chunk(3));
    const error = await rejectionOf(victim.response);
    expect(error).toMatchObject({
      name: "StreamResetError",
      code: "protocol_error",
      remote: false,
    });
    const reset = await peer.next(isControl("reset", victim.id));
    expect(reset).toMatchObject({ message: { code: "protocol_error" } });
    peer.sendMessage({ type: "response", stream: other.id, status: 200, rawHeaders: [] });
    peer.sendData(other.id, chunk(4), true);
    expect((await readAll((await other.response).body)).byteLength).toBe(4);
    expect(peer.mux.closed).toBe(false);
  });

  it("relay: data after END and a second response reset with protocol_error", async () => {
    const peer = createRelayWithRawAgent();
    const afterEnd = peer.mux.openRequest(requestHead(), new PassThrough());
    const twice = peer.mux.openRequest(requestHead(), new PassThrough());
    peer.sendMessage({ type: "response", stream: afterEnd.id, status: 200, rawHeaders: [] });
    peer.sendData(afterEnd.id, chunk(1), true);
    peer.sendData(afterEnd.id, chunk(1));
    peer.sendMessage({ type: "response", stream: twice.id, status: 200, rawHeaders: [] });
    peer.sendMessage({ type: "response", stream: twice.id, status: 500, rawHeaders: [] });
    expect(await rejectionOf(afterEnd.done)).toMatchObject({ code: "protocol_error" });
    expect(await rejectionOf(twice.done)).toMatchObject({ code: "protocol_error" });
    // The body that reached its END stays whole and readable.
    expect((await readAll((await afterEnd.response).body)).byteLength).toBe(1);
    expect(peer.mux.closed).toBe(false);
  });

  it("agent: data beyond the credit resets with flow_control", async () => {
    const peer = createAgentWithRawRelay(() => {});
    peer.sendRaw(requestText(1));
    for (let sent = 0; sent < INITIAL_WINDOW_BYTES; sent += MAX_DATA_PAYLOAD_BYTES) {
      peer.sendData(1, chunk(MAX_DATA_PAYLOAD_BYTES));
    }
    peer.sendData(1, chunk(1));
    const reset = await peer.next(isControl("reset", 1));
    expect(reset).toMatchObject({ message: { code: "flow_control" } });
    expect(controls(peer.received).filter((m) => m.type === "window")).toEqual([]);
    expect(peer.mux.closed).toBe(false);
  });

  it("relay: a grant past MAX_WINDOW_BYTES resets with flow_control", async () => {
    const peer = createRelayWithRawAgent();
    const stream = peer.mux.openRequest(requestHead(), new PassThrough());
    peer.sendMessage({ type: "window", stream: stream.id, bytes: MAX_WINDOW_BYTES });
    expect(await rejectionOf(stream.response)).toMatchObject({ code: "flow_control" });
  });
});

describe("dropped silently", () => {
  it("agent: data, window and reset for a stream it does not know", async () => {
    const peer = createAgentWithRawRelay((s) => {
      s.body.resume();
      s.respond(204, []).end();
    });
    peer.sendData(999, chunk(10));
    peer.sendMessage({ type: "window", stream: 999, bytes: 10 });
    peer.sendMessage({ type: "reset", stream: 999, code: "aborted", message: "late" });
    peer.sendRaw(requestText(1));
    peer.sendData(1, chunk(0), true);
    await peer.next(isControl("response", 1));
    await peer.next((f) => f.kind === "data" && f.stream === 1 && f.end);
    expect(peer.mux.closed).toBe(false);
    expect(controls(peer.received).map((m) => m.type)).toEqual(["response"]);
  });

  it("relay: frames for a stream it already reset, crossing the reset in flight", async () => {
    const peer = createRelayWithRawAgent();
    const stream = peer.mux.openRequest(requestHead(), new PassThrough());
    stream.reset("aborted", "client left");
    peer.sendMessage({ type: "response", stream: stream.id, status: 200, rawHeaders: [] });
    peer.sendData(stream.id, chunk(10), true);
    peer.sendMessage({ type: "window", stream: stream.id, bytes: 10 });
    peer.sendMessage({ type: "reset", stream: stream.id, code: "aborted", message: "crossed" });
    await settle();
    expect(peer.mux.closed).toBe(false);
    expect(controls(peer.received).map((m) => m.type)).toEqual(["request", "reset"]);
    expect(await rejectionOf(stream.response)).toBeInstanceOf(StreamResetError);
  });
});

describe("credit grants", () => {
  it("the agent grants credit only as its consumer reads, and all of it by the end", async () => {
    let agentStream: IncomingRequestStream | undefined;
    const peer = createAgentWithRawRelay((s) => {
      agentStream = s;
    });
    peer.sendRaw(requestText(1));
    for (let sent = 0; sent < INITIAL_WINDOW_BYTES; sent += MAX_DATA_PAYLOAD_BYTES) {
      peer.sendData(1, chunk(MAX_DATA_PAYLOAD_BYTES));
    }
    await settle();
    const grants = () =>
      controls(peer.received).flatMap((m) => (m.type === "window" ? [m.bytes] : []));
    expect(grants()).toEqual([]);
    expect(peer.mux.bufferedBytes).toBe(INITIAL_WINDOW_BYTES);
    const body = agentStream?.body as Readable;
    body.read(INITIAL_WINDOW_BYTES / 2 - 1);
    await settle();
    expect(grants()).toEqual([]);
    body.read(1);
    await peer.next(isControl("window", 1));
    expect(grants()).toEqual([INITIAL_WINDOW_BYTES / 2]);
    while (body.read() !== null);
    await settle();
    expect(grants().reduce((a, b) => a + b, 0)).toBe(INITIAL_WINDOW_BYTES);
    expect(peer.mux.bufferedBytes).toBe(0);
    peer.sendData(1, chunk(0), true);
    await settle();
    expect(grants().reduce((a, b) => a + b, 0)).toBe(INITIAL_WINDOW_BYTES);
  });
});
