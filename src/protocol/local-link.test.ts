/**
 * The in-process link: order, asynchrony (no re-entry into the sender), send callbacks, the
 * closing handshake both ways, terminate, heartbeats, late attach; then the mux over it, as
 * over a WebSocket.
 */
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { INITIAL_WINDOW_BYTES } from "./limits.js";
import type { LinkHandlers, LinkSocket } from "./link.js";
import { createLocalLinkPair } from "./local-link.js";
import type { Message } from "./messages.js";
import { createMux } from "./mux.js";
import { bodyOf, echo, readAll, rejectionOf, requestHead, until } from "./mux-harness.case.js";
import type { IncomingRequestStream } from "./mux-types.js";
import { SAMPLES } from "./samples.case.js";
import { ConnectionClosedError, StreamResetError } from "./stream-errors.js";

type Event =
  | { type: "message"; frame: string | Uint8Array }
  | { type: "heartbeat" }
  | { type: "close"; code: number; reason: string };

/** Records what an end is told; `handlers` can be overridden one by one. */
function recorder(link: LinkSocket, overrides: Partial<LinkHandlers> = {}): Event[] {
  const events: Event[] = [];
  link.attach({
    open: () => {
      throw new Error("a local link is open from the start");
    },
    message: (frame) => events.push({ type: "message", frame }),
    heartbeat: () => events.push({ type: "heartbeat" }),
    error: (error) => {
      throw error;
    },
    close: (code, reason) => events.push({ type: "close", code, reason }),
    ...overrides,
  });
  return events;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function sendAsync(link: LinkSocket, frame: string | Uint8Array): Promise<Error | undefined> {
  return new Promise((resolve) => link.send(frame, resolve));
}

const messages = (events: Event[]): (string | Uint8Array)[] =>
  events.flatMap((e) => (e.type === "message" ? [e.frame] : []));

describe("local link", () => {
  it("delivers text and bytes in order, the bytes by reference, across turns", async () => {
    const [a, b] = createLocalLinkPair();
    recorder(a);
    const events = recorder(b);
    const bytes = randomBytes(100);
    a.send("one", () => {});
    a.send(bytes, () => {});
    await turn();
    a.send("three", () => {});
    a.ping();
    a.send("four", () => {});
    await until(() => events.length === 5);
    expect(events).toEqual([
      { type: "message", frame: "one" },
      { type: "message", frame: bytes },
      { type: "message", frame: "three" },
      { type: "heartbeat" },
      { type: "message", frame: "four" },
    ]);
    expect(messages(events)[1]).toBe(bytes);
    expect([a.state, b.state, a.transport, b.transport]).toEqual([
      "open",
      "open",
      undefined,
      undefined,
    ]);
  });

  it("never re-enters the sender: nothing is delivered or called back inside send", async () => {
    const [a, b] = createLocalLinkPair();
    let inSend = false;
    const seenInSend: string[] = [];
    recorder(a);
    recorder(b, {
      message: () => {
        if (inSend) seenInSend.push("message");
      },
    });
    inSend = true;
    a.send("x", () => {
      if (inSend) seenInSend.push("callback");
    });
    a.ping();
    a.close(1000, "done");
    inSend = false;
    await until(() => b.state === "closed");
    expect(seenInSend).toEqual([]);
  });

  it("a frame sent while handling a message arrives in a later turn, not within the handler", async () => {
    const [a, b] = createLocalLinkPair();
    const log: string[] = [];
    recorder(a, {
      message: (frame) => {
        log.push(`a got ${String(frame)}`);
      },
    });
    recorder(b, {
      message: (frame) => {
        log.push(`b got ${String(frame)}`);
        b.send(`re:${String(frame)}`, () => {});
        log.push("b sent");
      },
    });
    a.send("1", () => {});
    a.send("2", () => {});
    await until(() => log.length === 6);
    expect(log).toEqual(["b got 1", "b sent", "b got 2", "b sent", "a got re:1", "a got re:2"]);
  });

  it("delivers the frames of one turn together: nothing queued later runs between them", async () => {
    const [a, b] = createLocalLinkPair();
    recorder(a);
    const log: string[] = [];
    recorder(b, { message: (frame) => log.push(String(frame)) });
    a.send("0", () => {});
    setImmediate(() => log.push("other work"));
    a.send("1", () => {});
    a.send("2", () => {});
    await until(() => log.length === 4);
    expect(log).toEqual(["0", "1", "2", "other work"]);
  });

  it("calls each send back without an error once its frame is out, in order", async () => {
    const [a, b] = createLocalLinkPair();
    recorder(a);
    const events = recorder(b);
    const order: string[] = [];
    const results = await Promise.all(
      ["a", "b", "c"].map(
        (frame) =>
          new Promise<Error | undefined>((resolve) =>
            a.send(frame, (error) => {
              order.push(`${frame}:${messages(events).length}`);
              resolve(error);
            }),
          ),
      ),
    );
    expect(results).toEqual([undefined, undefined, undefined]);
    // A callback fires as its frame is handed over, before the peer reads it.
    expect(order).toEqual(["a:0", "b:1", "c:2"]);
  });

  it("close: earlier frames arrive, the peer answers, both end with the code and reason", async () => {
    const [a, b] = createLocalLinkPair();
    const aEvents = recorder(a);
    const bEvents = recorder(b, {
      message: (frame) => {
        bEvents.push({ type: "message", frame });
        // Sent before b saw the close: it still reaches a, which is closing.
        b.send(`re:${String(frame)}`, () => {});
      },
    });
    a.send("last words", () => {});
    a.close(1008, "bad_token");
    expect(a.state).toBe("closing");
    const late = await sendAsync(a, "too late");
    expect(late).toBeInstanceOf(Error);
    expect(late?.message).toBe("the link is closing");
    await until(() => aEvents.some((e) => e.type === "close"));
    await until(() => bEvents.some((e) => e.type === "close"));
    expect(bEvents).toEqual([
      { type: "message", frame: "last words" },
      { type: "close", code: 1008, reason: "bad_token" },
    ]);
    expect(aEvents).toEqual([
      { type: "message", frame: "re:last words" },
      { type: "close", code: 1008, reason: "bad_token" },
    ]);
    expect([a.state, b.state]).toEqual(["closed", "closed"]);
    expect((await sendAsync(b, "after"))?.message).toBe("the link is closed");
  });

  it("close from the other end works the same; a second close and a ping after it do nothing", async () => {
    const [a, b] = createLocalLinkPair();
    const aEvents = recorder(a);
    const bEvents = recorder(b);
    b.close(1001, "shutting_down");
    b.close(1011, "internal_error");
    b.ping();
    await until(() => aEvents.length === 1 && bEvents.length === 1);
    await turn();
    expect(aEvents).toEqual([{ type: "close", code: 1001, reason: "shutting_down" }]);
    expect(bEvents).toEqual([{ type: "close", code: 1001, reason: "shutting_down" }]);
  });

  it("both ends closing at once: each ends once, with the other's code", async () => {
    const [a, b] = createLocalLinkPair();
    const aEvents = recorder(a);
    const bEvents = recorder(b);
    a.close(1001, "a");
    b.close(1002, "b");
    await until(() => aEvents.length === 1 && bEvents.length === 1);
    await turn();
    expect(aEvents).toEqual([{ type: "close", code: 1002, reason: "b" }]);
    expect(bEvents).toEqual([{ type: "close", code: 1001, reason: "a" }]);
  });

  it("terminate cuts both ends: queued frames dropped with errors, 1006 on both, never inside the call", async () => {
    const [a, b] = createLocalLinkPair();
    const aEvents = recorder(a);
    const bEvents = recorder(b);
    const queued = sendAsync(a, "never delivered");
    const queuedBack = sendAsync(b, "never delivered either");
    a.terminate();
    expect([a.state, b.state]).toEqual(["closed", "closed"]);
    expect(aEvents).toEqual([]);
    expect((await queued)?.message).toBe("the link was terminated");
    expect((await queuedBack)?.message).toBe("the link was terminated");
    await until(() => aEvents.length === 1 && bEvents.length === 1);
    expect(aEvents).toEqual([{ type: "close", code: 1006, reason: "" }]);
    expect(bEvents).toEqual([{ type: "close", code: 1006, reason: "" }]);
    a.terminate();
    b.terminate();
    b.close(1000, "");
    await turn();
    await turn();
    expect([aEvents.length, bEvents.length]).toEqual([1, 1]);
    expect((await sendAsync(a, "x"))?.message).toBe("the link is closed");
  });

  it("terminate during a closing handshake still ends both ends once, with 1006", async () => {
    const [a, b] = createLocalLinkPair();
    const aEvents = recorder(a);
    const bEvents = recorder(b);
    a.close(1000, "bye");
    b.terminate();
    await until(() => aEvents.length === 1 && bEvents.length === 1);
    await turn();
    expect(aEvents).toEqual([{ type: "close", code: 1006, reason: "" }]);
    expect(bEvents).toEqual([{ type: "close", code: 1006, reason: "" }]);
  });

  it("a ping is answered with a pong: a heartbeat on each end", async () => {
    const [a, b] = createLocalLinkPair();
    const aEvents = recorder(a);
    const bEvents = recorder(b);
    a.ping();
    await until(() => aEvents.length === 1);
    expect(bEvents).toEqual([{ type: "heartbeat" }]);
    expect(aEvents).toEqual([{ type: "heartbeat" }]);
  });

  it("an end without handlers keeps what arrives, and is told of a close, once attached", async () => {
    const [a, b] = createLocalLinkPair();
    recorder(a);
    a.send("early", () => {});
    a.close(1008, "endpoint_taken");
    for (let i = 0; i < 5; i++) await turn();
    expect(b.state).toBe("open");
    const events = recorder(b);
    await until(() => events.some((e) => e.type === "close"));
    expect(events).toEqual([
      { type: "message", frame: "early" },
      { type: "close", code: 1008, reason: "endpoint_taken" },
    ]);
  });

  it("refuses a second attach", () => {
    const [a] = createLocalLinkPair();
    recorder(a);
    expect(() => recorder(a)).toThrow("the link already has its handlers");
  });
});

/** A relay mux and an agent mux over a local link, wired as the session and connection do. */
function muxes(onRequest: (stream: IncomingRequestStream) => void) {
  const [agentEnd, relayEnd] = createLocalLinkPair();
  const relayControls: Message[] = [];
  const relay = createMux({
    side: "relay",
    socket: relayEnd,
    transport: relayEnd.transport,
    onControl: (m) => relayControls.push(m),
  });
  const agent = createMux({ side: "agent", socket: agentEnd, onControl: () => {}, onRequest });
  /** The close event each end got, as `side code reason`. */
  const closes: string[] = [];
  const wire = (side: string, link: LinkSocket, mux: typeof relay | typeof agent): void =>
    link.attach({
      open: () => {},
      message: (frame) => mux.receive(frame),
      heartbeat: () => {},
      error: () => {},
      close: (code, reason) => {
        closes.push(`${side} ${code} ${reason}`);
        mux.close();
      },
    });
  wire("relay", relayEnd, relay);
  wire("agent", agentEnd, agent);
  return { relay, agent, agentEnd, relayEnd, relayControls, closes };
}

describe("the mux over a local link", () => {
  it("runs 20 concurrent streams byte-exact, and a hello arrives as sent", async () => {
    const { relay, agent, relayControls } = muxes(echo);
    const hello = SAMPLES.helloOpen;
    agent.sendControl(hello);
    const sizes = [0, 1, 65_536, 65_537, ...Array.from({ length: 16 }, (_, i) => i * 61_001)];
    const bodies = sizes.map((size) => randomBytes(size));
    const streams = bodies.map((body) => relay.openRequest(requestHead(), bodyOf(body)));
    const echoed = await Promise.all(
      streams.map(async (stream) => readAll((await stream.response).body)),
    );
    for (const [i, got] of echoed.entries()) {
      expect(Buffer.compare(got, bodies[i] as Buffer)).toBe(0);
    }
    await Promise.all(streams.map((s) => s.done));
    expect(relayControls).toEqual([hello]);
    expect([relay.openStreams, agent.openStreams, relay.unflushedBytes]).toEqual([0, 0, 0]);
  });

  it("streams 16 MB through a slow reader with a window's worth buffered at most", async () => {
    const { relay, agent } = muxes(echo);
    const body = randomBytes(16 * 1024 * 1024);
    const stream = relay.openRequest(requestHead(), bodyOf(body, 64 * 1024));
    const res = await stream.response;
    const chunks: Buffer[] = [];
    let maxBuffered = 0;
    for await (const chunk of res.body) {
      chunks.push(chunk as Buffer);
      maxBuffered = Math.max(maxBuffered, relay.bufferedBytes, agent.bufferedBytes);
      await turn();
    }
    expect(Buffer.compare(Buffer.concat(chunks), body)).toBe(0);
    expect(maxBuffered).toBeLessThanOrEqual(INITIAL_WINDOW_BYTES);
    await stream.done;
  });

  it("a reset from the agent mid-body reaches the relay with its code", async () => {
    const { relay } = muxes((s) => {
      s.body.once("data", () => s.reset("upstream_timeout", "the app took too long"));
    });
    const source = new PassThrough();
    const stream = relay.openRequest(requestHead(), source);
    source.write(randomBytes(10_000));
    const error = await rejectionOf(stream.response);
    expect(error).toBeInstanceOf(StreamResetError);
    expect(error).toMatchObject({ code: "upstream_timeout", remote: true });
  });

  it("closeWithError: the error message, then the close code, reach the other end", async () => {
    let agentStream: IncomingRequestStream | undefined;
    const { relay, closes } = muxes((s) => {
      agentStream = s;
    });
    const stream = relay.openRequest(requestHead(), new PassThrough());
    await until(() => agentStream !== undefined);
    relay.closeWithError("bad_token", "the token is unknown or revoked");
    expect(await rejectionOf(stream.response)).toBeInstanceOf(ConnectionClosedError);
    expect(await rejectionOf(agentStream?.done ?? Promise.resolve())).toMatchObject({
      code: "bad_token",
      remote: true,
    });
    await until(() => closes.length === 2);
    expect(closes.sort()).toEqual(["agent 1008 bad_token", "relay 1008 bad_token"]);
  });

  it("terminate fails the open streams on both ends", async () => {
    let agentStream: IncomingRequestStream | undefined;
    const { relay, agent, agentEnd } = muxes((s) => {
      agentStream = s;
    });
    const stream = relay.openRequest(requestHead(), new PassThrough());
    await until(() => agentStream !== undefined);
    agentEnd.terminate();
    expect(await rejectionOf(stream.response)).toBeInstanceOf(ConnectionClosedError);
    expect(await rejectionOf(agentStream?.done ?? Promise.resolve())).toBeInstanceOf(
      ConnectionClosedError,
    );
    expect([relay.closed, agent.closed]).toEqual([true, true]);
  });
});
