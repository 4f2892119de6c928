import { describe, expect, it } from "vitest";
import { decodeFrame } from "./codec.js";
import { decodeData, encodeData } from "./data-frame.js";
import { ProtocolError, type ProtocolErrorCode } from "./errors.js";
import { DATA_FRAME_HEADER_BYTES, MAX_DATA_PAYLOAD_BYTES, MAX_STREAM_ID } from "./limits.js";
import type { DataFrame } from "./messages.js";

function codeOf(fn: () => unknown): ProtocolErrorCode {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).code;
  }
  throw new Error("expected a ProtocolError, nothing was thrown");
}

function bytesOf(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

describe("data frame round trip", () => {
  const payload = Uint8Array.from({ length: MAX_DATA_PAYLOAD_BYTES }, (_, i) => (i * 31) & 0xff);
  const frames: [string, DataFrame][] = [
    ["small payload", { stream: 1, end: false, payload: bytesOf(0, 1, 2, 0xff) }],
    ["empty payload with END", { stream: 9, end: true, payload: new Uint8Array(0) }],
    ["empty payload without END", { stream: 9, end: false, payload: new Uint8Array(0) }],
    ["max payload", { stream: 2, end: false, payload }],
    ["max stream id with END", { stream: MAX_STREAM_ID, end: true, payload: bytesOf(7) }],
  ];

  it.each(frames)("%s: decode(encode(f)) deep-equals f", (_name, frame) => {
    const bytes = encodeData(frame);
    expect(bytes.byteLength).toBe(DATA_FRAME_HEADER_BYTES + frame.payload.byteLength);
    expect(decodeData(bytes)).toStrictEqual(frame);
    expect(decodeFrame(bytes)).toStrictEqual({ kind: "data", ...frame });
  });

  it("lays the header out as u32 big-endian stream id then flags", () => {
    const bytes = encodeData({ stream: 0x01020304, end: true, payload: bytesOf(0xaa) });
    expect([...bytes]).toEqual([1, 2, 3, 4, 1, 0xaa]);
    expect([
      ...encodeData({ stream: MAX_STREAM_ID, end: false, payload: new Uint8Array(0) }),
    ]).toEqual([0xff, 0xff, 0xff, 0xff, 0]);
  });

  it("decodes from a view into a larger buffer and returns a view, not a copy", () => {
    const backing = bytesOf(9, 9, 0, 0, 0, 5, 1, 0x41, 0x42, 9);
    const view = backing.subarray(2, 9);
    const frame = decodeData(view);
    expect(frame).toStrictEqual({ stream: 5, end: true, payload: bytesOf(0x41, 0x42) });
    backing[7] = 0x5a;
    expect(frame.payload[0]).toBe(0x5a);
  });

  it("decodes a Node Buffer (what `ws` delivers)", () => {
    const buffer = Buffer.from([0, 0, 0, 3, 0, 104, 105]);
    const frame = decodeData(buffer);
    expect(frame.stream).toBe(3);
    expect(Buffer.from(frame.payload).toString()).toBe("hi");
  });
});

describe("data frame rejections", () => {
  it("truncated_frame: shorter than the header", () => {
    for (let length = 0; length < DATA_FRAME_HEADER_BYTES; length++) {
      expect(codeOf(() => decodeData(new Uint8Array(length)))).toBe("truncated_frame");
    }
  });

  it("frame_too_large: payload over MAX_DATA_PAYLOAD_BYTES, either way", () => {
    const big = new Uint8Array(DATA_FRAME_HEADER_BYTES + MAX_DATA_PAYLOAD_BYTES + 1);
    big[3] = 1;
    expect(codeOf(() => decodeData(big))).toBe("frame_too_large");
    const payload = new Uint8Array(MAX_DATA_PAYLOAD_BYTES + 1);
    expect(codeOf(() => encodeData({ stream: 1, end: false, payload }))).toBe("frame_too_large");
  });

  it("invalid_stream: stream id 0 on the wire, or out of range when encoding", () => {
    expect(codeOf(() => decodeData(bytesOf(0, 0, 0, 0, 0)))).toBe("invalid_stream");
    for (const stream of [0, -1, 1.5, MAX_STREAM_ID + 1, Number.NaN]) {
      expect(codeOf(() => encodeData({ stream, end: false, payload: new Uint8Array(0) }))).toBe(
        "invalid_stream",
      );
    }
  });

  it("invalid_flags: any reserved bit set", () => {
    for (let bit = 1; bit < 8; bit++) {
      expect(codeOf(() => decodeData(bytesOf(0, 0, 0, 1, 1 << bit)))).toBe("invalid_flags");
    }
    expect(codeOf(() => decodeData(bytesOf(0, 0, 0, 1, 0xff)))).toBe("invalid_flags");
  });

  it("invalid_frame: not a Uint8Array", () => {
    expect(codeOf(() => decodeData(new ArrayBuffer(6) as unknown as Uint8Array))).toBe(
      "invalid_frame",
    );
  });
});
