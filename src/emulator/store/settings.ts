/**
 * The org's own small state (API token, admin identity…) as JSON values under string keys.
 */
import type { Database } from "better-sqlite3";

/** Key/value access to the `settings` table. */
export interface SettingsRepository {
  /** The value stored under `key`, or `undefined`. */
  get(key: string): unknown;
  /** Stores (or replaces) `value` (JSON-serialisable) under `key`. */
  set(key: string, value: unknown): void;
}

/** The settings repository over an open database. */
export function createSettingsRepository(db: Database): SettingsRepository {
  const select = db.prepare("SELECT value FROM settings WHERE key = ?").pluck();
  const upsert = db.prepare(
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  return {
    get(key) {
      const text = select.get(key) as string | undefined;
      return text === undefined ? undefined : JSON.parse(text);
    },
    set(key, value) {
      upsert.run(key, JSON.stringify(value));
    },
  };
}
