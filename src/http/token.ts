/**
 * HTTP syntax every component checks the same way: RFC 9110 §5.6.2 `token`, what a method and
 * a header name are made of, and §5.5 field values. One pattern each, so that a name the
 * inspector accepts in a filter, the agent accepts in `--require-header` and the relay accepts
 * in a frame are the same names, and a value one accepts the others do not refuse later.
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

/** RFC 9110 §5.5 field-value characters: HTAB, SP, VCHAR, obs-text; what Node will write. */
export const HTTP_FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * True when `value` is a string Node can write as a header value: no CR, LF, NUL or other
 * control character but HTAB. An empty string is a field value too.
 *
 * @example
 * isHttpFieldValue("Basic c2VjcmV0"); // true
 * isHttpFieldValue("a\u0001b");       // false
 */
export function isHttpFieldValue(value: unknown): value is string {
  return typeof value === "string" && HTTP_FIELD_VALUE.test(value);
}
