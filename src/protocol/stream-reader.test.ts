import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { INITIAL_WINDOW_BYTES, MAX_DATA_PAYLOAD_BYTES } from "./limits.js";
import { settle } from "./mux-harness.case.js";
import { BodyReader } from "./stream-reader.js";

const FRAME = MAX_DATA_PAYLOAD_BYTES;
const HALF = INITIAL_WINDOW_BYTES / 2;

function reader() {
  const grants: number[] = [];
  const errors: Error[] = [];
  const body = new BodyReader({
    grant: (bytes) => grants.push(bytes),
    onError: (error) => errors.push(error),
  });
  const total = () => grants.reduce((a, b) => a + b, 0);
  return { body, grants, errors, total };
}

/** Delivers a full window in frames. */
function fill(body: BodyReader, end = false): void {
  for (let i = 0; i < INITIAL_WINDOW_BYTES / FRAME; i++) {
    body.deliver(new Uint8Array(FRAME).fill(i), end && i === INITIAL_WINDOW_BYTES / FRAME - 1);
  }
}

describe("BodyReader", () => {
  it("grants nothing until read, then what was read once half a window is drained", async () => {
    const { body, grants } = reader();
    fill(body);
    await settle();
    expect(grants).toEqual([]);
    expect(body.bufferedBytes).toBe(INITIAL_WINDOW_BYTES);
    body.read(HALF - 1);
    expect(grants).toEqual([]);
    body.read(1);
    expect(grants).toEqual([HALF]);
    expect(body.bufferedBytes).toBe(HALF);
  });

  it("grants as a flowing consumer takes the bytes", async () => {
    const { body, total } = reader();
    let seen = 0;
    body.on("data", (chunk: Buffer) => {
      seen += chunk.byteLength;
    });
    fill(body);
    await settle();
    expect(seen).toBe(INITIAL_WINDOW_BYTES);
    expect(total()).toBe(INITIAL_WINDOW_BYTES);
  });

  it("through pipeline, grants only what a slow destination took", async () => {
    const { body, total } = reader();
    const pending: (() => void)[] = [];
    let written = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.byteLength;
        pending.push(callback);
      },
    });
    const done = pipeline(body, slow);
    fill(body);
    await settle();
    // One chunk taken by the destination, which has not finished writing it.
    expect(written).toBe(FRAME);
    expect(total()).toBe(0);
    for (let i = 0; i < 3; i++) {
      pending.shift()?.();
      await settle();
    }
    expect(written).toBe(INITIAL_WINDOW_BYTES);
    expect(total()).toBeGreaterThanOrEqual(HALF);
    body.deliver(new Uint8Array(0), true);
    while (pending.length > 0) {
      pending.shift()?.();
      await settle();
    }
    await done;
  });

  it("async iteration consumes and grants", async () => {
    const { body, total } = reader();
    fill(body);
    let seen = 0;
    for await (const chunk of body) {
      seen += (chunk as Buffer).byteLength;
      if (seen === INITIAL_WINDOW_BYTES) break;
    }
    expect(total()).toBe(INITIAL_WINDOW_BYTES);
  });

  it("sends no grant after the peer's END", async () => {
    const { body, grants } = reader();
    fill(body, true);
    body.resume();
    await new Promise((resolve) => body.once("end", resolve));
    expect(grants).toEqual([]);
  });

  it("throws flow_control beyond the credit, taking nothing", () => {
    const { body } = reader();
    fill(body);
    expect(() => body.deliver(new Uint8Array(1), false)).toThrow(
      expect.objectContaining({ name: "ProtocolError", code: "flow_control" }),
    );
    expect(body.readableLength).toBe(INITIAL_WINDOW_BYTES);
  });

  it("destroyed without an error, it discards the rest and keeps granting", () => {
    const { body, total, errors } = reader();
    fill(body);
    body.destroy();
    expect(total()).toBe(INITIAL_WINDOW_BYTES);
    fill(body);
    expect(total()).toBe(2 * INITIAL_WINDOW_BYTES);
    expect(errors).toEqual([]);
  });

  it("destroyed with an error, it reports it; 'error' reaches listeners only", async () => {
    const { body, errors } = reader();
    const boom = new Error("boom");
    body.destroy(boom);
    expect(errors).toEqual([boom]);
    await new Promise((resolve) => body.once("close", resolve));
    expect(body.errored).toBe(boom);

    const heard = reader();
    const seen = new Promise((resolve) => heard.body.once("error", resolve));
    heard.body.destroy(boom);
    expect(await seen).toBe(boom);
  });
});
