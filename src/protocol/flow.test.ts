import { describe, expect, it } from "vitest";
import { ProtocolError } from "./errors.js";
import { CreditWindow, ReceiveWindow } from "./flow.js";
import { INITIAL_WINDOW_BYTES, MAX_WINDOW_BYTES } from "./limits.js";

/** Whether a promise has settled, checked after pending microtasks ran. */
async function stateOf(promise: Promise<unknown>): Promise<"pending" | "resolved" | "rejected"> {
  let state: "pending" | "resolved" | "rejected" = "pending";
  promise.then(
    () => {
      state = "resolved";
    },
    () => {
      state = "rejected";
    },
  );
  await new Promise<void>((resolve) => setImmediate(resolve));
  return state;
}

describe("CreditWindow", () => {
  it("starts with INITIAL_WINDOW_BYTES of credit", () => {
    expect(INITIAL_WINDOW_BYTES).toBe(256 * 1024);
    expect(new CreditWindow().available).toBe(INITIAL_WINDOW_BYTES);
  });

  it("consume spends credit and throws flow_control beyond it, spending nothing", () => {
    const window = new CreditWindow(100);
    window.consume(60);
    expect(window.available).toBe(40);
    expect(() => window.consume(41)).toThrow(
      expect.objectContaining({ name: "ProtocolError", code: "flow_control" }),
    );
    expect(window.available).toBe(40);
    window.consume(40);
    expect(window.available).toBe(0);
    window.consume(0);
  });

  it("take spends up to what is there", () => {
    const window = new CreditWindow(10);
    expect(window.take(4)).toBe(4);
    expect(window.take(100)).toBe(6);
    expect(window.take(100)).toBe(0);
  });

  it("whenAvailable resolves at once with credit, and waits for a grant without", async () => {
    const window = new CreditWindow(1);
    expect(await stateOf(window.whenAvailable())).toBe("resolved");
    window.consume(1);
    const first = window.whenAvailable();
    const second = window.whenAvailable();
    expect(await stateOf(first)).toBe("pending");
    window.grant(5);
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    expect(window.available).toBe(5);
  });

  it("drives a sender through a body larger than its credit", async () => {
    const window = new CreditWindow(8);
    const sent: number[] = [];
    let remaining = 30;
    const sender = (async () => {
      while (remaining > 0) {
        await window.whenAvailable();
        const n = window.take(Math.min(remaining, 5));
        sent.push(n);
        remaining -= n;
      }
    })();
    let grants = 0;
    while ((await stateOf(sender)) === "pending") {
      // The sender only ever waits when it has no credit left.
      expect(window.available).toBe(0);
      window.grant(7);
      grants++;
    }
    await sender;
    expect(grants).toBe(4);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...sent)).toBeLessThanOrEqual(5);
  });

  it("close rejects waiters and later calls with the given error", async () => {
    const window = new CreditWindow(0);
    const waiting = window.whenAvailable();
    const reason = new Error("stream reset by peer");
    window.close(reason);
    await expect(waiting).rejects.toBe(reason);
    await expect(window.whenAvailable()).rejects.toBe(reason);
    expect(window.closed).toBe(true);
    expect(() => window.consume(0)).toThrow(expect.objectContaining({ code: "closed" }));
  });

  it("close without an error rejects with ProtocolError closed; grants after close are ignored", async () => {
    const window = new CreditWindow(0);
    const waiting = window.whenAvailable();
    window.close();
    await expect(waiting).rejects.toBeInstanceOf(ProtocolError);
    await expect(waiting).rejects.toMatchObject({ code: "closed" });
    window.grant(10);
    expect(window.available).toBe(0);
    window.close(new Error("second close is ignored"));
    await expect(window.whenAvailable()).rejects.toMatchObject({ code: "closed" });
  });

  it("refuses a grant past MAX_WINDOW_BYTES and bad amounts", () => {
    const window = new CreditWindow(MAX_WINDOW_BYTES - 1);
    window.grant(1);
    expect(() => window.grant(1)).toThrow(expect.objectContaining({ code: "flow_control" }));
    expect(window.available).toBe(MAX_WINDOW_BYTES);
    expect(() => window.grant(0)).toThrow(RangeError);
    expect(() => window.consume(-1)).toThrow(RangeError);
    expect(() => window.consume(1.5)).toThrow(RangeError);
    expect(() => new CreditWindow(-1)).toThrow(RangeError);
  });
});

describe("ReceiveWindow", () => {
  it("throws flow_control when the peer sends past its credit", () => {
    const window = new ReceiveWindow(100);
    window.receive(100);
    expect(window.credit).toBe(0);
    expect(() => window.receive(1)).toThrow(expect.objectContaining({ code: "flow_control" }));
    window.receive(0);
  });

  it("grants what was drained once half the window is drained", () => {
    const window = new ReceiveWindow(100);
    window.receive(80);
    expect(window.drain(30)).toBe(0);
    expect(window.drain(19)).toBe(0);
    expect(window.buffered).toBe(31);
    expect(window.drain(1)).toBe(50);
    expect(window.credit).toBe(70);
    expect(window.drain(30)).toBe(0);
    expect(window.buffered).toBe(0);
  });

  it("keeps buffered + in-flight credit within the window over a long transfer", () => {
    const size = INITIAL_WINDOW_BYTES;
    const receiver = new ReceiveWindow(size);
    const sender = new CreditWindow(size);
    let delivered = 0;
    const total = 100 * 1024 * 1024;
    let sentTotal = 0;
    while (delivered < total) {
      const n = sender.take(Math.min(64 * 1024, total - sentTotal));
      sentTotal += n;
      receiver.receive(n);
      expect(receiver.buffered + receiver.credit).toBeLessThanOrEqual(size);
      const grant = receiver.drain(receiver.buffered);
      delivered += n;
      if (grant > 0) sender.grant(grant);
      expect(n > 0 || grant > 0 || sender.available > 0).toBe(true);
    }
    expect(delivered).toBe(total);
  });

  it("refuses to drain more than was received", () => {
    const window = new ReceiveWindow(10);
    window.receive(3);
    expect(() => window.drain(4)).toThrow(RangeError);
  });
});
