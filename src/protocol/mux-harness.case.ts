/**
 * Test helpers for the mux: an in-memory FrameSocket pair that behaves like a WebSocket
 * (frames copied, delivered asynchronously and in order, flush callbacks that can be held
 * back to simulate a slow network), muxes wired to it, and a scripted raw peer. Not part of
 * the build (`*.case.ts`).
 */
import { Readable } from "node:stream";
import { decodeFrame, encodeMessage } from "./codec.js";
import { encodeData } from "./data-frame.js";
import type { FrameSocket } from "./frame-socket.js";
import type { Frame, Message, RequestMessage } from "./messages.js";
import { createMux } from "./mux.js";
import type {
  AgentMux,
  AgentMuxOptions,
  IncomingRequestStream,
  RelayMux,
  RelayMuxOptions,
  RequestHead,
} from "./mux-types.js";

/** One end of an in-memory WebSocket. */
export class MemorySocket implements FrameSocket {
  peer: MemorySocket | undefined;
  onMessage: (data: string | Uint8Array) => void = () => {};
  onClose: (code: number, reason: string) => void = () => {};
  /** Sees every frame this end sends. */
  tap: ((frame: string | Uint8Array) => void) | undefined;
  /** Set once this end called `close` (or the peer did). */
  closedWith: { code: number; reason: string } | undefined;
  #holding = false;
  #held: (() => void)[] = [];
  #closeSeen = false;

