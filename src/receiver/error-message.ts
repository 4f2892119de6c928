/**
 * The message of anything thrown (handlers may throw strings or plain objects), for log fields.
 *
 * @example
 * errorMessage(new Error("boom")); // "boom"
 * errorMessage("boom"); // "boom"
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
