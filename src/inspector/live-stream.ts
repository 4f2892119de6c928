/**
 * The live stream, `GET /api/exchanges/stream`: Server-Sent Events of the capture store's
 * changes — `insert` and `update` (the exchange's summary), `delete` (`{ids, reason}`) and
 * `clear` — with a heartbeat comment every 15 s.
 *
 * Resuming: every event has an id `<stream>-<seq>`. The inspector keeps its last 1,000 events,
 * so a client that reconnects with `Last-Event-ID` (EventSource does so by itself) gets what it
 * missed, in order; when that is no longer possible (too far behind, or the inspector
 * restarted) it gets one `reset` event instead and should reload the list.
 *
 * Filters: the list's filter parameters apply to `insert` and `update` events, judged by the
 * store itself (one indexed query per event), so the stream and the list never disagree.
 */
import { randomBytes } from "node:crypto";
import type { CaptureEvent, CaptureStore } from "../capture/index.js";
import { summaryView } from "./exchange-view.js";
import {
  type ExchangeFilters,
  FILTER_PARAMETERS,
  parseFilters,
  queryParams,
} from "./list-params.js";
import { needCapture, type RouteDeps } from "./route-deps.js";
import type { RouteContext, Router } from "./router.js";

/** Events kept for clients that reconnect. */
export const STREAM_REPLAY_EVENTS = 1000;
/** A client this far behind (bytes not yet sent) is dropped; it reconnects and resumes. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/** One event, ready to send. */
interface StreamEvent {
  seq: number;
  type: CaptureEvent["type"];
  /** The exchange's id for insert/update (to filter on). */
  exchangeId: string | null;
  text: string;
}

/** The store's changes as numbered SSE events, with the recent ones kept for resuming. */
export interface EventLog {
  subscribe(listener: (event: StreamEvent) => void): () => void;
  /** The events after `lastEventId`, or null when they cannot all be given. */
  since(lastEventId: string): StreamEvent[] | null;
  close(): void;
}

/**
 * Starts numbering `store`'s changes.
 *
 * @example
 * const log = createEventLog(store);
 */
export function createEventLog(store: CaptureStore): EventLog {
  const streamId = randomBytes(6).toString("hex");
  const recent: StreamEvent[] = [];
  const listeners = new Set<(event: StreamEvent) => void>();
  let seq = 0;
  const unsubscribe = store.subscribe((change) => {
    seq += 1;
    const exchangeId =
      change.type === "insert" || change.type === "update" ? change.exchange.id : null;
    const data =
      change.type === "insert" || change.type === "update"
        ? summaryView(change.exchange)
        : change.type === "delete"
          ? { ids: change.ids, reason: change.reason }
          : {};
    const text = `id: ${streamId}-${seq}\nevent: ${change.type}\ndata: ${JSON.stringify(data)}\n\n`;
    const event: StreamEvent = { seq, type: change.type, exchangeId, text };
    recent.push(event);
    if (recent.length > STREAM_REPLAY_EVENTS) recent.shift();
    for (const listener of [...listeners]) listener(event);
  });
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(lastEventId) {
      const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId.trim());
      if (match === null || match[1] !== streamId) return null;
      const last = Number(match[2]);
      if (last > seq) return null;
      if (last === seq) return [];
      const first = recent[0];
      if (first === undefined || first.seq > last + 1) return null;
      return recent.filter((event) => event.seq > last);
    },
    close() {
      unsubscribe();
      listeners.clear();
    },
  };
}

function hasFilters(filters: ExchangeFilters): boolean {
  return Object.keys(filters).length > 0;
}

/** True when the store's list with `filters` holds the exchange `id`. */
function matches(store: CaptureStore, filters: ExchangeFilters, id: string): boolean {
  // The list is ordered by id and `before` is exclusive: the first item at or below `id`.
  const page = store.list({ ...filters, limit: 1, before: `${id}\u0000` });
  return page.items[0]?.id === id;
}

function stream(deps: RouteDeps, log: EventLog, context: RouteContext): null {
  const store = needCapture(deps);
  const filters = parseFilters(queryParams(context.url, [...FILTER_PARAMETERS]));
  const { req, res } = context;
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    // Tells reverse proxies (nginx) not to buffer the stream.
    "X-Accel-Buffering": "no",
  });
  if (req.method === "HEAD") {
    res.end();
    return null;
  }
  const write = (text: string): void => {
    if (res.writableLength > MAX_PENDING_BYTES) {
      deps.logger.warn("live stream client too slow, dropped", {});
      res.destroy();
      return;
    }
    res.write(text);
  };
  const send = (event: StreamEvent): void => {
    if (event.exchangeId !== null && hasFilters(filters)) {
      try {
        if (!matches(store, filters, event.exchangeId)) return;
      } catch {
        return;
      }
    }
    write(event.text);
  };
  write(`retry: 2000\n: hooktap live stream\n\n`);
  const lastEventId = req.headers["last-event-id"];
  if (typeof lastEventId === "string" && lastEventId !== "") {
    const missed = log.since(lastEventId);
    if (missed === null) write("event: reset\ndata: {}\n\n");
    else for (const event of missed) send(event);
  }
  const unsubscribe = log.subscribe(send);
  const heartbeat = setInterval(
    () => write(`: heartbeat ${new Date().toISOString()}\n\n`),
    deps.heartbeatMs,
  );
  heartbeat.unref();
  res.on("close", () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
  return null;
}

/**
 * Adds the live stream route to `router` (before `/api/exchanges/:id`, which would take it).
 *
 * @example
 * addStreamRoute(router, deps, createEventLog(store));
 */
export function addStreamRoute(router: Router, deps: RouteDeps, log: EventLog | null): Router {
  return router.get("/api/exchanges/stream", (context) => {
    if (log === null) needCapture(deps);
    return stream(deps, log as EventLog, context);
  });
}
