/**
 * HTTP syntax every component checks the same way: RFC 9110 §5.6.2 `token`, what a method and
 * a header name are made of. One pattern, so that a name the inspector accepts in a filter,
 * the agent accepts in `--require-header` and the relay accepts in a frame are the same names.
 */

/** RFC 9110 §5.6.2 `token`: one or more of `!#$%&'*+-.^_`|~`, digits and ASCII letters. */
export const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * True when `value` is a string that is an HTTP token (a method, a header name).
 *
 * @example
 * isHttpToken("X-Okta-Verification-Challenge"); // true
 * isHttpToken("Bad Name");                      // false
 */
export function isHttpToken(value: unknown): value is string {
  return typeof value === "string" && HTTP_TOKEN.test(value);
}
