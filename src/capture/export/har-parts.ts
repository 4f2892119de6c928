/**
 * The derived parts of a HAR entry: cookies, query string, form parameters and header sizes.
 * Each is a view computed from the captured lines; the lines themselves stay in `headers`.
 */
import type { Cookie, Header, Param, QueryString } from "har-format";
import type { RawHeaders } from "../types.js";

/** Header pairs as HAR `{name, value}` objects, in wire order with their case. */
export function harHeaders(headers: RawHeaders): Header[] {
  return headers.map(([name, value]) => ({ name, value }));
}

/** `a=1&b=%20` → name/value pairs, decoded as a browser's URLSearchParams would. */
function pairs(text: string): { name: string; value: string }[] {
  return [...new URLSearchParams(text)].map(([name, value]) => ({ name, value }));
}

/** The query of a request target, decoded, in order; empty without `?`. */
export function queryString(target: string): QueryString[] {
  const start = target.indexOf("?");
  if (start < 0) return [];
  const end = target.indexOf("#", start);
  return pairs(target.slice(start + 1, end < 0 ? undefined : end));
}

/** The fields of an `application/x-www-form-urlencoded` body. */
export function formParams(text: string): Param[] {
  return pairs(text);
}

/** Cookies of every `Cookie` line of a request. */
export function requestCookies(headers: RawHeaders): Cookie[] {
  const out: Cookie[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "cookie") continue;
    for (const part of value.split(";")) {
      const eq = part.indexOf("=");
      if (part.trim() === "") continue;
      out.push(
        eq < 0
          ? { name: "", value: part.trim() }
          : { name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() },
      );
    }
  }
  return out;
}

/** Cookies of every `Set-Cookie` line of a response, with the attributes HAR names. */
export function responseCookies(headers: RawHeaders): Cookie[] {
  const out: Cookie[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "set-cookie") continue;
    const [first = "", ...attributes] = value.split(";");
    const eq = first.indexOf("=");
    const cookie: Cookie = {
      name: eq < 0 ? "" : first.slice(0, eq).trim(),
      value: (eq < 0 ? first : first.slice(eq + 1)).trim(),
    };
    for (const attribute of attributes) {
      const [key = "", ...rest] = attribute.split("=");
      const v = rest.join("=").trim();
      const k = key.trim().toLowerCase();
      if (k === "path") cookie.path = v;
      else if (k === "domain") cookie.domain = v;
      else if (k === "expires") cookie.expires = v;
      else if (k === "httponly") cookie.httpOnly = true;
      else if (k === "secure") cookie.secure = true;
    }
    out.push(cookie);
  }
  return out;
}

/**
 * Bytes of a head in HTTP/1.x: the start line, `Name: value` lines and the blank line. Node
 * decodes header bytes as latin1, so string length is byte length. -1 for HTTP/2 and later,
 * whose heads are compressed frames.
 */
export function headSize(startLine: string, headers: RawHeaders, httpVersion: string): number {
  if (!httpVersion.startsWith("1.")) return -1;
  let size = startLine.length + 2 + 2;
  for (const [name, value] of headers) size += name.length + 2 + value.length + 2;
  return size;
}
