/**
 * Small checks shared by the exporters: base URLs, and header lines an HTTP client can send.
 */
import { isHttpToken } from "../../http/index.js";
import { CaptureError } from "../errors.js";

/** CR, LF and NUL cannot be sent in a header value (RFC 9110 §5.5). */
export const UNSENDABLE_VALUE = /[\r\n\0]/;

/**
 * Parses a base URL (`http://localhost:3000`, optionally with a path prefix); throws
 * `CaptureError` `invalid_argument` for anything else.
 */
export function parseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CaptureError("invalid_argument", `baseUrl ${JSON.stringify(text)} is not a URL`, {
      field: "baseUrl",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CaptureError(
      "invalid_argument",
      `baseUrl must be http: or https:, not ${url.protocol}`,
      {
        field: "baseUrl",
      },
    );
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new CaptureError(
      "invalid_argument",
      "baseUrl must be scheme, host, port and an optional path prefix (no query, fragment or credentials)",
      { field: "baseUrl" },
    );
  }
  return url;
}

/** `base` + `target`, without doubling the slash between them. */
export function joinUrl(base: URL, target: string): string {
  const prefix = `${base.origin}${base.pathname.replace(/\/+$/, "")}`;
  return target.startsWith("/") ? `${prefix}${target}` : `${prefix}/${target}`;
}

/** Throws `CaptureError` `invalid_exchange` unless the pair is a header line a client can send. */
export function checkHeaderLine(pair: readonly [string, string], field: string): void {
  if (!isHttpToken(pair[0])) {
    throw new CaptureError(
      "invalid_exchange",
      `${field} has an invalid header name ${JSON.stringify(pair[0])}`,
      {
        field,
      },
    );
  }
  if (UNSENDABLE_VALUE.test(pair[1])) {
    throw new CaptureError(
      "invalid_exchange",
      `${field} (${pair[0]}) has CR, LF or NUL in its value`,
      {
        field,
      },
    );
  }
}
