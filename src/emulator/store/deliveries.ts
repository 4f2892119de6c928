/**
 * The delivery log in SQLite: one row per HTTP request the delivery engine made (retries and
 * injected duplicates included), newest last, read per hook. Bounded: the newest
 * {@link DELIVERY_LOG_PER_HOOK} requests of each hook are kept.
 */
import type { Database } from "better-sqlite3";
import type { DeliveryAttemptRecord } from "../delivery/engine-types.js";

/** A delivery log row: the engine's record and where it sits in the log. */
export interface StoredDeliveryAttempt {
  /** Log order, 1-based, strictly increasing. */
  seq: number;
  record: DeliveryAttemptRecord;
}

/** Requests kept per hook; older ones are dropped (checked every {@link TRIM_EVERY} adds). */
export const DELIVERY_LOG_PER_HOOK = 1_000;
const TRIM_EVERY = 100;

/** The delivery log's storage. */
export interface DeliveryLogRepository {
  add(record: DeliveryAttemptRecord): StoredDeliveryAttempt;
  /** A hook's attempts, newest first, at most `limit`, older than `before` (a `seq`) if given. */
  list(hookId: string, options: { limit: number; before?: number }): StoredDeliveryAttempt[];
  /** Deletes a hook's log (the hook is gone). */
  deleteHook(hookId: string): void;
}

/** The delivery log repository over an open database. */
export function createDeliveryLogRepository(db: Database): DeliveryLogRepository {
  const insert = db.prepare(
    "INSERT INTO delivery_attempts (hook_id, delivery_id, json) VALUES (?, ?, ?)",
  );
  const select = db.prepare(
    "SELECT seq, json FROM delivery_attempts WHERE hook_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
  );
  const remove = db.prepare("DELETE FROM delivery_attempts WHERE hook_id = ?");
  const trim = db.prepare(`DELETE FROM delivery_attempts WHERE hook_id = @hook AND seq <= (
    SELECT seq FROM delivery_attempts WHERE hook_id = @hook ORDER BY seq DESC LIMIT 1 OFFSET @keep)`);
  const added = new Map<string, number>();
  return {
    add(record) {
      const result = insert.run(record.hookId, record.deliveryId, JSON.stringify(record));
      const count = (added.get(record.hookId) ?? 0) + 1;
      added.set(record.hookId, count % TRIM_EVERY);
      if (count % TRIM_EVERY === 1) trim.run({ hook: record.hookId, keep: DELIVERY_LOG_PER_HOOK });
      return { seq: Number(result.lastInsertRowid), record };
    },
    list(hookId, options) {
      const rows = select.all(hookId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit) as {
        seq: number;
        json: string;
      }[];
      return rows.map((row) => ({
        seq: row.seq,
        record: JSON.parse(row.json) as DeliveryAttemptRecord,
      }));
    },
    deleteHook(hookId) {
      remove.run(hookId);
      added.delete(hookId);
    },
  };
}
