/**
 * The header lists that cross the agent: to the upstream, the received raw pairs in their order
 * and case, with the proxy headers an app behind a reverse proxy expects; back to the relay, the
 * app's pairs as it sent them. Each proxy header is edited where it stands (a value appended or
 * replaced, the name's case kept) or appended at the end, so every end-to-end line reaches the
 * other side exactly as written (design principle 1).
 *
 * Hop-by-hop headers are the exception (RFC 9110 §7.6.1: an intermediary removes `Connection`
 * and the fields it names): they describe one connection, not the message. The agent's
 * connection to the app is not the public client's, so the client's `Connection: keep-alive`
 * must not reach the app, nor the app's `Connection: close` (which ends the agent's pooled
 * connection to the app) close the public client's connection. `Content-Length` and `Transfer-Encoding`
 * frame the body and always stay. The capture keeps every line as it was received.
 */
import type { RawHeaders } from "../protocol/index.js";
import type { HostHeaderMode } from "./types.js";

/** What {@link upstreamHeaders} needs to know about the request and the upstream. */
export interface UpstreamHeaderInput {
  rawHeaders: RawHeaders;
  /** The public client's address, appended to `X-Forwarded-For`. */
  remoteAddress: string;
  /** Sent as `X-Forwarded-Proto`. */
  scheme: "http" | "https";
  hostHeader: HostHeaderMode;
  /** The upstream's `host[:port]`, for `rewrite` and for requests that came without `Host`. */
  upstreamHost: string;
}

/**
 * The headers for `http.request`, as a flat `[name, value, name, value, …]` array: Node sends
 * such an array as it is (case, order, repeats), which a header object could not.
 *
 * - hop-by-hop fields: dropped ({@link withoutHopByHop}); Node adds its own `Connection`.
 * - `Host`: kept (`preserve`) or its value set to the upstream's (`rewrite`); added when absent.
 * - `X-Forwarded-For`: the client's address appended to the last such line (`a, b` → `a, b, c`),
 *   as a chain of proxies does; added when absent.
 * - `X-Forwarded-Proto` / `X-Forwarded-Host`: set to what the relay saw (the scheme, the
 *   original `Host`), replacing a value the sender supplied: the app trusts its one proxy, so
 *   a client must not choose them.
 *
 * @example
 * upstreamHeaders({
 *   rawHeaders: [["Host", "relay.example"], ["Content-Type", "application/json"]],
 *   remoteAddress: "203.0.113.7", scheme: "https", hostHeader: "preserve", upstreamHost: "127.0.0.1:3000",
 * });
 * // ["Host", "relay.example", "Content-Type", "application/json", "X-Forwarded-For", "203.0.113.7",
 * //  "X-Forwarded-Proto", "https", "X-Forwarded-Host", "relay.example"]
 */
export function upstreamHeaders(input: UpstreamHeaderInput): string[] {
  const pairs: [string, string][] = withoutHopByHop(input.rawHeaders).map(([name, value]) => [
    name,
    value,
  ]);
  const hostIndex = indexOf(pairs, "host");
  const originalHost = hostIndex === -1 ? null : (pairs[hostIndex]?.[1] ?? null);
  const hostPair = hostIndex === -1 ? undefined : pairs[hostIndex];
  if (hostPair === undefined) pairs.push(["Host", input.upstreamHost]);
  else if (input.hostHeader === "rewrite") hostPair[1] = input.upstreamHost;

  if (input.remoteAddress !== "") {
    const forIndex = lastIndexOf(pairs, "x-forwarded-for");
    const forPair = forIndex === -1 ? undefined : pairs[forIndex];
    if (forPair === undefined) pairs.push(["X-Forwarded-For", input.remoteAddress]);
    else
      forPair[1] =
        forPair[1].trim() === "" ? input.remoteAddress : `${forPair[1]}, ${input.remoteAddress}`;
  }
  const edited = setSingle(pairs, "X-Forwarded-Proto", input.scheme);
  const final = setSingle(edited, "X-Forwarded-Host", originalHost);
  return final.flat();
}

function indexOf(pairs: [string, string][], lowerName: string): number {
  return pairs.findIndex(([name]) => name.toLowerCase() === lowerName);
}

function lastIndexOf(pairs: [string, string][], lowerName: string): number {
  for (let i = pairs.length - 1; i >= 0; i--) {
    if (pairs[i]?.[0].toLowerCase() === lowerName) return i;
  }
  return -1;
}

/**
 * Sets `name` to `value` on its first line (dropping any repeat), or appends it; with a null
 * value every line of `name` goes.
 */
function setSingle(
  pairs: [string, string][],
  name: string,
  value: string | null,
): [string, string][] {
  const lower = name.toLowerCase();
  let seen = false;
  const out: [string, string][] = [];
  for (const pair of pairs) {
    if (pair[0].toLowerCase() !== lower) {
      out.push(pair);
    } else if (!seen && value !== null) {
      seen = true;
      out.push([pair[0], value]);
    }
  }
  if (!seen && value !== null) out.push([name, value]);
  return out;
}

/** Fields that always describe one connection (RFC 9110 §7.6.1, plus the legacy `Proxy-Connection`). */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "upgrade"];
/** Framing: never dropped, even when `Connection` names it. */
const FRAMING = new Set(["content-length", "transfer-encoding"]);

/**
 * The pairs without hop-by-hop fields: `Connection`, the fields it names, `Keep-Alive`,
 * `Proxy-Connection`, `TE` and `Upgrade`. Everything else keeps its place, case and repeats.
 *
 * @example
 * withoutHopByHop([["Connection", "close, X-Hop"], ["X-Hop", "1"], ["X-App", "2"]]);
 * // [["X-App", "2"]]
 */
export function withoutHopByHop(pairs: RawHeaders): RawHeaders {
  const drop = new Set(HOP_BY_HOP);
  for (const [name, value] of pairs) {
    if (name.toLowerCase() !== "connection") continue;
    for (const option of value.split(",")) {
      const token = option.trim().toLowerCase();
      if (token !== "" && !FRAMING.has(token)) drop.add(token);
    }
  }
  const kept = pairs.filter(([name]) => !drop.has(name.toLowerCase()));
  return kept.length === pairs.length ? pairs : kept;
}
