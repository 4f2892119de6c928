/**
 * The one error type of replay modifications. The inspector maps it to a 400 problem (its
 * `code` and `field` travel as they are); the CLI prints the message.
 */

/**
 * Why a modification was refused.
 *
 * - `invalid_edit`: a JSON edit that does not parse (`path=value` syntax, a bad path or value).
 * - `not_json`: JSON edits on a body that is not JSON (or not UTF-8, or was truncated).
 * - `path_not_found`: an edit whose parent does not exist, an index out of range, or a key on an
 *   array or an index on an object.
 * - `invalid_modification`: a method, path or header that cannot be sent (`field` names it).
 */
export type ModificationErrorCode =
  | "invalid_edit"
  | "not_json"
  | "path_not_found"
  | "invalid_modification";

/** Extra data of a {@link ModificationError}. */
export interface ModificationErrorOptions {
  /** The JSON edit's path, as written (`data.events[0].target`). */
  path?: string;
  /** The offending modification field (`headers.set[1]`, `method`, `jsonEdits[0]`). */
  field?: string;
  cause?: unknown;
}

/**
 * Thrown by `applyModifications`, `parseJsonEdit` and `parseHeaderArg` on bad input; the input
 * request is never changed.
 *
 * @example
 * try {
 *   applyModifications(request, { jsonEdits: [parseJsonEdit("data.x=1")] });
 * } catch (error) {
 *   if (error instanceof ModificationError) reply(400, error.code, error.message);
 * }
 */
export class ModificationError extends Error {
  override readonly name = "ModificationError";
  readonly code: ModificationErrorCode;
  readonly path: string | undefined;
  readonly field: string | undefined;

  constructor(
    code: ModificationErrorCode,
    message: string,
    options: ModificationErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
    this.field = options.field;
  }
}
