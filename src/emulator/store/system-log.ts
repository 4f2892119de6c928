/**
 * The System Log in SQLite: append-only, read by scans in one of three orders, observed by
 * in-process subscribers (the delivery routing) right after each append commits.
 */
import type { Database } from "better-sqlite3";
import type { Logger } from "../../log/index.js";
import type { AnyLogEvent, SystemLogEvent } from "../../okta/index.js";
import { toSystemLogEvent } from "../logic/log-event-shape.js";
import { EmulatorStoreError } from "./errors.js";
import type { StoredLogEvent } from "./types.js";

/** A position in a scan order; scans resume strictly after it. */
export interface LogPosition {
  /** `insertedAt` in persistence order, `publishedAt` in the published orders. */
  at: number;
  seq: number;
}

/**
 * What to scan.
 * - `persisted`: persistence order (Okta's polling order); `since` bounds `insertedAt`.
 * - `ascending` / `descending`: by `published` then `seq`; `since` (inclusive) and `until`
 *   (exclusive) bound `publishedAt`.
 */
export interface LogScan {
  order: "persisted" | "ascending" | "descending";
  after?: LogPosition;
  since?: number;
  until?: number;
}

/** Called with the events of each append, after it committed. */
export type LogListener = (events: readonly StoredLogEvent[]) => void;

/** The System Log's storage. */
export interface SystemLogRepository {
  /**
   * Stores events (either LogEvent shape; kept in the System Log API's shape), in order, in one
   * transaction, then tells every subscriber. An event whose `uuid` is already stored is
   * skipped. Returns what was stored.
   */
  append(events: readonly AnyLogEvent[]): StoredLogEvent[];
  /** Events in scan order, read lazily in chunks. */
  scan(query: LogScan): Generator<StoredLogEvent>;
  /** Subscribes to appends; returns the unsubscribe function. */
  subscribe(listener: LogListener): () => void;
  /** The number of stored events. */
  count(): number;
}

const CHUNK = 256;

interface Row {
  seq: number;
  inserted_at: number;
  published_at: number;
  json: string;
}

function fromRow(row: Row): StoredLogEvent {
  return {
    seq: row.seq,
    insertedAt: row.inserted_at,
    publishedAt: row.published_at,
    event: JSON.parse(row.json) as SystemLogEvent,
  };
}

function validate(event: unknown, index: number): asserts event is AnyLogEvent {
  const e = event as Partial<AnyLogEvent> | null;
  const field = `events[${index}]`;
  if (typeof e !== "object" || e === null || Array.isArray(e)) {
    throw new EmulatorStoreError("invalid_argument", `${field} must be a LogEvent object`, {
      field,
    });
  }
  if (typeof e.uuid !== "string" || e.uuid === "") {
    throw new EmulatorStoreError("invalid_argument", `${field}.uuid must be a non-empty string`, {
      field: `${field}.uuid`,
    });
  }
  if (typeof e.eventType !== "string" || e.eventType === "") {
    throw new EmulatorStoreError("invalid_argument", `${field}.eventType must be a string`, {
      field: `${field}.eventType`,
    });
  }
  if (typeof e.published !== "string" || Number.isNaN(Date.parse(e.published))) {
    throw new EmulatorStoreError("invalid_argument", `${field}.published must be an ISO date`, {
      field: `${field}.published`,
    });
  }
}

/** The System Log repository over an open database. */
export function createSystemLogRepository(
  db: Database,
  context: { now: () => number; logger: Logger },
): SystemLogRepository {
  const insert = db.prepare(`INSERT OR IGNORE INTO log_events
    (uuid, event_type, published_at, inserted_at, json) VALUES (?, ?, ?, ?, ?)`);
  const countAll = db.prepare("SELECT count(*) FROM log_events").pluck();
  const lastInserted = db.prepare("SELECT max(inserted_at) FROM log_events").pluck();
  const persisted = db.prepare(`SELECT seq, inserted_at, published_at, json FROM log_events
    WHERE seq > @seq AND inserted_at >= @since ORDER BY seq LIMIT ${CHUNK}`);
  const ascending = db.prepare(`SELECT seq, inserted_at, published_at, json FROM log_events
    WHERE (published_at, seq) > (@at, @seq) AND published_at >= @since AND published_at < @until
    ORDER BY published_at, seq LIMIT ${CHUNK}`);
  const descending = db.prepare(`SELECT seq, inserted_at, published_at, json FROM log_events
    WHERE (published_at, seq) < (@at, @seq) AND published_at >= @since AND published_at < @until
    ORDER BY published_at DESC, seq DESC LIMIT ${CHUNK}`);
  const listeners = new Set<LogListener>();
  let clock = (lastInserted.get() as number | null) ?? 0;

  const appendAll = db.transaction((events: readonly AnyLogEvent[]): StoredLogEvent[] => {
    const stored: StoredLogEvent[] = [];
    for (const original of events) {
      const event = toSystemLogEvent(original);
      // Persistence time never goes back, so a polling cursor (time, seq) never skips a row.
      clock = Math.max(clock, Math.floor(context.now()));
      const publishedAt = Date.parse(event.published);
      const result = insert.run(
        event.uuid,
        event.eventType,
        publishedAt,
        clock,
        JSON.stringify(event),
      );
      if (result.changes === 1) {
        stored.push({ seq: Number(result.lastInsertRowid), insertedAt: clock, publishedAt, event });
      }
    }
    return stored;
  });

  return {
    append(events) {
      if (!Array.isArray(events)) {
        throw new EmulatorStoreError("invalid_argument", "events must be an array", {
          field: "events",
        });
      }
      events.forEach(validate);
      const stored = appendAll.immediate(events);
      if (stored.length > 0) {
        for (const listener of listeners) {
          try {
            listener(stored);
          } catch (error) {
            context.logger.error("System Log subscriber failed", {
              error: error instanceof Error ? error.message : String(error),
            });
          }
        }
      }
      return stored;
    },
    *scan(query) {
      const since = query.since ?? Number.MIN_SAFE_INTEGER;
      const until = query.until ?? Number.MAX_SAFE_INTEGER;
      let at =
        query.after?.at ??
        (query.order === "descending" ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER);
      let seq = query.after?.seq ?? (query.order === "descending" ? Number.MAX_SAFE_INTEGER : 0);
      for (;;) {
        const rows = (
          query.order === "persisted"
            ? persisted.all({ seq, since })
            : (query.order === "ascending" ? ascending : descending).all({ at, seq, since, until })
        ) as Row[];
        for (const row of rows) yield fromRow(row);
        const last = rows.at(-1);
        if (last === undefined || rows.length < CHUNK) return;
        at = query.order === "persisted" ? last.inserted_at : last.published_at;
        seq = last.seq;
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    count: () => countAll.get() as number,
  };
}
