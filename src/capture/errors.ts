/**
 * The one error type of the capture component. Its `code` is what callers branch on (the
 * inspector maps it to an HTTP status, the CLI to an exit code); the message is for people.
 */

/**
 * Why a capture operation was refused.
 *
 * - `invalid_exchange`: an exchange or a patch that does not fit the model; `field` names the path.
 * - `invalid_argument`: a bad option or query (a list `limit` outside 1..1000, a negative limit).
 * - `duplicate_id`: an `insert` with an id the store already holds.
 * - `not_a_capture_db`: the file is not SQLite, or is another program's SQLite database.
 * - `unsupported_schema`: a capture database written by a newer hooktap (schema version too high),
 *   or one a read-only store cannot use because it needs migrating.
 * - `read_only`: a write on a store opened with `readOnly: true`.
 * - `closed`: any use of a store after `close()`, or of a body capture after `finish()`.
 * - `storage`: the database itself failed (disk full, I/O error, locked past `busyTimeoutMs`);
 *   `cause` holds the driver's error.
 * - `invalid_import`: `parseImport` input that is not JSON, neither HAR nor a hooktap export, or
 *   has a bad field; `field` names it (`log.entries[3].request.url`).
 *
 * Unknown ids are not errors: `get` returns null, `update` null and `delete` false.
 */
export type CaptureErrorCode =
  | "invalid_exchange"
  | "invalid_argument"
  | "duplicate_id"
  | "not_a_capture_db"
  | "unsupported_schema"
  | "read_only"
  | "closed"
  | "storage"
  | "invalid_import";

/** Extra data of a {@link CaptureError}. */
export interface CaptureErrorOptions {
  /** Path of the offending field, e.g. `request.rawHeaders[3]`. */
  field?: string;
  cause?: unknown;
}

/**
 * Thrown by every function of the capture component on bad input or a failing store, and by no
 * other error type (driver errors are wrapped, code `storage`).
 *
 * @example
 * try {
 *   store.insert(exchange);
 * } catch (error) {
 *   if (error instanceof CaptureError && error.code === "duplicate_id") logger.warn("seen", { id });
 *   else throw error;
 * }
 */
export class CaptureError extends Error {
  override readonly name = "CaptureError";
  readonly code: CaptureErrorCode;
  /** Path of the offending field, when one field is to blame. */
  readonly field: string | undefined;

  constructor(code: CaptureErrorCode, message: string, options: CaptureErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}
