/**
 * Turns better-sqlite3's errors into `StoreError`s, so callers of the store see one error type
 * whatever the engine. Errors that are not SQLite's (bugs) pass through untouched.
 */
import { StoreError } from "./errors.js";

function sqliteCode(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : null;
}

/**
 * The `StoreError` for a SQLite failure, or `error` itself when it is not one.
 *
 * @example
 * try { statement.run(); } catch (error) { throw toStoreError(error, path); }
 */
export function toStoreError(error: unknown, path: string): unknown {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  if (code === null) return error;
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new StoreError("not_a_relay_database", `${path} is not a hooktap relay database`, {
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_CONSTRAINT")) return error;
  return new StoreError("unavailable", `relay database ${path}: ${(error as Error).message}`, {
    cause: error,
  });
}

/**
 * True when `error` is SQLite refusing a row because of a UNIQUE constraint.
 *
 * @example
 * if (isUniqueViolation(error)) throw new StoreError("name_taken", "…");
 */
export function isUniqueViolation(error: unknown): boolean {
  return sqliteCode(error) === "SQLITE_CONSTRAINT_UNIQUE";
}
