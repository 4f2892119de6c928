/**
 * The one error the emulator's store throws. Its `code` says what went wrong, so the CLI can
 * print one clear line; the HTTP layer never lets it reach a client (it answers E0000009).
 */

/**
 * Why the store refused.
 *
 * - `invalid_argument`: an ill-typed input (`field` names it).
 * - `not_an_emulator_database`: the file is not SQLite, or SQLite made by another program.
 * - `schema_too_new`: the file was migrated by a newer hooktap.
 * - `unavailable`: the file could not be opened or written (permissions, disk, lock timeout).
 * - `closed`: the store was used after `close()`.
 */
export type EmulatorStoreErrorCode =
  | "invalid_argument"
  | "not_an_emulator_database"
  | "schema_too_new"
  | "unavailable"
  | "closed";

/**
 * Thrown by `openEmulatorStore` and by the store's methods.
 *
 * @example
 * try {
 *   openEmulatorStore("notes.db");
 * } catch (error) {
 *   if (error instanceof EmulatorStoreError && error.code === "not_an_emulator_database") …
 * }
 */
export class EmulatorStoreError extends Error {
  override readonly name = "EmulatorStoreError";
  readonly code: EmulatorStoreErrorCode;
  /** The offending input field, when one field is to blame. */
  readonly field: string | undefined;

  constructor(
    code: EmulatorStoreErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}

/**
 * The store error for a SQLite failure (or `error` itself when it is not SQLite's: a bug).
 *
 * @example
 * try { statement.run(); } catch (error) { throw toEmulatorStoreError(error, path); }
 */
export function toEmulatorStoreError(error: unknown, path: string): unknown {
  if (error instanceof EmulatorStoreError) return error;
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return error;
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new EmulatorStoreError(
      "not_an_emulator_database",
      `${path} is not a hooktap Okta emulator database`,
      { cause: error },
    );
  }
  return new EmulatorStoreError(
    "unavailable",
    `Okta emulator database ${path}: ${(error as Error).message}`,
    { cause: error },
  );
}