  send(frame: string | Uint8Array, callback: (error?: Error) => void): void {
    const peer = this.peer;
    if (this.closedWith !== undefined || peer === undefined) {
      setImmediate(() => callback(new Error("the socket is closed")));
      return;
    }
    const copy = typeof frame === "string" ? frame : new Uint8Array(frame);
    this.tap?.(copy);
    setImmediate(() => peer.#deliver(copy));
    if (this.#holding) this.#held.push(() => callback());
    else setImmediate(() => callback());
  }

  close(code: number, reason: string): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = { code, reason };
    const peer = this.peer;
    setImmediate(() => {
      this.#closed(code, reason);
      if (peer !== undefined) peer.#closed(code, reason);
    });
  }

  /** Stops calling send callbacks (a slow network) until {@link releaseFlush}. */
  holdFlush(): void {
    this.#holding = true;
  }

  /** Calls every held send callback and stops holding. */
  releaseFlush(): void {
    this.#holding = false;
    const held = this.#held;
    this.#held = [];
    for (const flush of held) flush();
  }

  #deliver(frame: string | Uint8Array): void {
    if (!this.#closeSeen) this.onMessage(frame);
  }

  #closed(code: number, reason: string): void {
    if (this.#closeSeen) return;
    this.#closeSeen = true;
    this.closedWith ??= { code, reason };
    this.onClose(code, reason);
  }
}

/** Two connected {@link MemorySocket}s. */
export function createSocketPair(): [MemorySocket, MemorySocket] {
  const a = new MemorySocket();
  const b = new MemorySocket();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** A relay mux and an agent mux over an in-memory socket pair. */
export interface MuxPair {
  relay: RelayMux;
  agent: AgentMux;
  relaySocket: MemorySocket;
  agentSocket: MemorySocket;
  /** Control messages each side received. */
  relayControls: Message[];
  agentControls: Message[];
}

/** Options of {@link createMuxPair}. */
export interface MuxPairOptions {
  onRequest?: (stream: IncomingRequestStream) => void | Promise<void>;
  relay?: Partial<Pick<RelayMuxOptions, "maxConcurrentStreams" | "highWaterMarkBytes">>;
  agent?: Partial<Pick<AgentMuxOptions, "maxConcurrentStreams" | "highWaterMarkBytes">>;
}

/** Creates a {@link MuxPair}; closing either socket closes both muxes. */
export function createMuxPair(options: MuxPairOptions = {}): MuxPair {
  const [relaySocket, agentSocket] = createSocketPair();
  const relayControls: Message[] = [];
  const agentControls: Message[] = [];
  const relay = createMux({
    side: "relay",
    socket: relaySocket,
    onControl: (m) => relayControls.push(m),
    ...options.relay,
  });
  const agent = createMux({
    side: "agent",
    socket: agentSocket,
    onControl: (m) => agentControls.push(m),
    ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
    ...options.agent,
  });
  relaySocket.onMessage = (data) => relay.receive(data);
  agentSocket.onMessage = (data) => agent.receive(data);
  relaySocket.onClose = () => relay.close();
  agentSocket.onClose = () => agent.close();
  return { relay, agent, relaySocket, agentSocket, relayControls, agentControls };
}

/** A mux whose peer is scripted by the test: raw frames in, decoded frames recorded. */
export interface RawPeer<M> {
  mux: M;
  socket: MemorySocket;
  /** Every frame the mux sent, decoded. */
  received: Frame[];
  /** Sends a control message to the mux, encoded but not checked for direction. */
  sendMessage(message: Message): void;
  /** Sends a data frame to the mux. */
  sendData(stream: number, payload: Uint8Array, end?: boolean): void;
  /** Sends raw text or bytes. */
  sendRaw(data: string | Uint8Array): void;
  /** Resolves with the first received frame (past or future) that matches. */
  next(match: (frame: Frame) => boolean): Promise<Frame>;
}

function rawPeer<M extends RelayMux | AgentMux>(
  build: (socket: MemorySocket, controls: Message[]) => M,
  controls: Message[],
): RawPeer<M> {
  const [muxSocket, peerSocket] = createSocketPair();
  const mux = build(muxSocket, controls);
  muxSocket.onMessage = (data) => mux.receive(data);
  muxSocket.onClose = () => mux.close();
  const received: Frame[] = [];
  const waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  peerSocket.onMessage = (data) => {
    const frame = decodeFrame(data);
    received.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.match(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  };
  const send = (data: string | Uint8Array): void => peerSocket.send(data, () => {});
  return {
    mux,
    socket: muxSocket,
    received,
    sendMessage: (message) => send(JSON.stringify(message)),
    sendData: (stream, payload, end = false) => send(encodeData({ stream, end, payload })),
    sendRaw: send,
    next(match) {
      const seen = received.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

/** A relay mux talking to a scripted agent. */
export function createRelayWithRawAgent(
  options: MuxPairOptions["relay"] = {},
): RawPeer<RelayMux> & { controls: Message[] } {
  const controls: Message[] = [];
  const peer = rawPeer(
    (socket, c) => createMux({ side: "relay", socket, onControl: (m) => c.push(m), ...options }),
    controls,
  );
  return { ...peer, controls };
}

/** An agent mux talking to a scripted relay. */
export function createAgentWithRawRelay(
  onRequest: (stream: IncomingRequestStream) => void | Promise<void>,
  options: MuxPairOptions["agent"] = {},
): RawPeer<AgentMux> & { controls: Message[] } {
  const controls: Message[] = [];
  const peer = rawPeer(
    (socket, c) =>
      createMux({ side: "agent", socket, onControl: (m) => c.push(m), onRequest, ...options }),
    controls,
  );
  return { ...peer, controls };
}

/** A socket that keeps each send callback until the test flushes it. */
export function heldSocket() {
  const sent: (string | Uint8Array)[] = [];
  const callbacks: ((error?: Error) => void)[] = [];
  const socket: FrameSocket = {
    send: (frame, callback) => {
      sent.push(frame);
      callbacks.push(callback);
    },
    close: () => {},
  };
  return { socket, sent, flush: (error?: Error) => callbacks.shift()?.(error) };
}

/** Resolves with each stream the agent gets, in order. */
export function agentStreams(): {
  onRequest: (s: IncomingRequestStream) => void;
  next: () => Promise<IncomingRequestStream>;
} {
  const queue: IncomingRequestStream[] = [];
  const waiters: ((s: IncomingRequestStream) => void)[] = [];
  return {
    onRequest: (s) => {
      const waiter = waiters.shift();
      if (waiter) waiter(s);
      else queue.push(s);
    },
    next: () => {
      const s = queue.shift();
      return s ? Promise.resolve(s) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

/** A valid live request head. */
export function requestHead(target = "/hook"): RequestHead {
  return {
    method: "POST",
    target,
    httpVersion: "1.1",
    rawHeaders: [
      ["Host", "relay.example"],
      ["Content-Type", "application/json"],
      ["X-Dup", "a"],
      ["x-dup", "b"],
    ],
    remoteAddress: "203.0.113.7",
    scheme: "http",
    receivedAt: 1_717_000_000_123,
    origin: "live",
  };
}

/** The `request` message a relay sends for `head` on `stream`, encoded as text. */
export function requestText(stream: number, head: RequestHead = requestHead()): string {
  return encodeMessage({ ...head, type: "request", stream } as RequestMessage);
}

/** Reads a stream to its end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A Readable of `bytes`, in chunks of `chunkBytes`. */
export function bodyOf(bytes: Uint8Array, chunkBytes = 16 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.byteLength; i += chunkBytes) {
    chunks.push(Buffer.from(bytes.subarray(i, i + chunkBytes)));
  }
  return Readable.from(chunks, { objectMode: false });
}

/** The agent handler that answers 200 and echoes the request body back. */
export function echo(stream: IncomingRequestStream): void {
  const writer = stream.respond(200, [
    ["Content-Type", "application/octet-stream"],
    ["X-Stream", String(stream.id)],
  ]);
  writer.on("error", () => {});
  stream.body.on("error", () => {});
  stream.body.pipe(writer);
}

/** Lets the event loop run `turns` times: long enough for in-memory frames to land. */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Waits (event-loop turns, not time) until `predicate` holds; fails after `maxTurns`. */
export async function until(predicate: () => boolean, maxTurns = 100_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (predicate()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error("condition not reached");
}

/** The error a promise rejects with (fails if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
