import type { DedupeStore } from "./types.js";

/** Default capacity of {@link createMemoryDedupeStore}. */
export const DEFAULT_DEDUPE_MAX_KEYS = 10_000;

/** Options of {@link createMemoryDedupeStore}. */
export interface MemoryDedupeStoreOptions {
  /**
   * How many keys are remembered; past that the least recently seen key is forgotten.
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
 * An in-memory LRU {@link DedupeStore}: O(1) claims, bounded to `maxKeys`. A `Map` keeps
 * insertion order, so re-inserting a key on every hit makes its first key the least recently
 * seen one. Per process: use a shared store (Redis, SQL) when several processes receive.
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
  const seen = new Map<string, true>();
  return {
    claim(key) {
      if (seen.has(key)) {
        seen.delete(key);
        seen.set(key, true);
        return false;
      }
      seen.set(key, true);
      if (seen.size > maxKeys) {
        const oldest = seen.keys().next();
        if (oldest.done !== true) seen.delete(oldest.value);
      }
      return true;
    },
    release(key) {
      seen.delete(key);
    },
    has(key) {
      return seen.has(key);
    },
    get size() {
      return seen.size;
    },
    clear() {
      seen.clear();
    },
  };
}
