/**
 * What crosses the thread boundary between a {@link CaptureWriter} (worker-writer.ts) and its
 * worker (capture-worker.ts). Structured-cloned: plain data only, bodies as `Uint8Array`s.
 * Also how either side applies a write to its store ({@link applyWrite}).
 */
import type { CaptureStore } from "./store.js";
import type { Exchange, ExchangePatch } from "./types.js";

/** How the worker opens its store. */
export interface CaptureWorkerData {
  path: string;
  bodyLimitBytes?: number;
  retention?: { maxExchanges?: number; maxBytes?: number };
}

/** One write, in the order the agent made it. */
export type WriteOp =
  | { op: "insert"; exchange: Exchange }
  | { op: "update"; id: string; patch: ExchangePatch };

/**
 * Applies `write` to `store` (the worker's, or the main thread's after a fallback). Returns null,
 * or the one line a failed write is reported with.
 */
export function applyWrite(
  store: Pick<CaptureStore, "insert" | "update">,
  write: WriteOp,
): string | null {
  try {
    if (write.op === "insert") store.insert(write.exchange);
    else store.update(write.id, write.patch);
    return null;
  } catch (error) {
    return `capture ${write.op} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Main → worker. */
export type ToWorker = { type: "writes"; writes: WriteOp[] } | { type: "close" };

/**
 * A change the worker's store made, by id: the main thread's store re-reads what it needs
 * for its listeners (`announceExternal`).
 */
export type ExternalChange =
  | { type: "insert" | "update"; id: string }
  | { type: "delete"; ids: string[]; reason: "retention" | "rollback" };

/** Worker → main. */
export type FromWorker =
  | { type: "ready" }
  | { type: "changes"; changes: ExternalChange[] }
  | { type: "failed"; message: string }
  | { type: "log"; level: "warn" | "error"; message: string; fields: Record<string, unknown> }
  | { type: "closed" };
