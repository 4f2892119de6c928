/**
 * Sortable ids: a prefix and a ULID (48-bit millisecond time, 80 random bits, Crockford base32).
 * The generator is monotonic: within one millisecond, or when the clock steps back, it increments
 * the previous id instead of drawing a new one, so ids of one store sort in creation order.
 */
import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const RANDOM_SPACE = 1n << 80n;
const MAX_TIME = 2 ** 48 - 1;

/** Produces ids that sort (as strings) in the order they were produced. */
export interface IdGenerator {
  next(): string;
}

/** Options of {@link createIdGenerator}. */
export interface IdGeneratorOptions {
  /** @default Date.now */
  now?: () => number;
  /**
   * The greatest id produced so far (e.g. read back from the database), so that ids stay
   * increasing across restarts even if the clock went back meanwhile.
   */
  floor?: string | null;
}

/**
 * A monotonic ULID generator whose ids start with `prefix`.
 *
 * @example
 * const ids = createIdGenerator("req_");
 * ids.next() < ids.next(); // true
 */
export function createIdGenerator(prefix: string, options: IdGeneratorOptions = {}): IdGenerator {
  const now = options.now ?? Date.now;
  let lastTime = -1;
  let lastRandom = 0n;
  const floor = options.floor == null ? null : decode(options.floor.slice(prefix.length));
  if (floor !== null && options.floor?.startsWith(prefix)) {
    lastTime = floor.time;
    lastRandom = floor.random;
  }
  return {
    next() {
      let time = Math.min(Math.max(Math.floor(now()), 0), MAX_TIME);
      let random: bigint;
      if (time <= lastTime) {
        time = lastTime;
        random = lastRandom + 1n;
        if (random >= RANDOM_SPACE) {
          time += 1;
          random = freshRandom();
        }
      } else {
        random = freshRandom();
      }
      lastTime = time;
      lastRandom = random;
      return prefix + encode(BigInt(time), TIME_CHARS) + encode(random, RANDOM_CHARS);
    },
  };
}

function freshRandom(): bigint {
  // The top bit stays clear so that many increments fit before the random part overflows.
  const bytes = randomBytes(10);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return BigInt(`0x${bytes.toString("hex")}`);
}

function encode(value: bigint, length: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = CROCKFORD[Number(rest & 31n)] + out;
    rest >>= 5n;
  }
  return out;
}

function decode(ulid: string): { time: number; random: bigint } | null {
  if (ulid.length !== TIME_CHARS + RANDOM_CHARS) return null;
  let value = 0n;
  for (const char of ulid) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0) return null;
    value = (value << 5n) | BigInt(digit);
  }
  return { time: Number(value >> 80n), random: value & (RANDOM_SPACE - 1n) };
}
