import { randomBytes } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
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
import { StreamResetError } from "./stream-errors.js";

describe("mux resets", () => {
  it("a reset from the relay mid-body fails the agent's body with the code; others go on", async () => {
    const { onRequest, next } = agentStreams();
    const pair = createMuxPair({ onRequest });
    const source = new PassThrough();
    const victim = pair.relay.openRequest(requestHead(), source);
    const other = pair.relay.openRequest(requestHead(), bodyOf(randomBytes(400_000)));
    const agentVictim = await next();
    const agentOther = await next();
    echo(agentOther);
    source.write(randomBytes(1000));
    const firstChunk = new Promise((resolve) => agentVictim.body.once("data", resolve));
    await firstChunk;
    const bodyError = new Promise<unknown>((resolve) => agentVictim.body.on("error", resolve));
    victim.reset("aborted", "the public client went away");
    const error = await bodyError;
    expect(error).toBeInstanceOf(StreamResetError);
    expect(error).toMatchObject({ code: "aborted", remote: true });
    expect(agentVictim.aborted.aborted).toBe(true);
    expect(agentVictim.aborted.reason).toBe(error);
    expect(await rejectionOf(agentVictim.done)).toBe(error);
    expect(await rejectionOf(victim.response)).toMatchObject({ code: "aborted", remote: false });
    expect((await readAll((await other.response).body)).byteLength).toBe(400_000);
    await other.done;
    expect(source.listenerCount("data")).toBe(0);
    expect(source.destroyed).toBe(false);
  });

  it("aborts a signal asked for before the failure, once, with the error; a finished stream's never", async () => {
    const { onRequest, next } = agentStreams();
    const pair = createMuxPair({ onRequest });
    const victim = pair.relay.openRequest(requestHead(), new PassThrough());
    const clean = pair.relay.openRequest(requestHead(), null);
    const agentVictim = await next();
    const agentClean = await next();
    const signal = agentVictim.aborted;
    expect(signal.aborted).toBe(false);
    expect(agentVictim.aborted).toBe(signal);
    const reasons: unknown[] = [];
    signal.addEventListener("abort", () => reasons.push(signal.reason));
    victim.reset("aborted", "the public client went away");
    const error = await rejectionOf(agentVictim.done);
    expect(reasons).toEqual([error]);
    const cleanSignal = agentClean.aborted;
    echo(agentClean);
    (await clean.response).body.resume();
    await clean.done;
    await agentClean.done;
    expect(cleanSignal.aborted).toBe(false);
    expect(agentClean.aborted.aborted).toBe(false);
  });

  it("a reset from the agent mid-response fails the relay's body with the code; others go on", async () => {
    const { onRequest, next } = agentStreams();
    const pair = createMuxPair({ onRequest });
    const victim = pair.relay.openRequest(requestHead(), Readable.from([]));
    const other = pair.relay.openRequest(requestHead(), bodyOf(randomBytes(300_000)));
    const agentVictim = await next();
    echo(await next());
    const writer = agentVictim.respond(200, []);
    writer.write(randomBytes(5000));
    const res = await victim.response;
    await new Promise((resolve) => res.body.once("data", resolve));
    const bodyError = new Promise<unknown>((resolve) => res.body.on("error", resolve));
    agentVictim.reset("upstream_error", "the app closed the socket");
    expect(await bodyError).toMatchObject({
      name: "StreamResetError",
      code: "upstream_error",
      message: "the app closed the socket",
      remote: true,
    });
    expect(await rejectionOf(victim.done)).toBeInstanceOf(StreamResetError);
    expect(writer.destroyed).toBe(true);
    expect((await readAll((await other.response).body)).byteLength).toBe(300_000);
  });

  it("a reset before the response rejects the pending response", async () => {
    const pair = createMuxPair({
      onRequest: (stream) => stream.reset("upstream_unreachable", "connect ECONNREFUSED"),
    });
    const stream = pair.relay.openRequest(requestHead(), bodyOf(randomBytes(100)));
    const error = await rejectionOf(stream.response);
    expect(error).toBeInstanceOf(StreamResetError);
    expect(error).toMatchObject({ code: "upstream_unreachable", remote: true });
    expect(pair.relay.openStreams).toBe(0);
  });

  it("destroying the response writer with an error resets: its code, or upstream_error", async () => {
    const pair = createMuxPair({
      onRequest: (stream) => {
        stream.body.resume();
        const writer = stream.respond(200, []);
        writer.write("partial");
        const timeout = stream.head.target === "/timeout";
        writer.destroy(
          timeout ? new StreamResetError("upstream_timeout", "too slow") : new Error("EPIPE"),
        );
      },
    });
    const a = pair.relay.openRequest(requestHead("/timeout"), Readable.from([]));
    const b = pair.relay.openRequest(requestHead("/other"), Readable.from([]));
    expect(await rejectionOf(a.done)).toMatchObject({ code: "upstream_timeout" });
    expect(await rejectionOf(b.done)).toMatchObject({ code: "upstream_error", message: "EPIPE" });
  });

  it("a request body that errors or closes early resets the stream with aborted", async () => {
    const { onRequest, next } = agentStreams();
    const pair = createMuxPair({ onRequest });
    const source = new PassThrough();
    const stream = pair.relay.openRequest(requestHead(), source);
    const agentStream = await next();
    agentStream.body.on("error", () => {});
    source.write("half a body");
    source.destroy();
    await new Promise((resolve) => agentStream.aborted.addEventListener("abort", resolve));
    expect(agentStream.aborted.reason).toMatchObject({ code: "aborted", remote: true });
    expect(await rejectionOf(stream.done)).toMatchObject({ code: "aborted", remote: false });
  });

  it("never crashes on a reset when nobody listens for errors; errored is set", async () => {
    const { onRequest, next } = agentStreams();
    const pair = createMuxPair({ onRequest });
    const stream = pair.relay.openRequest(requestHead(), new PassThrough());
    const agentStream = await next();
    stream.reset("aborted", "gone");
    await new Promise((resolve) => agentStream.body.once("close", resolve));
    expect(agentStream.body.errored).toMatchObject({ code: "aborted" });
    const writer = agentStream.respond(200, []);
    expect(writer.destroyed).toBe(true);
    await settle();
  });

  it("reset and respond misuse: respond twice throws, reset after the end is a no-op", async () => {
    const pair = createMuxPair({
      onRequest: (stream) => {
        stream.body.resume();
        stream.respond(204, []).end();
        expect(() => stream.respond(200, [])).toThrow(/already has a response/);
        stream.done.then(() => stream.reset("aborted", "late"));
      },
    });
    const stream = pair.relay.openRequest(requestHead(), Readable.from([]));
    await stream.done;
    stream.reset("aborted", "late too");
    await settle();
    expect(pair.agentSocket.closedWith).toBeUndefined();
    expect((await stream.response).status).toBe(204);
  });

  it("a throwing or rejecting onRequest resets that stream with internal_error", async () => {
    const pair = createMuxPair({
      onRequest: (stream) => {
        if (stream.head.target === "/throw") throw new Error("boom");
        return Promise.reject(new Error("async boom"));
      },
    });
    const a = pair.relay.openRequest(requestHead("/throw"), Readable.from([]));
    const b = pair.relay.openRequest(requestHead("/reject"), Readable.from([]));
    expect(await rejectionOf(a.response)).toMatchObject({ code: "internal_error" });
    expect(await rejectionOf(b.response)).toMatchObject({ code: "internal_error" });
    expect(pair.relay.closed).toBe(false);
  });
});
