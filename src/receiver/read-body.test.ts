import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { BodyTooLargeError, discardBody, readBody } from "./read-body.js";

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("utf8");
}

describe("readBody", () => {
  it("reads a Node stream whole, chunks in order", async () => {
    const body = await readBody(Readable.from([Buffer.from("ab"), Buffer.from("cd")]), 4);
    expect(text(body)).toBe("abcd");
  });

  it("accepts string chunks and an empty stream", async () => {
    expect(text(await readBody(Readable.from(["é", "t"], { objectMode: true }), 10))).toBe("ét");
    expect((await readBody(Readable.from([]), 10)).byteLength).toBe(0);
  });

  it("fails with BodyTooLargeError one byte past the limit, carrying the numbers", async () => {
    const error = await readBody(Readable.from([Buffer.alloc(3), Buffer.alloc(2)]), 4).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ code: "body_too_large", limitBytes: 4, receivedBytes: 5 });
  });

  it("stops collecting a Node stream at the limit and drains the rest", async () => {
    let produced = 0;
    const stream = new Readable({
      read() {
        produced += 1;
        this.push(produced <= 100 ? Buffer.alloc(1024) : null);
      },
    });
    await expect(readBody(stream, 2048)).rejects.toBeInstanceOf(BodyTooLargeError);
    // Left flowing so the transport can still answer: it is read to the end and dropped.
    await finished(stream);
    expect(produced).toBe(101);
  });

  it("survives the peer hanging up after the limit was hit", async () => {
    let produced = 0;
    const stream = new Readable({
      read() {
        produced += 1;
        if (produced <= 3) this.push(Buffer.alloc(1024));
      },
    });
    await expect(readBody(stream, 2048)).rejects.toBeInstanceOf(BodyTooLargeError);
    const closed = new Promise((resolve) => stream.once("close", resolve));
    stream.destroy(new Error("aborted"));
    await closed;
    expect(stream.listenerCount("error")).toBeGreaterThan(0);
  });

  it("passes a stream error through", async () => {
    const stream = new Readable({
      read() {
        this.destroy(new Error("socket hang up"));
      },
    });
    await expect(readBody(stream, 10)).rejects.toThrow("socket hang up");
  });

  it("reads a web ReadableStream and cancels it past the limit", async () => {
    expect(text(await readBody(new Blob(["hello"]).stream(), 5))).toBe("hello");
    let cancelled = false;
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(readBody(stream, 4096)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(10);
  });

  it("closes any other async iterable past the limit", async () => {
    let closed = false;
    let yielded = 0;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          yielded += 1;
          yield new Uint8Array(10);
        }
      } finally {
        closed = true;
      }
    }
    await expect(readBody(chunks(), 25)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(closed).toBe(true);
    expect(yielded).toBe(3);
  });

  it.each([-1, 1.5, Number.NaN])("rejects a limit of %s", async (limit) => {
    await expect(readBody(Readable.from([]), limit)).rejects.toThrow(RangeError);
  });
});

describe("discardBody", () => {
  it("leaves a Node stream flowing: read to the end and dropped, never buffered", async () => {
    let produced = 0;
    const stream = new Readable({
      read() {
        produced += 1;
        this.push(produced <= 100 ? Buffer.alloc(1024) : null);
      },
    });
    discardBody(stream);
    await finished(stream);
    expect(produced).toBe(101);
    expect(stream.readableLength).toBe(0);
  });

  it("survives the peer hanging up while a Node stream is discarded", async () => {
    const stream = new Readable({ read() {} });
    discardBody(stream);
    const closed = new Promise((resolve) => stream.once("close", resolve));
    stream.destroy(new Error("aborted"));
    await closed;
    expect(stream.destroyed).toBe(true);
  });

  it("cancels a web ReadableStream without reading it", async () => {
    let pulled = false;
    const cancelled = new Promise<unknown>((resolve) => {
      const stream = new ReadableStream<Uint8Array>(
        {
          pull() {
            pulled = true;
          },
          cancel: resolve,
        },
        { highWaterMark: 0 },
      );
      discardBody(stream);
    });
    await cancelled;
    expect(pulled).toBe(false);
  });

  it("leaves a locked web ReadableStream to its reader, without an unhandled rejection", async () => {
    const stream = new Blob(["hello"]).stream();
    const reader = stream.getReader();
    discardBody(stream);
    expect(text((await reader.read()).value ?? new Uint8Array(0))).toBe("hello");
  });

  it("closes any other async iterator", async () => {
    let returned = false;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: new Uint8Array(1) }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    discardBody(source);
    await Promise.resolve();
    expect(returned).toBe(true);
  });
});
