/**
 * Capture writes off the forwarding thread: a {@link CaptureWriter} sends the agent's inserts
 * and updates to a worker thread (capture-worker.ts) that owns its own read-write connection to
 * the capture file. The forwarding thread pays a structured clone per exchange instead of the
 * SQLite writes, commits and indexing; the second core does those.
 *
 * The writes of one event-loop turn go as one message. The worker reports what it committed,
 * by id, and the main thread's store (`store`, the inspector's) tells its listeners, reading
 * the committed rows. Reads on the main store see a write once the worker committed it (about
 * 10 ms under load), not at once as with a direct write: the inspector's list and live stream
 * stay consistent with each other, since both follow the commit.
 *
 * Writes wait in memory until the worker has opened its store ("ready"). If it cannot (no built
 * worker file next to this one, as when running from sources; a store that does not open), the
 * writer writes those and every later write to `store` directly: capture goes on, on the
 * forwarding thread. A worker that dies later is reported once (`onError`) and the same fallback
 * applies; only the writes it held and had not committed are lost, and their count is logged.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Logger } from "../log/index.js";
import type { SqliteCaptureStore } from "./sqlite-store.js";
import type { Exchange, ExchangePatch } from "./types.js";
import {
  applyWrite,
  type CaptureWorkerData,
  type FromWorker,
  type ToWorker,
  type WriteOp,
} from "./worker-messages.js";

/** The built worker entry next to this module, or null when there is none (sources). */
function builtWorker(): URL | null {
  const url = new URL("./capture-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Where the agent records exchanges: a store, or a {@link CaptureWriter}. */
export interface CaptureSink {
  insert(exchange: Exchange): unknown;
  update(id: string, patch: ExchangePatch): unknown;
}

/** A running capture worker. */
export interface CaptureWriter extends CaptureSink {
  /** True while writes go to the worker (false after a fallback to the main store). */
  readonly offThread: boolean;
  /**
   * Resolves once the worker has opened its store (true), or once the writer fell back to the
   * main store (false). Writes made before are held, not lost.
   */
  readonly ready: Promise<boolean>;
  /** Sends what is queued, lets the worker commit and stop; resolves once it has. */
  close(): Promise<void>;
}

/** Options of {@link startCaptureWriter}. */
export interface CaptureWriterOptions {
  /** The capture file: the same one `store` has open. */
  path: string;
  /** The main thread's store: its listeners hear of the worker's writes; the fallback. */
  store: SqliteCaptureStore;
  bodyLimitBytes?: number;
  retention?: { maxExchanges?: number; maxBytes?: number };
  logger: Logger;
  /** A write failed, or the worker failed and the writer fell back: one line, for the user. */
  onError: (message: string) => void;
  /** The worker's entry point; the built `capture-worker.js` next to this file by default. */
  workerUrl?: URL;
}

/**
 * Starts a capture worker on `options.path`.
 *
 * @example
 * const store = openSqliteCaptureStore(path);
 * const writer = startCaptureWriter({ path, store, logger, onError: (m) => warn(m) });
 * startAgent({ ..., capture: writer }); // the inspector reads `store`
 * // at exit: await agent.close(); await writer.close(); store.close();
 */
export function startCaptureWriter(options: CaptureWriterOptions): CaptureWriter {
  const { store, logger, onError } = options;
  const data: CaptureWorkerData = {
    path: options.path,
    ...(options.bodyLimitBytes !== undefined && { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.retention !== undefined && { retention: options.retention }),
  };
  /** Writes not yet posted: all of them until the worker is ready, then one turn's. */
  let queue: WriteOp[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let worker: Worker | null = null;
  let ready = false;
  let settleReady: (offThread: boolean) => void = () => {};
  const readyPromise = new Promise<boolean>((resolve) => {
    settleReady = resolve;
  });
  let closing: Promise<void> | null = null;
  let closed = () => {};

  /** From now on, writes go to the main store; what the worker never got is written there. */
  function fallBack(why: string, level: "debug" | "error"): void {
    worker = null;
    if (scheduled !== null) clearImmediate(scheduled);
    scheduled = null;
    const held = queue;
    queue = [];
    if (level === "error") {
      logger.error("capture worker failed; capturing on the main thread", { error: why });
      onError(`capture worker failed (${why}); capturing on the main thread from now on`);
    } else {
      logger.debug("capture on the main thread", { reason: why });
    }
    // The main store writes from now on, so it writes the derived index too.
    store.startIndexing();
    for (const write of held) {
      const failure = applyWrite(store, write);
      if (failure !== null) onError(failure);
    }
    settleReady(false);
    closed();
  }

  const url = options.workerUrl ?? builtWorker();
  if (url === null) {
    logger.debug("capture on the main thread", { reason: "no built capture worker" });
    settleReady(false);
  } else {
    try {
      worker = new Worker(url, { workerData: data });
    } catch (error) {
      fallBack(error instanceof Error ? error.message : String(error), "error");
    }
  }

  worker?.on("message", (message: FromWorker) => {
    switch (message.type) {
      case "ready":
        ready = true;
        settleReady(true);
        flush();
        return;
      case "changes":
        store.announceExternal(message.changes);
        return;
      case "failed":
        onError(message.message);
        return;
      case "log":
        logger[message.level](message.message, message.fields);
        return;
      case "closed":
        closed();
        return;
    }
  });
  worker?.on("error", (error) => {
    if (worker !== null) fallBack(error.message, "error");
  });
  worker?.on("exit", (code) => {
    if (worker !== null && closing === null) fallBack(`exited with code ${code}`, "error");
    else closed();
  });

  function flush(): void {
    scheduled = null;
    if (worker === null || !ready || queue.length === 0) return;
    const writes = queue;
    queue = [];
    worker.postMessage({ type: "writes", writes } satisfies ToWorker);
  }

  function push(write: WriteOp): void {
    queue.push(write);
    if (ready) scheduled ??= setImmediate(flush);
  }

  return {
    get offThread() {
      return worker !== null;
    },
    ready: readyPromise,
    insert(exchange) {
      if (worker === null) return store.insert(exchange);
      push({ op: "insert", exchange });
      return undefined;
    },
    update(id, patch) {
      if (worker === null) return store.update(id, patch);
      push({ op: "update", id, patch });
      return undefined;
    },
    close() {
      if (closing !== null) return closing;
      closing = new Promise<void>((resolve) => {
        closed = resolve;
      });
      if (worker === null) {
        closed();
        return closing;
      }
      if (!ready) {
        // The worker is still opening its store: write what it would have, here.
        const starting = worker;
        fallBack("closed before the worker was ready", "debug");
        void starting.terminate();
        return closing;
      }
      if (scheduled !== null) clearImmediate(scheduled);
      flush();
      worker.postMessage({ type: "close" } satisfies ToWorker);
      return closing;
    },
  };
}
