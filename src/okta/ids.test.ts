import { describe, expect, it } from "vitest";
import {
  newEventHookId,
  newExternalSessionId,
  newGroupId,
  newOktaId,
  newRequestId,
  newUserId,
  newUuidV1,
  newUuidV4,
  type RandomBytes,
  randomAlphanumeric,
} from "./ids.js";

const UUID_V1 = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const REQUEST_ID = /^[A-Za-z0-9@-]{27}$/;

/** A deterministic byte source: a counter, so each call yields different bytes. */
function counterRandom(): RandomBytes {
  let next = 0;
  return (size) => Uint8Array.from({ length: size }, () => next++ % 256);
}

/** Decodes a request id the way the captures were decoded (see ids.ts). */
function requestIdBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll("@", "+").replaceAll("-", "/"), "base64");
}

describe("Okta object ids", () => {
  it.each([
    ["newUserId", newUserId, /^00u[A-Za-z0-9]{17}$/],
    ["newGroupId", newGroupId, /^00g[A-Za-z0-9]{17}$/],
    ["newEventHookId", newEventHookId, /^who[A-Za-z0-9]{17}$/],
  ])("%s is the prefix + 17 alphanumerics (20 chars)", (_name, generate, pattern) => {
    const ids = Array.from({ length: 200 }, () => generate());
    for (const id of ids) expect(id).toMatch(pattern);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("rejects a malformed prefix", () => {
    expect(() => newOktaId("00")).toThrow(TypeError);
    expect(() => newOktaId("00U")).toThrow(/prefix/);
  });

  it("is deterministic with an injected random source", () => {
    expect(newUserId({ random: counterRandom() })).toBe(newUserId({ random: counterRandom() }));
  });

  it("maps bytes to all 62 characters and skips biased bytes", () => {
    const chars = randomAlphanumeric(62, { random: counterRandom() });
    expect(new Set(chars).size).toBe(62);
    expect(randomAlphanumeric(3, { random: () => Uint8Array.of(250, 0, 251, 1, 2) })).toBe("ABC");
  });

  it("fails instead of spinning on a source with no usable bytes", () => {
    expect(() => randomAlphanumeric(5, { random: (n) => new Uint8Array(n).fill(255) })).toThrow(
      RangeError,
    );
  });

  it("makes 25-character external session ids starting with 102", () => {
    expect(newExternalSessionId()).toMatch(/^102[A-Za-z0-9]{22}$/);
  });
});

describe("newRequestId", () => {
  it("is 27 characters of Okta's alphabet", () => {
    for (let i = 0; i < 200; i++) expect(newRequestId()).toMatch(REQUEST_ID);
  });

  it("encodes the epoch second in its first 4 bytes, like the captures", () => {
    const now = Date.parse("2024-08-22T15:07:23.500Z");
    const id = newRequestId({ now });
    expect(id.slice(0, 4)).toBe("ZsdU"); // as in the capture ZsdUK1z4mJ3fWq2y8bHcZgAAA6o
    expect(requestIdBytes(id).readUInt32BE(0)).toBe(Math.floor(now / 1000));
  });

  it("ends with a small counter (top bytes zero), like the captures", () => {
    const bytes = requestIdBytes(newRequestId({ random: () => new Uint8Array(12).fill(0xff) }));
    expect(bytes).toHaveLength(20);
    expect(bytes.readUInt32BE(16)).toBeLessThan(4096);
  });
});

describe("UUIDs", () => {
  it("newUuidV1 has version 1 and the RFC variant", () => {
    for (let i = 0; i < 200; i++) expect(newUuidV1()).toMatch(UUID_V1);
  });

  it("newUuidV1 encodes the injected time (100-ns ticks since 1582-10-15)", () => {
    const now = Date.parse("2023-03-26T21:05:32.159Z");
    const [low, mid, high] = newUuidV1({ now }).split("-") as [string, string, string];
    const ticks =
      (BigInt(`0x${high.slice(1)}`) << 48n) | (BigInt(`0x${mid}`) << 32n) | BigInt(`0x${low}`);
    const ms = Number(ticks / 10_000n - 12_219_292_800_000n);
    expect(ms).toBe(now);
  });

  it("newUuidV1 sorts like the DOC sample for the same instant", () => {
    // DOC sample: f1d0b993-cc19-11ed-… published 2023-03-26T21:05:32.159Z
    const uuid = newUuidV1({ now: Date.parse("2023-03-26T21:05:32.159Z") });
    expect(uuid.slice(9, 18)).toBe("cc19-11ed");
  });

  it("newUuidV1 sets the multicast bit of its random node", () => {
    const node = newUuidV1({ random: (n) => new Uint8Array(n) }).split("-")[4] ?? "";
    expect(Number.parseInt(node.slice(0, 2), 16) & 1).toBe(1);
  });

  it("newUuidV4 is a random v4 UUID, with or without an injected source", () => {
    expect(newUuidV4()).toMatch(UUID_V4);
    expect(newUuidV4({ random: counterRandom() })).toMatch(UUID_V4);
    expect(newUuidV4({ random: counterRandom() })).toBe(newUuidV4({ random: counterRandom() }));
    expect(newUuidV4()).not.toBe(newUuidV4());
  });
});
