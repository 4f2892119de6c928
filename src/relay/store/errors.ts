/**
 * The one error the relay store throws (as a rejected promise). Its `code` says what went
 * wrong, so the relay can map it to an HTTP status and the CLI to an exit code in one place.
 * Messages name the offending field or name, never a token secret.
 */

/**
 * Why a store operation was refused.
 *
 * - `invalid_name`: a token name outside 1–64 `[A-Za-z0-9._-]`, or an endpoint name that is not a
 *   lower-case DNS label.
 * - `invalid_argument`: any other ill-typed or out-of-range input (`field` names it).
 * - `name_taken`: `createToken` with the name of a non-revoked token.
 * - `not_found`: an unknown token, endpoint, queued request or `before` cursor.
 * - `token_revoked`: a revoked token asked to reserve an endpoint.
 * - `invalid_state`: a queued request that is no longer pending was asked to change.
 * - `not_a_relay_database`: the file is not a SQLite database, or one that hooktap's relay did not create.
 * - `schema_too_new`: the database was migrated by a newer hooktap than this one.
 * - `unavailable`: the storage could not be opened or written (permissions, disk, lock timeout).
 * - `closed`: the store was used after `close()`.
 */
export type StoreErrorCode =
  | "invalid_name"
  | "invalid_argument"
  | "name_taken"
  | "not_found"
  | "token_revoked"
  | "invalid_state"
  | "not_a_relay_database"
  | "schema_too_new"
  | "unavailable"
  | "closed";

/** Extra data of a {@link StoreError}. */
export interface StoreErrorOptions {
  /** The offending input field, e.g. `rawHeaders[2]`. */
  field?: string;
  cause?: unknown;
}

/**
 * Thrown (as a rejection) by every `RelayStore` method and by `openSqliteRelayStore`.
 *
 * @example
 * try {
 *   await store.createToken("laptop");
 * } catch (error) {
 *   if (error instanceof StoreError && error.code === "name_taken") logger.warn("pick another name");
 *   else throw error;
 * }
 */
export class StoreError extends Error {
  override readonly name = "StoreError";
  readonly code: StoreErrorCode;
  /** The offending input field, when one field is to blame. */
  readonly field: string | undefined;

  constructor(code: StoreErrorCode, message: string, options: StoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}
