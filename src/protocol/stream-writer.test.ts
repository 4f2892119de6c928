import { describe, expect, it } from "vitest";
import { encodeData } from "./data-frame.js";
import { CreditWindow } from "./flow.js";
import { FrameSender } from "./frame-socket.js";
import { MAX_DATA_PAYLOAD_BYTES } from "./limits.js";
import { heldSocket, settle } from "./mux-harness.case.js";
import { BodyWriter } from "./stream-writer.js";

describe("BodyWriter", () => {
  it("spends credit frame by frame, waits for more, and flags the last frame END", async () => {
    const { socket, sent, flush } = heldSocket();
    const sender = new FrameSender(socket, 1024 * 1024, () => {});
    const credit = new CreditWindow(MAX_DATA_PAYLOAD_BYTES + 10);
    let ended = false;
    const writer = new BodyWriter({
      stream: 3,
      credit,
      sender,
      onEnd: () => {
        ended = true;
      },
      onDestroy: () => {},
    });
    writer.end(new Uint8Array(MAX_DATA_PAYLOAD_BYTES + 30).fill(1));
    await settle();
    expect(sent.map((f) => (f as Uint8Array).byteLength - 5)).toEqual([MAX_DATA_PAYLOAD_BYTES, 10]);
    expect(ended).toBe(false);
    credit.grant(100);
    await new Promise((resolve) => writer.once("finish", resolve));
    expect(sent.map((f) => (f as Uint8Array).byteLength - 5)).toEqual([
      MAX_DATA_PAYLOAD_BYTES,
      10,
      20,
    ]);
    expect(sent.at(-1)).toEqual(
      encodeData({ stream: 3, end: true, payload: new Uint8Array(20).fill(1) }),
    );
    expect(ended).toBe(true);
    while (sender.unflushedBytes > 0) flush();
  });

  it("reports its destruction with the error", () => {
    const { socket } = heldSocket();
    const destroyed: (Error | null)[] = [];
    const writer = new BodyWriter({
      stream: 1,
      credit: new CreditWindow(),
      sender: new FrameSender(socket, 10, () => {}),
      onEnd: () => {},
      onDestroy: (error) => destroyed.push(error),
    });
    const boom = new Error("boom");
    writer.destroy(boom);
    expect(destroyed).toEqual([boom]);
  });

  it("sends a frame held past the turn unflagged, and an empty END frame at a later end()", async () => {
    const { socket, sent, flush } = heldSocket();
    const sender = new FrameSender(socket, 1024 * 1024, () => {});
    const writer = new BodyWriter({
      stream: 5,
      credit: new CreditWindow(),
      sender,
      onEnd: () => {},
      onDestroy: () => {},
    });
    writer.write(new Uint8Array(7));
    await settle(2);
    // The turn ended without end(): the frame left as it was.
    expect(sent).toEqual([encodeData({ stream: 5, end: false, payload: new Uint8Array(7) })]);
    writer.end();
    await new Promise((resolve) => writer.once("finish", resolve));
    expect(sent.at(-1)).toEqual(encodeData({ stream: 5, end: true, payload: new Uint8Array(0) }));
    expect(sent).toHaveLength(2);
    while (sender.unflushedBytes > 0) flush();
  });

  it("drops a held frame when destroyed: nothing follows a reset", async () => {
    const { socket, sent } = heldSocket();
    const writer = new BodyWriter({
      stream: 5,
      credit: new CreditWindow(),
      sender: new FrameSender(socket, 1024 * 1024, () => {}),
      onEnd: () => {},
      onDestroy: () => {},
    });
    writer.on("error", () => {});
    writer.write(new Uint8Array(7));
    await Promise.resolve();
    writer.destroy(new Error("reset"));
    await settle(2);
    expect(sent).toEqual([]);
  });
});
