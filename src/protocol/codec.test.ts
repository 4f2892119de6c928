import { describe, expect, it } from "vitest";
import {
  decodeAgentMessage,
  decodeFrame,
  decodeMessage,
  decodeRelayMessage,
  encodeMessage,
} from "./codec.js";
import { errorMessageFor } from "./errors.js";
import { MAX_CONTROL_FRAME_BYTES } from "./limits.js";
import type { Message } from "./messages.js";
import {
  decodeJson,
  mutate,
  protocolErrorOf,
  SAMPLE_ENTRIES,
  SAMPLES,
  sampleJson,
} from "./samples.case.js";

describe("encodeMessage / decodeMessage round trip", () => {
  it.each(SAMPLE_ENTRIES)("%s: decode(encode(m)) deep-equals m", (_name, message) => {
    const text = encodeMessage(message);
    expect(typeof text).toBe("string");
    expect(decodeMessage(text)).toStrictEqual(message);
  });

  it("covers every message type", () => {
    const types = new Set(SAMPLE_ENTRIES.map(([, m]) => m.type));
    expect([...types].sort()).toEqual(
      [
        "edge",
        "error",
        "hello",
        "policy",
        "request",
        "reset",
        "response",
        "welcome",
        "window",
      ].sort(),
    );
  });

  it("keeps raw header case, order and repeats", () => {
    const decoded = decodeMessage(encodeMessage(SAMPLES.requestLive));
    expect(decoded.type === "request" && decoded.rawHeaders).toEqual([
      ["Host", "relay.example"],
      ["Content-Type", "application/json"],
      ["X-Dup", "a"],
      ["x-dup", "b"],
      ["Authorization", "Bearer s3cr3t"],
    ]);
  });

  it("drops unknown fields, at the top and nested", () => {
    const json: Record<string, unknown> = { ...sampleJson("hello"), future: { deep: [[[1]]] } };
    (json.client as Record<string, unknown>).os = "linux";
    expect(decodeJson(json)).toStrictEqual(SAMPLES.hello);
  });

  it("ignores a deeply nested unknown field without blowing the stack", () => {
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    const text = `{"type":"window","stream":1,"bytes":1,"junk":${deep}}`;
    expect(decodeMessage(text)).toEqual({ type: "window", stream: 1, bytes: 1 });
  });

  it("turns -0 into 0", () => {
    const decoded = decodeMessage(
      '{"type":"request","stream":1,"method":"GET","target":"/","httpVersion":"1.1","rawHeaders":[],"remoteAddress":"","scheme":"http","receivedAt":-0,"origin":"live"}',
    );
    expect(Object.is(decoded.type === "request" && decoded.receivedAt, 0)).toBe(true);
  });

  it("refuses to encode what the peer would refuse", () => {
    const bad = { ...SAMPLES.response, status: 1000 } as Message;
    expect(protocolErrorOf(() => encodeMessage(bad)).code).toBe("invalid_message");
  });
});

describe("direction", () => {
  it("decodeAgentMessage accepts what agents send and refuses relay-only types", () => {
    for (const name of ["hello", "response", "window", "reset", "policy", "error"] as const) {
      expect(decodeAgentMessage(encodeMessage(SAMPLES[name]))).toStrictEqual(SAMPLES[name]);
    }
    for (const name of ["welcome", "requestLive", "edgeQueued"] as const) {
      const error = protocolErrorOf(() => decodeAgentMessage(encodeMessage(SAMPLES[name])));
      expect(error.code).toBe("wrong_direction");
    }
  });

  it("decodeRelayMessage accepts what relays send and refuses agent-only types", () => {
    for (const name of [
      "welcome",
      "requestQueued",
      "window",
      "reset",
      "edgeChallenge",
      "error",
    ] as const) {
      expect(decodeRelayMessage(encodeMessage(SAMPLES[name]))).toStrictEqual(SAMPLES[name]);
    }
    for (const name of ["hello", "response", "policy"] as const) {
      const error = protocolErrorOf(() => decodeRelayMessage(encodeMessage(SAMPLES[name])));
      expect(error.code).toBe("wrong_direction");
    }
  });

  it("checks the direction before the fields", () => {
    const error = protocolErrorOf(() => decodeAgentMessage('{"type":"welcome"}'));
    expect(error.code).toBe("wrong_direction");
  });
});

describe("control frame size", () => {
  /** A valid window message padded with an unknown field to exactly `bytes` UTF-8 bytes. */
  function paddedTo(bytes: number, unit: string, unitBytes: number): string {
    const head = '{"type":"window","stream":1,"bytes":1,"pad":"';
    const tail = '"}';
    const room = bytes - head.length - tail.length;
    return head + unit.repeat(Math.floor(room / unitBytes)) + "a".repeat(room % unitBytes) + tail;
  }

  it("accepts a frame of exactly MAX_CONTROL_FRAME_BYTES and refuses one byte more", () => {
    expect(decodeMessage(paddedTo(MAX_CONTROL_FRAME_BYTES, "a", 1)).type).toBe("window");
    const error = protocolErrorOf(() =>
      decodeMessage(paddedTo(MAX_CONTROL_FRAME_BYTES + 1, "a", 1)),
    );
    expect(error.code).toBe("frame_too_large");
  });

  it("counts UTF-8 bytes, not characters", () => {
    expect(decodeMessage(paddedTo(MAX_CONTROL_FRAME_BYTES, "\u00e9", 2)).type).toBe("window");
    expect(decodeMessage(paddedTo(MAX_CONTROL_FRAME_BYTES, "\u{1F600}", 4)).type).toBe("window");
    for (const [unit, size] of [
      ["\u00e9", 2],
      ["\u20ac", 3],
      ["\u{1F600}", 4],
    ] as const) {
      const error = protocolErrorOf(() =>
        decodeMessage(paddedTo(MAX_CONTROL_FRAME_BYTES + 1, unit, size)),
      );
      expect(error.code).toBe("frame_too_large");
    }
  });

  it("refuses to encode a message over the limit", () => {
    const message = { ...SAMPLES.reset, message: "x".repeat(MAX_CONTROL_FRAME_BYTES) };
    expect(protocolErrorOf(() => encodeMessage(message)).code).toBe("frame_too_large");
  });
});

describe("decodeFrame", () => {
  it("decodes a string as a control frame", () => {
    expect(decodeFrame(encodeMessage(SAMPLES.window))).toStrictEqual({
      kind: "control",
      message: SAMPLES.window,
    });
  });

  it("refuses anything but a string or a Uint8Array", () => {
    for (const data of [new ArrayBuffer(8), 42, null, undefined, [1, 2]]) {
      const error = protocolErrorOf(() => decodeFrame(data as unknown as string));
      expect(error.code).toBe("invalid_frame");
    }
  });
});

describe("errorMessageFor", () => {
  it("maps a version mismatch to unsupported_protocol and the rest to bad_message", () => {
    const version = protocolErrorOf(() => decodeJson(mutate("hello", "protocol", 2)));
    expect(errorMessageFor(version)).toEqual({
      type: "error",
      code: "unsupported_protocol",
      message: version.message,
    });
    const other = protocolErrorOf(() => decodeMessage("{"));
    expect(errorMessageFor(other).code).toBe("bad_message");
    expect(decodeMessage(encodeMessage(errorMessageFor(other)))).toEqual(errorMessageFor(other));
  });
});
