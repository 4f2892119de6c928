import { describe, expect, it } from "vitest";
import { createBodyCapture, DEFAULT_CAPTURE_BODY_LIMIT_BYTES } from "./body-capture.js";
import { CaptureError } from "./errors.js";

const bytes = (...values: number[]) => new Uint8Array(values);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof CaptureError ? error.code : "not a CaptureError";
  }
  return undefined;
}

describe("createBodyCapture", () => {
  it("keeps a body under the limit whole", () => {
    const capture = createBodyCapture(10);
    capture.write(bytes(1, 2, 3));
    capture.write(bytes(4));
    expect(capture.finish()).toEqual({ bytes: bytes(1, 2, 3, 4), size: 4, truncated: false });
  });

  it("keeps a body of exactly the limit whole", () => {
    const capture = createBodyCapture(4);
    capture.write(bytes(1, 2));
    capture.write(bytes(3, 4));
    expect(capture.finish()).toEqual({ bytes: bytes(1, 2, 3, 4), size: 4, truncated: false });
  });

  it("cuts across a chunk boundary and counts everything", () => {
    const capture = createBodyCapture(3);
    capture.write(bytes(1, 2));
    capture.write(bytes(3, 4, 5));
    expect(capture.truncated).toBe(true);
    capture.write(bytes(6));
    expect(capture.size).toBe(6);
    expect(capture.finish()).toEqual({ bytes: bytes(1, 2, 3), size: 6, truncated: true });
  });

  it("keeps sizes only with a limit of 0, and an empty body is empty", () => {
    const sizes = createBodyCapture(0);
    sizes.write(bytes(1, 2));
    expect(sizes.finish()).toEqual({ bytes: bytes(), size: 2, truncated: true });
    expect(createBodyCapture().finish()).toEqual({ bytes: bytes(), size: 0, truncated: false });
  });

  it("copies chunks, so the caller may reuse its buffer", () => {
    const capture = createBodyCapture(10);
    const chunk = Buffer.from([1, 2]);
    capture.write(chunk);
    chunk[0] = 9;
    capture.write(chunk);
    const result = capture.finish();
    expect(result.bytes).toEqual(bytes(1, 2, 9, 2));
    expect(Object.getPrototypeOf(result.bytes)).toBe(Uint8Array.prototype);
  });

  it("tees a 100 MB stream holding only the 10 MiB default", () => {
    const capture = createBodyCapture();
    const chunk = new Uint8Array(1024 * 1024).fill(7);
    for (let i = 0; i < 100; i++) capture.write(chunk);
    const result = capture.finish();
    expect(result.size).toBe(100 * 1024 * 1024);
    expect(result.bytes.byteLength).toBe(DEFAULT_CAPTURE_BODY_LIMIT_BYTES);
    expect(result.truncated).toBe(true);
  });

  it("finish is idempotent; write after it throws closed", () => {
    const capture = createBodyCapture();
    capture.write(bytes(1));
    const first = capture.finish();
    expect(capture.finish()).toBe(first);
    expect(codeOf(() => capture.write(bytes(2)))).toBe("closed");
  });

  it("refuses a chunk that is not bytes, and a bad limit (invalid_argument)", () => {
    const capture = createBodyCapture();
    expect(codeOf(() => capture.write("text" as unknown as Uint8Array))).toBe("invalid_argument");
    expect(codeOf(() => createBodyCapture(-1))).toBe("invalid_argument");
    expect(codeOf(() => createBodyCapture(1.5))).toBe("invalid_argument");
  });
});
