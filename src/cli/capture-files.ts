/**
 * The capture of `hooktap http` and `hooktap dev`: the SQLite store under the data directory
 * (the inspector reads it; replays write it) and a worker-thread writer on the same file for the
 * agent's live exchanges (capture/worker-writer.ts), so that capturing does not slow the tunnel.
 */
import { join } from "node:path";
import {
  type CaptureWriter,
  openSqliteCaptureStore,
  type SqliteCaptureStore,
  startCaptureWriter,
} from "../capture/index.js";
import type { Logger } from "../log/index.js";
import type { CaptureSettings } from "./http-flags.js";

/** An open capture: close it after the agent. */
export interface OpenCapture {
  store: SqliteCaptureStore;
  writer: CaptureWriter;
  /** Lets the writer commit what it holds, then closes the store. */
  close(): Promise<void>;
}

/**
 * Opens `<dataDir>/capture.db` and starts its writer. Throws what `openSqliteCaptureStore`
 * throws; a writer that cannot start falls back to writing on the main thread (and says so).
 *
 * @example
 * const capture = openCapture(".hooktap", {}, logger);
 * startAgent({ ..., capture: capture.writer }); // the inspector reads capture.store
 * await capture.close();
 */
export function openCapture(dataDir: string, limits: CaptureSettings, logger: Logger): OpenCapture {
  const path = join(dataDir, "capture.db");
  const { maxExchanges, maxBytes, bodyLimitBytes } = limits;
  const retention = {
    ...(maxExchanges !== undefined && { maxExchanges }),
    ...(maxBytes !== undefined && { maxBytes }),
  };
  // The worker writes the derived index; the writer hands it back to this store if it falls back.
  const store = openSqliteCaptureStore(path, {
    logger,
    retention,
    indexing: false,
    ...(bodyLimitBytes !== undefined && { bodyLimitBytes }),
  });
  const writer = startCaptureWriter({
    path,
    store,
    retention,
    ...(bodyLimitBytes !== undefined && { bodyLimitBytes }),
    logger,
    onError: (message) => logger.warn(message),
  });
  return {
    store,
    writer,
    async close() {
      await writer.close();
      store.close();
    },
  };
}
