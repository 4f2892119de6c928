/**
 * A capture store in memory: same contract as the SQLite store, nothing on disk. For tests,
 * embedding, and modes that keep no history file.
 */
import { CaptureError } from "./errors.js";
import { derivedFactsOf, matchesListQuery } from "./list-match.js";
import { resolveListQuery } from "./list-query.js";
import { createListenerSet } from "./listeners.js";
import { pickEvictions, type RetentionEntry, resolveStoreOptions } from "./options.js";
import type { CaptureStore, CaptureStoreOptions } from "./store.js";
import type { CapturedBody, Exchange } from "./types.js";
import { applyPatch, normalizeExchange, normalizePatch, storedBytesOf } from "./validate.js";

function cloneBody(body: CapturedBody): CapturedBody {
  return { bytes: new Uint8Array(body.bytes), size: body.size, truncated: body.truncated };
}

/** A deep copy whose bodies are fresh plain `Uint8Array`s: nothing shared with the caller. */
function cloneExchange(x: Exchange): Exchange {
  return {
    ...x,
    request: {
      ...x.request,
      rawHeaders: x.request.rawHeaders.map(([n, v]): [string, string] => [n, v]),
      body: cloneBody(x.request.body),
    },
    response:
      x.response === null
        ? null
        : {
            ...x.response,
            rawHeaders: x.response.rawHeaders.map(([n, v]): [string, string] => [n, v]),
            body: cloneBody(x.response.body),
          },
    error: x.error === null ? null : { ...x.error },
    timing: { ...x.timing },
  };
}

/** Index of the first id ≥ `id` in the ascending `ids`. */
function lowerBound(ids: string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] ?? "") < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Opens an empty capture store in memory. Stored exchanges are deep copies: mutating what was
 * inserted, or what a read returned, never changes the store.
 *
 * @example
 * const store = createMemoryCaptureStore({ retention: { maxExchanges: 100 } });
 * store.insert(exchange);
 * store.list({ limit: 10 }).items[0]?.id === exchange.id; // true
 */
export function createMemoryCaptureStore(options: CaptureStoreOptions = {}): CaptureStore {
  const config = resolveStoreOptions(options);
  const listeners = createListenerSet(config.logger);
  const byId = new Map<string, Exchange>();
  /** Ascending: list order reversed, retention order as is. */
  const ids: string[] = [];
  let bytes = 0;
  let closed = false;

  function open(): void {
    if (closed) throw new CaptureError("closed", "the capture store is closed");
  }

  function remove(id: string): boolean {
    const stored = byId.get(id);
    if (stored === undefined) return false;
    byId.delete(id);
    ids.splice(lowerBound(ids, id), 1);
    bytes -= storedBytesOf(stored);
    return true;
  }

  function* oldestFirst(): Generator<RetentionEntry> {
    for (const id of ids) {
      const stored = byId.get(id);
      if (stored !== undefined) yield { id, bytes: storedBytesOf(stored) };
    }
  }

  function enforceRetention(spareId: string): string[] {
    const evicted = pickEvictions(oldestFirst(), { count: byId.size, bytes }, config, spareId);
    for (const id of evicted) remove(id);
    if (evicted.length > 0)
      config.logger.debug("capture retention evicted", { count: evicted.length });
    return evicted;
  }

  function announce(type: "insert" | "update", stored: Exchange, evicted: string[]): void {
    if (listeners.active) listeners.emit({ type, exchange: cloneExchange(stored) });
    if (evicted.length > 0) listeners.emit({ type: "delete", ids: evicted, reason: "retention" });
  }

  return {
    insert(exchange) {
      open();
      const stored = cloneExchange(normalizeExchange(exchange, config.bodyLimitBytes));
      if (byId.has(stored.id)) {
        throw new CaptureError("duplicate_id", `exchange ${stored.id} already exists`, {
          field: "id",
        });
      }
      byId.set(stored.id, stored);
      ids.splice(lowerBound(ids, stored.id), 0, stored.id);
      bytes += storedBytesOf(stored);
      const evicted = enforceRetention(stored.id);
      announce("insert", stored, evicted);
      return cloneExchange(stored);
    },
    update(id, patch) {
      open();
      const normalized = normalizePatch(patch, config.bodyLimitBytes);
      const current = byId.get(id);
      if (current === undefined) return null;
      const stored = cloneExchange(applyPatch(current, normalized));
      byId.set(id, stored);
      bytes += storedBytesOf(stored) - storedBytesOf(current);
      const evicted = enforceRetention(id);
      announce("update", stored, evicted);
      return cloneExchange(stored);
    },
    get(id) {
      open();
      const stored = byId.get(id);
      return stored === undefined ? null : cloneExchange(stored);
    },
    list(query) {
      open();
      const q = resolveListQuery(query);
      const items: Exchange[] = [];
      let i = (q.before === null ? ids.length : lowerBound(ids, q.before)) - 1;
      let next: string | null = null;
      for (; i >= 0; i--) {
        const stored = byId.get(ids[i] ?? "");
        if (stored === undefined || !matchesListQuery(stored, q, () => derivedFactsOf(stored))) {
          continue;
        }
        if (items.length === q.limit) {
          next = items[items.length - 1]?.id ?? null;
          break;
        }
        items.push(cloneExchange(stored));
      }
      return { items, next };
    },
    count() {
      open();
      return byId.size;
    },
    delete(id) {
      open();
      const found = remove(id);
      if (found) listeners.emit({ type: "delete", ids: [id], reason: "delete" });
      return found;
    },
    clear() {
      open();
      byId.clear();
      ids.length = 0;
      bytes = 0;
      listeners.emit({ type: "clear" });
    },
    stats() {
      open();
      return { count: byId.size, bytes };
    },
    subscribe(listener) {
      open();
      return listeners.subscribe(listener);
    },
    close() {
      closed = true;
      listeners.clear();
      byId.clear();
      ids.length = 0;
    },
  };
}
