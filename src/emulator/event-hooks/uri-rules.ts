/**
 * Which `channel.config.uri` Okta accepts (shared spec §1.1, §4): HTTPS, at most 1024
 * characters, no white space. The emulator also accepts `http://` when the host is a loopback
 * or private address (a receiver on this machine or LAN), unless HTTPS is required.
 */
import { isIP } from "node:net";

/** Okta's maximum URI length (legacy reference). */
export const MAX_URI_LENGTH = 1024;

/**
 * Why `uri` cannot be a hook URI, or `undefined` when it can.
 *
 * @example
 * uriProblem("http://localhost:3000/hooks", { requireHttps: false }); // undefined
 * uriProblem("http://example.com/hooks", { requireHttps: false }); // "must use https:// …"
 */
export function uriProblem(uri: string, options: { requireHttps: boolean }): string | undefined {
  if (uri.length === 0) return "The field cannot be left blank";
  if (uri.length > MAX_URI_LENGTH) return `must be at most ${MAX_URI_LENGTH} characters`;
  if (/\s/.test(uri)) return "must not contain white space";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `'${uri}' is not a valid URL`;
  }
  if (url.username !== "" || url.password !== "") {
    return "must not carry credentials; put them in authScheme instead";
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol !== "http:") return `must use https:// (got ${url.protocol}//)`;
  if (options.requireHttps) return "must use https:// (this org requires HTTPS, as Okta does)";
  if (!isLocalHost(url.hostname)) {
    return "must use https://; http:// is accepted only for loopback and private addresses";
  }
  return undefined;
}

/** Loopback names and addresses, and private (RFC 1918, RFC 4193, link-local) addresses. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const family = isIP(host);
  if (family === 4) {
    const [a = 0, b = 0] = host.split(".").map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  if (family === 6) {
    if (host === "::1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped?.[1] !== undefined) return isLocalHost(mapped[1]);
    // WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (hex?.[1] !== undefined && hex[2] !== undefined) {
      const high = Number.parseInt(hex[1], 16);
      const low = Number.parseInt(hex[2], 16);
      return isLocalHost(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return /^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host);
  }
  return false;
}
