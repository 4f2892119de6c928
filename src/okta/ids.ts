/**
 * Generators for the identifiers Okta puts in events, deliveries and API objects, in Okta's
 * observed formats (shared spec §1.4, §2.2, §5.2). Every generator takes an optional random
 * source (and clock, where time is encoded) so tests can be deterministic.
 */
import { randomBytes, randomUUID } from "node:crypto";

/** A source of random bytes; the default is `node:crypto`'s `randomBytes`. */
export type RandomBytes = (size: number) => Uint8Array;

/** Options every id generator accepts. */
export interface IdOptions {
  /** Random source, for deterministic tests. @default crypto.randomBytes */
  random?: RandomBytes;
}

/** Options of the generators that encode a time. */
export interface TimedIdOptions extends IdOptions {
  /** Time to encode, in epoch milliseconds. @default Date.now() */
  now?: number;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Milliseconds between the Gregorian reform (1582-10-15), UUID v1's epoch, and the Unix epoch. */
const GREGORIAN_OFFSET_MS = 12_219_292_800_000n;
const OKTA_ID_BODY_LENGTH = 17;

const defaultRandom: RandomBytes = (size) => randomBytes(size);

/**
 * `length` characters of `[A-Za-z0-9]`, unbiased (bytes ≥ 248 are rejected so that `% 62` is uniform).
 *
 * @example
 * randomAlphanumeric(17); // "x7Kq0aZ3mN9pQ2rT4"
 */
export function randomAlphanumeric(length: number, options: IdOptions = {}): string {
  const random = options.random ?? defaultRandom;
  let out = "";
  while (out.length < length) {
    const before = out.length;
    for (const byte of random(length * 2)) {
      if (byte >= 248) continue;
      out += ALPHANUMERIC[byte % 62];
      if (out.length === length) break;
    }
    // A broken injected source (all bytes >= 248) must fail loudly, not spin forever.
    if (out.length === before) throw new RangeError("random source yielded no usable bytes");
  }
  return out;
}

/**
 * An Okta object id: a 3-character type prefix and 17 alphanumerics (20 characters).
 *
 * @example
 * newOktaId("0oa"); // "0oa4d3XkPq8sLm2Zt7Rw" (an app instance)
 */
export function newOktaId(prefix: string, options: IdOptions = {}): string {
  if (!/^[0-9a-z]{3}$/.test(prefix)) {
    throw new TypeError(
      `Okta id prefix must be 3 characters of [0-9a-z], got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix + randomAlphanumeric(OKTA_ID_BODY_LENGTH, options);
}

/**
 * A user id: `00u` + 17 alphanumerics.
 *
 * @example
 * newUserId(); // "00u3m90rxKjGQ0G6L1d6"
 */
export function newUserId(options: IdOptions = {}): string {
  return newOktaId("00u", options);
}

/**
 * A group id: `00g` + 17 alphanumerics.
 *
 * @example
 * newGroupId(); // "00g1emaKYZTWRYYRRTSK"
 */
export function newGroupId(options: IdOptions = {}): string {
  return newOktaId("00g", options);
}

/**
 * An event hook id: `who` + 17 alphanumerics.
 *
 * @example
 * newEventHookId(); // "who8vt36qfNpCGz9H1e6"
 */
export function newEventHookId(options: IdOptions = {}): string {
  return newOktaId("who", options);
}

/**
 * A request (and transaction) id, 27 characters such as `ZsdUK1z4mJ3fWq2y8bHcZgAAA6o`.
 * Decoding the captures shows 20 bytes: the epoch second (big-endian uint32), 12 opaque bytes
 * and a small counter (uint32), in unpadded base64 with `@`/`-` for `+`/`/` (the alphabet of
 * Apache's mod_unique_id).
 *
 * @example
 * newRequestId({ now: Date.parse("2024-08-22T15:07:23Z") }).slice(0, 4); // "ZsdU"
 */
export function newRequestId(options: TimedIdOptions = {}): string {
  const random = options.random ?? defaultRandom;
  const bytes = new Uint8Array(20);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor((options.now ?? Date.now()) / 1000));
  bytes.set(random(12).subarray(0, 12), 4);
  const counter = random(2);
  view.setUint32(16, (((counter[0] ?? 0) << 8) | (counter[1] ?? 0)) & 0x0fff);
  return encodeRequestIdAlphabet(bytes);
}

function encodeRequestIdAlphabet(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString("base64")
    .replace(/=+$/, "")
    .replaceAll("+", "@")
    .replaceAll("/", "-");
}

/**
 * A time-based (version 1) UUID, the layout of `LogEvent.uuid` (e.g.
 * `f1d0b993-cc19-11ed-a688-db22c99ef6c4`): 60-bit timestamp in 100-ns units since 1582-10-15,
 * version nibble `1`, RFC variant bits `10`, random clock sequence and random node with the
 * multicast bit set (RFC 9562 §6.10, so it can never collide with a real MAC address). The
 * sub-millisecond ticks are random too, so no state is kept between calls.
 *
 * @example
 * newUuidV1(); // "2b7f4c10-61a2-11ef-9c1e-7b5d2a9e4c31"
 */
export function newUuidV1(options: TimedIdOptions = {}): string {
  const random = options.random ?? defaultRandom;
  const r = random(10);
  const ticks = BigInt((((r[0] ?? 0) << 8) | (r[1] ?? 0)) % 10_000);
  const ms = BigInt(Math.floor(options.now ?? Date.now()));
  const time = (ms + GREGORIAN_OFFSET_MS) * 10_000n + ticks;
  const timeLow = time & 0xffff_ffffn;
  const timeMid = (time >> 32n) & 0xffffn;
  const timeHigh = ((time >> 48n) & 0x0fffn) | 0x1000n;
  const clockSeq = ((((r[2] ?? 0) << 8) | (r[3] ?? 0)) & 0x3fff) | 0x8000;
  const node = Uint8Array.from(r.subarray(4, 10));
  node[0] = (node[0] ?? 0) | 0x01;
  return [
    hex(timeLow, 8),
    hex(timeMid, 4),
    hex(timeHigh, 4),
    clockSeq.toString(16).padStart(4, "0"),
    Buffer.from(node).toString("hex").padEnd(12, "0"),
  ].join("-");
}

/**
 * A random (version 4) UUID, the form of a delivery's `eventId`.
 *
 * @example
 * newUuidV4(); // "85b60edb-4263-4e13-993b-818e26201052"
 */
export function newUuidV4(options: IdOptions = {}): string {
  if (options.random === undefined) return randomUUID();
  const b = Uint8Array.from(options.random(16).subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Buffer.from(b).toString("hex").padEnd(32, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * An `authenticationContext.externalSessionId` of a browser session: `102` + 22 alphanumerics
 * (25 characters, like `102lMcfHbwSTuS5V1oPHJs3lw`).
 *
 * @example
 * newExternalSessionId().length; // 25
 */
export function newExternalSessionId(options: IdOptions = {}): string {
  return `102${randomAlphanumeric(22, options)}`;
}

function hex(value: bigint, width: number): string {
  return value.toString(16).padStart(width, "0");
}
