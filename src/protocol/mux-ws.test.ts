/**
 * The mux over a real `ws` server and client on 127.0.0.1: a `ws` WebSocket is a FrameSocket
 * as it is, and frames, backpressure, resets and closes behave as over the in-memory pair.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { INITIAL_WINDOW_BYTES, MAX_FRAME_BYTES } from "./limits.js";
import type { Message } from "./messages.js";
import { createMux } from "./mux.js";
import { bodyOf, echo, readAll, rejectionOf, requestHead, until } from "./mux-harness.case.js";
import type { AgentMux, IncomingRequestStream, RelayMux } from "./mux-types.js";
import { SAMPLES } from "./samples.case.js";
import { ConnectionClosedError, StreamResetError } from "./stream-errors.js";

interface Tunnel {
  relay: RelayMux;
  agent: AgentMux;
  client: WebSocket;
  relayControls: Message[];
  agentControls: Message[];
}

const servers: WebSocketServer[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

function wire(ws: WebSocket, mux: RelayMux | AgentMux): void {
  ws.on("message", (data: RawData, isBinary: boolean) =>
    mux.receive(isBinary ? (data as Buffer) : data.toString()),
  );
  ws.on("close", () => mux.close());
}

async function connect(
  onRequest: (stream: IncomingRequestStream) => void | Promise<void>,
): Promise<Tunnel> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload: MAX_FRAME_BYTES });
  servers.push(server);
  await once(server, "listening");
  const relayControls: Message[] = [];
  const agentControls: Message[] = [];
  const relayReady = new Promise<RelayMux>((resolve) => {
    server.once("connection", (ws) => {
      const relay = createMux({
        side: "relay",
        socket: ws,
        onControl: (m) => relayControls.push(m),
      });
      wire(ws, relay);
      resolve(relay);
    });
  });
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: MAX_FRAME_BYTES });
  clients.push(client);
  const agent = createMux({
    side: "agent",
    socket: client,
    onControl: (m) => agentControls.push(m),
    onRequest,
  });
  wire(client, agent);
  await once(client, "open");
  return { relay: await relayReady, agent, client, relayControls, agentControls };
}

describe("mux over ws", () => {
  it("handshakes and runs 20 concurrent streams byte-exact", async () => {
    const tunnel = await connect(echo);
    tunnel.agent.sendControl(SAMPLES.helloOpen);
    const sizes = [0, 1, 65_536, 65_537, ...Array.from({ length: 16 }, (_, i) => i * 61_001)];
    const bodies = sizes.map((size) => randomBytes(size));
    const streams = bodies.map((body) => tunnel.relay.openRequest(requestHead(), bodyOf(body)));
    const echoed = await Promise.all(
      streams.map(async (stream) => readAll((await stream.response).body)),
    );
    for (const [i, got] of echoed.entries()) {
      expect(Buffer.compare(got, bodies[i] as Buffer)).toBe(0);
    }
    await Promise.all(streams.map((s) => s.done));
    expect(tunnel.relayControls.map((m) => m.type)).toEqual(["hello"]);
    expect(tunnel.relay.openStreams).toBe(0);
  });

  it("streams 16 MB through a slow reader with a window's worth buffered at most", async () => {
    const tunnel = await connect(echo);
    const body = randomBytes(16 * 1024 * 1024);
    const stream = tunnel.relay.openRequest(requestHead(), bodyOf(body, 64 * 1024));
    const res = await stream.response;
    const chunks: Buffer[] = [];
    let maxBuffered = 0;
    for await (const chunk of res.body) {
      chunks.push(chunk as Buffer);
      maxBuffered = Math.max(maxBuffered, tunnel.relay.bufferedBytes, tunnel.agent.bufferedBytes);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(Buffer.compare(Buffer.concat(chunks), body)).toBe(0);
    expect(maxBuffered).toBeLessThanOrEqual(INITIAL_WINDOW_BYTES);
    await stream.done;
  });

  it("a reset from the agent mid-body reaches the relay with its code", async () => {
    const tunnel = await connect((s) => {
      s.body.once("data", () => s.reset("upstream_timeout", "the app took too long"));
    });
    const source = new PassThrough();
    const stream = tunnel.relay.openRequest(requestHead(), source);
    source.write(randomBytes(10_000));
    const error = await rejectionOf(stream.response);
    expect(error).toBeInstanceOf(StreamResetError);
    expect(error).toMatchObject({ code: "upstream_timeout", remote: true });
    expect(source.destroyed).toBe(false);
  });

  it("a malformed frame: error sent, socket closed 1002, streams failed on both ends", async () => {
    let agentStream: IncomingRequestStream | undefined;
    const tunnel = await connect((s) => {
      agentStream = s;
    });
    const stream = tunnel.relay.openRequest(requestHead(), new PassThrough());
    await until(() => agentStream !== undefined);
    const closed = once(tunnel.client, "close");
    tunnel.client.send("{garbage");
    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(1002);
    expect(reason.toString()).toBe("bad_message");
    expect(await rejectionOf(stream.response)).toMatchObject({ code: "bad_message" });
    expect(tunnel.agentControls).toEqual([
      expect.objectContaining({ type: "error", code: "bad_message" }),
    ]);
    expect(await rejectionOf(agentStream?.done ?? Promise.resolve())).toBeInstanceOf(
      ConnectionClosedError,
    );
  });

  it("a dropped connection fails the open streams", async () => {
    const tunnel = await connect(() => {});
    const stream = tunnel.relay.openRequest(requestHead(), Readable.from([Buffer.from("x")]));
    tunnel.client.terminate();
    expect(await rejectionOf(stream.response)).toBeInstanceOf(ConnectionClosedError);
    expect(tunnel.relay.closed).toBe(true);
  });
});
