/**
 * The capture worker thread (started by worker-writer.ts): owns a read-write SQLite capture
 * store on the agent's file and applies the writes it is sent, so that storing, committing and
 * indexing exchanges cost the forwarding thread nothing but a message. After each commit it
 * reports what changed, by id — the main thread's store tells its listeners (the inspector's
 * live stream) from there, reading the committed rows.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { LogFields, Logger } from "../log/index.js";
import { openSqliteCaptureStore } from "./sqlite-store.js";
import type { CaptureEvent } from "./store.js";
import {
  applyWrite,
  type CaptureWorkerData,
  type ExternalChange,
  type FromWorker,
  type ToWorker,
} from "./worker-messages.js";

const port = parentPort;
if (port === null) throw new Error("capture-worker.js runs as a worker thread");
const data = workerData as CaptureWorkerData;

function send(message: FromWorker): void {
  port?.postMessage(message);
}

function forward(level: "warn" | "error") {
  return (message: string, fields: LogFields = {}) => send({ type: "log", level, message, fields });
}
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: forward("warn"),
  error: forward("error"),
};

/** Changes announced since the last commit; sent once committed (`onCommitted`). */
let changes: ExternalChange[] = [];

const store = openSqliteCaptureStore(data.path, {
  logger,
  ...(data.bodyLimitBytes !== undefined && { bodyLimitBytes: data.bodyLimitBytes }),
  ...(data.retention !== undefined && { retention: data.retention }),
  onCommitted: () => {
    if (changes.length === 0) return;
    const done = changes;
    changes = [];
    send({ type: "changes", changes: done });
  },
});

store.subscribe((event: CaptureEvent) => {
  switch (event.type) {
    case "insert":
    case "update":
      changes.push({ type: event.type, id: event.exchange.id });
      return;
    case "delete":
      if (event.reason !== "delete")
        changes.push({ type: "delete", ids: event.ids, reason: event.reason });
      return;
    case "clear":
      return;
  }
});

send({ type: "ready" });

port.on("message", (message: ToWorker) => {
  if (message.type === "close") {
    store.close();
    send({ type: "closed" });
    port.close();
    return;
  }
  for (const write of message.writes) {
    const failure = applyWrite(store, write);
    if (failure !== null) send({ type: "failed", message: failure });
  }
});
