/**
 * The shapes of token and endpoint names, checked once at the store's boundary so that every
 * implementation refuses the same names with the same error.
 */
import { StoreError } from "./errors.js";

/** Token names: 1–64 characters of `[A-Za-z0-9._-]`. No `_`-prefixed id (`tok_…`) can match. */
export const TOKEN_NAME_PATTERN: RegExp = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Endpoint names: one lower-case DNS label (1–63 of `[a-z0-9-]`, no hyphen at either end), so a
 * name works both as the first path segment and, later, as a subdomain; lower case only, because
 * host names are case-insensitive and `Acme` and `acme` must not have two owners. Paths that start
 * with `_` or `.` can never be endpoints, which leaves them to the relay's own routes.
 */
export const ENDPOINT_NAME_PATTERN: RegExp = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * True when `name` may be reserved as an endpoint (see {@link ENDPOINT_NAME_PATTERN}).
 *
 * @example
 * isValidEndpointName("okta-dev"); // true
 * isValidEndpointName("Okta_Dev"); // false
 */
export function isValidEndpointName(name: unknown): name is string {
  return typeof name === "string" && ENDPOINT_NAME_PATTERN.test(name);
}

/**
 * Throws `StoreError("invalid_name")` unless `name` is a valid token name.
 *
 * @example
 * assertTokenName("ci-runner.01");
 */
export function assertTokenName(name: unknown): asserts name is string {
  if (typeof name !== "string" || !TOKEN_NAME_PATTERN.test(name)) {
    throw new StoreError("invalid_name", "a token name is 1-64 characters of A-Z a-z 0-9 . _ -", {
      field: "name",
    });
  }
}

/**
 * Throws `StoreError("invalid_name")` unless `name` is a valid endpoint name.
 *
 * @example
 * assertEndpointName("okta-dev");
 */
export function assertEndpointName(name: unknown, field = "endpoint"): asserts name is string {
  if (!isValidEndpointName(name)) {
    throw new StoreError(
      "invalid_name",
      "an endpoint name is 1-63 characters of a-z 0-9 and '-', not starting or ending with '-'",
      { field },
    );
  }
}
