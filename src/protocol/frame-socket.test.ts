import { describe, expect, it } from "vitest";
import { closeCodeFor, FrameSender } from "./frame-socket.js";
import type { ErrorCode } from "./messages.js";
import { heldSocket, settle } from "./mux-harness.case.js";

describe("closeCodeFor", () => {
  it.each([
    ["bad_token", 1008],
    ["endpoint_taken", 1008],
    ["endpoint_forbidden", 1008],
    ["unsupported_protocol", 1002],
    ["bad_message", 1002],
    ["unexpected_message", 1002],
    ["heartbeat_timeout", 1001],
    ["shutting_down", 1001],
    ["replaced", 1001],
    ["internal_error", 1011],
  ] as [ErrorCode, number][])("%s → %i", (code, close) => {
    expect(closeCodeFor(code)).toBe(close);
  });
});

describe("FrameSender", () => {
  it("counts unflushed bytes and is writable below the mark only", async () => {
    const { socket, flush } = heldSocket();
    const sender = new FrameSender(socket, 10, () => {});
    sender.send(new Uint8Array(6));
    expect(sender.writable).toBe(true);
    sender.send(new Uint8Array(6));
    expect(sender.unflushedBytes).toBe(12);
    expect(sender.writable).toBe(false);
    let woken = false;
    const waiting = sender.whenWritable().then(() => {
      woken = true;
    });
    await settle();
    expect(woken).toBe(false);
    flush();
    await waiting;
    expect(sender.unflushedBytes).toBe(6);
  });

  it("reports a failed or refused send, and stops after close", async () => {
    const failures: Error[] = [];
    const { socket, flush } = heldSocket();
    const sender = new FrameSender(socket, 10, (error) => failures.push(error));
    sender.send("x");
    flush(new Error("reset by peer"));
    const throwing = new FrameSender(
      {
        send: () => {
          throw new Error("WebSocket is not open");
        },
        close: () => {},
      },
      10,
      (error) => failures.push(error),
    );
    throwing.send("x");
    expect(failures.map((e) => e.message)).toEqual(["reset by peer", "WebSocket is not open"]);
    expect(throwing.unflushedBytes).toBe(0);

    sender.send(new Uint8Array(20));
    const waiting = sender.whenWritable();
    const closed = new Error("closed");
    sender.close(closed);
    await expect(waiting).rejects.toBe(closed);
    expect(sender.send("y")).toBe(false);
  });

  it("corks the transport from a turn's first frame to the turn's end: one write per turn", async () => {
    const calls: string[] = [];
    const socket = {
      send: (frame: string | Uint8Array, callback: (error?: Error) => void) => {
        calls.push(`send ${typeof frame === "string" ? frame : frame.byteLength}`);
        callback();
      },
      close: () => {},
    };
    const transport = { cork: () => calls.push("cork"), uncork: () => calls.push("uncork") };
    const sender = new FrameSender(socket, 1024, () => {}, transport);
    sender.send("head");
    sender.send(new Uint8Array(3));
    await Promise.resolve();
    sender.send("end");
    expect(calls).toEqual(["cork", "send head", "send 3", "send end"]);
    await new Promise((resolve) => setImmediate(resolve));
    sender.send("next");
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([
      "cork",
      "send head",
      "send 3",
      "send end",
      "uncork",
      "cork",
      "send next",
      "uncork",
    ]);
  });
});
