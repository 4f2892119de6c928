import type { AuthHeader } from "../receiver/index.js";

/**
 * The credentials of Okta's event hook guides (`admin` / `supersecret`), as the header Okta is
 * told to send: `authorization: Basic YWRtaW46c3VwZXJzZWNyZXQ=`.
 */
export const GUIDE_BASIC_AUTH: Readonly<AuthHeader> = Object.freeze({
  name: "authorization",
  value: "Basic YWRtaW46c3VwZXJzZWNyZXQ=",
});

/**
 * The `authorization` header of HTTP Basic auth (RFC 7617) for a user and password, which is
 * what an Okta admin pastes into the event hook's "Authentication secret" field.
 *
 * @throws {TypeError} when `username` is empty or contains `:` (RFC 7617 forbids it, since the
 * first colon separates the user from the password).
 * @example
 * basicAuthHeader("admin", "supersecret");
 * // { name: "authorization", value: "Basic YWRtaW46c3VwZXJzZWNyZXQ=" }
 */
export function basicAuthHeader(username: string, password: string): AuthHeader {
  if (username === "") throw new TypeError("Basic auth username must not be empty");
  if (username.includes(":")) {
    throw new TypeError("Basic auth username must not contain ':' (RFC 7617)");
  }
  const token = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
  return { name: "authorization", value: `Basic ${token}` };
}
