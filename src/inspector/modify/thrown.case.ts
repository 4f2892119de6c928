/**
 * Shared by the modify tests: run a function that must throw a {@link ModificationError} and
 * hand the error back so its code and message can be checked.
 */
import { ModificationError } from "./errors.js";

/** The ModificationError `fn` throws; any other error is rethrown, no throw fails. */
export function thrown(fn: () => unknown): ModificationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ModificationError) return error;
    throw error;
  }
  throw new Error("expected a ModificationError");
}
