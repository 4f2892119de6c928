/**
 * Exchange ids: 26 characters of Crockford base32, a 48-bit millisecond time then 80 random bits
 * (the ULID layout), so that string order is arrival order and the inspector can page with
 * `before: id`. Within one generator ids are strictly increasing, even within one millisecond or
 * when the clock steps back (the ULID "monotonic" rule).
 */
import { randomBytes, randomFillSync } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const MAX_TIME_MS = 2 ** 48 - 1;
const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A source of random bytes; injectable so tests can make ids deterministic. */
export type RandomBytes = (size: number) => Uint8Array;

/** Produces ids; `nowMs` defaults to `Date.now()`. */
export type ExchangeIdGenerator = (nowMs?: number) => string;

function encodeTime(ms: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** 10 random bytes → 16 base32 digits (80 bits), most significant first. */
function randomDigits(random: RandomBytes): number[] {
  const bytes = random(10);
  const digits: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      digits.push((buffer >> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  return digits;
}

/** Adds one to the base32 digits in place; false when they overflow (all were 31). */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    const digit = digits[i] ?? 0;
    if (digit < 31) {
      digits[i] = digit + 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

/** Bytes drawn from the system's random source at a time by {@link pooledRandomBytes}. */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolOffset = 0;

/**
 * `randomBytes` for the small draws of id generation, from a 4 KiB pool refilled by one
 * `randomFillSync`: a call into the random source per new millisecond was ~5 % of the tunnel's
 * CPU at low concurrency. The bytes are as random; the returned view is only valid until the
 * next call (the generator reads it at once). Ids are unique, not secret.
 *
 * @example
 * pooledRandomBytes(10).byteLength; // 10
 */
export function pooledRandomBytes(size: number): Uint8Array {
  if (size > POOL_BYTES) return randomBytes(size);
  if (poolOffset + size > pool.byteLength) {
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return out;
}

/**
 * A generator of strictly increasing exchange ids. Most code uses {@link newExchangeId}; a
 * separate generator is for tests (inject `random`) or for keeping two sequences apart.
 *
 * @example
 * const nextId = createExchangeIdGenerator();
 * const a = nextId(1_717_000_000_000);
 * const b = nextId(1_717_000_000_000);
 * a < b; // true
 */
export function createExchangeIdGenerator(
  random: RandomBytes = pooledRandomBytes,
): ExchangeIdGenerator {
  let lastTime = -1;
  let lastDigits: number[] = [];
  return function nextExchangeId(nowMs = Date.now()): string {
    const now = Math.min(Math.max(Math.floor(nowMs), 0), MAX_TIME_MS);
    if (now > lastTime) {
      lastTime = now;
      lastDigits = randomDigits(random);
    } else if (!increment(lastDigits)) {
      // 2^80 ids in one millisecond cannot happen with real randomness; stay monotonic anyway.
      lastTime = Math.min(lastTime + 1, MAX_TIME_MS);
      lastDigits = randomDigits(random);
    }
    return encodeTime(lastTime) + lastDigits.map((d) => ALPHABET.charAt(d)).join("");
  };
}

/**
 * A new exchange id, greater than every id this process made before. One shared generator, so
 * that ids made by the agent, replay and the emulator in one process sort among themselves.
 *
 * @example
 * const exchange = { id: newExchangeId(), endpoint: "my-hooks", origin: "live", … };
 */
export const newExchangeId: ExchangeIdGenerator = createExchangeIdGenerator();

/**
 * The millisecond time encoded in an id from {@link newExchangeId}, or null for another string.
 *
 * @example
 * exchangeIdTime(newExchangeId(1_717_000_000_123)); // 1717000000123
 */
export function exchangeIdTime(id: string): number | null {
  if (!ID_PATTERN.test(id)) return null;
  let ms = 0;
  for (let i = 0; i < TIME_CHARS; i++) ms = ms * 32 + ALPHABET.indexOf(id.charAt(i));
  return ms <= MAX_TIME_MS ? ms : null;
}

/** The number of characters of an id from {@link newExchangeId}. */
export const EXCHANGE_ID_LENGTH = TIME_CHARS + RANDOM_CHARS;
