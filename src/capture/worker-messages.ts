/**
 * What crosses the thread boundary between a {@link CaptureWriter} (worker-writer.ts) and its
 * worker (capture-worker.ts). Structured-cloned: plain data only, bodies as `Uint8Array`s.
 */
import type { Exchange, ExchangePatch } from "./types.js";

/** How the worker opens its store. */
export interface CaptureWorkerData {
  path: string;
  bodyLimitBytes?: number;
  retention?: { maxExchanges?: number; maxBytes?: number };
  commitIntervalMs?: number;
}

/** One write, in the order the agent made it. */
export type WriteOp =
  | { op: "insert"; exchange: Exchange }
  | { op: "update"; id: string; patch: ExchangePatch };

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
