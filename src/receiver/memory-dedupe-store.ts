import type { DedupeStore } from "./types.js";

/** Default capacity of {@link createMemoryDedupeStore}. */
export const DEFAULT_DEDUPE_MAX_KEYS = 10_000;

/** Options of {@link createMemoryDedupeStore}. */
export interface MemoryDedupeStoreOptions {
  /**
   * How many of the most recently seen keys are surely remembered (up to twice as many may
   * be); older keys are forgotten.
   * @default 10000
   */
  maxKeys?: number;
}

/** The in-memory {@link DedupeStore}, with a few read-only helpers for tests and metrics. */
export interface MemoryDedupeStore extends DedupeStore {
  claim(key: string): boolean;
  release(key: string): void;
  /** Whether `key` is currently remembered (does not refresh it). */
  has(key: string): boolean;
  /** Number of keys remembered. */
  readonly size: number;
  /** Forgets every key. */
  clear(): void;
}

/**
 * An in-memory {@link DedupeStore} with least-recently-seen eviction: O(1) claims, bounded
 * memory. It remembers at least the `maxKeys` most recently seen keys and never more than
 * twice that. Per process: use a shared store (Redis, SQL) when several processes receive.
 *
 * Two generations of `Map`s instead of one ordered `Map` trimmed from the front: deleting a
 * Map's oldest entry leaves a hole that every later `keys().next()` walks over until V8
 * compacts the table, which made each claim of a full store cost ~10 µs (bench/receiver).
 * Here the current generation fills up to `maxKeys`, then becomes the previous one and the
 * old previous is dropped whole; a hit in the previous generation moves the key forward.
 *
 * @example
 * const store = createMemoryDedupeStore({ maxKeys: 50_000 });
 * const receiver = createReceiver({ dedupe: store });
 * store.claim("delivery:6e08cca5-9488-4367-b75b-e0bb1c973c58"); // true, then false
 */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): MemoryDedupeStore {
  const maxKeys = options.maxKeys ?? DEFAULT_DEDUPE_MAX_KEYS;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);
  }
  let current = new Set<string>();
  let previous = new Set<string>();
  function remember(key: string): void {
    current.add(key);
    if (current.size >= maxKeys) {
      previous = current;
      current = new Set();
    }
  }
  return {
    claim(key) {
      if (current.has(key)) return false;
      if (previous.has(key)) {
        previous.delete(key);
        remember(key);
        return false;
      }
      remember(key);
      return true;
    },
    release(key) {
      current.delete(key);
      previous.delete(key);
    },
    has(key) {
      return current.has(key) || previous.has(key);
    },
    get size() {
      return current.size + previous.size;
    },
    clear() {
      current = new Set();
      previous = new Set();
    },
  };
}
