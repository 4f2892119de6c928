/**
 * An exchange's request as a `curl` command that sends the same bytes: method, target, header
 * lines in order with their case, body.
 */
import type { Exchange, RawHeaders } from "../types.js";
import { curlCommand } from "./curl-command.js";
import { checkHeaderLine, joinUrl, parseBaseUrl } from "./url.js";

/** Options of {@link toCurl}. */
export interface CurlOptions {
  /** Where to send it, e.g. `http://localhost:3000`; the captured target is appended. */
  baseUrl: string;
}

/** Headers curl adds on its own unless told otherwise; `body` ones only when it sends a body. */
const CURL_DEFAULTS = [
  { name: "User-Agent", body: false },
  { name: "Accept", body: false },
  { name: "Content-Type", body: true },
  { name: "Expect", body: true },
] as const;

/** A target curl's URL parser passes through unchanged: printable ASCII, no fragment. */
const PLAIN_TARGET = /^\/[\x21-\x22\x24-\x7e]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?]|$)/;

function targetFlags(target: string): { path: string; flags: string[] } {
  if (!PLAIN_TARGET.test(target)) return { path: "/", flags: ["--request-target", target] };
  const flags: string[] = [];
  if (DOT_SEGMENT.test(target.split("?")[0] ?? "")) flags.push("--path-as-is");
  if (/[[\]{}]/.test(target)) flags.push("--globoff");
  return { path: target, flags };
}

function headerLines(exchange: Exchange): RawHeaders {
  const { rawHeaders, body } = exchange.request;
  rawHeaders.forEach((pair, i) => {
    checkHeaderLine(pair, `request.rawHeaders[${i}]`);
  });
  if (!body.truncated) return rawHeaders;
  // The bytes we have are all curl can send: announce that many, or the server waits forever.
  return rawHeaders.map(([name, value]): [string, string] =>
    name.toLowerCase() === "content-length" ? [name, String(body.bytes.byteLength)] : [name, value],
  );
}

/**
 * A copy-pasteable `curl` command (POSIX shell) that sends the exchange's request again, byte
 * for byte: the method, the target as captured (`--request-target` when curl's URL parser would
 * alter it), every header line in order with its case (empty values as `Name;`), and the body.
 * Headers curl would add by itself (`User-Agent`, `Accept`, and for a body `Content-Type` and
 * `Expect`) are switched off unless captured. A binary or large body is piped from `printf`
 * into `--data-binary @-`. Two things curl decides: it writes `Host` first, and adds
 * `Content-Length` to a body that had no framing header (an HTTP/2 request). A truncated body
 * is sent as captured, with `Content-Length` adjusted and a `#` comment line saying so; a
 * header value with non-ASCII characters (obs-text, which Node reads as latin1) is sent as
 * UTF-8, with a comment line too.
 *
 * Throws `CaptureError` `invalid_argument` for a `baseUrl` that is not an http(s) URL, and
 * `invalid_exchange` for a header line no HTTP client can send (CR, LF or NUL in it).
 *
 * @example
 * toCurl(exchange, { baseUrl: "http://localhost:3000" });
 * // curl -i \
 * //   http://localhost:3000/userCreated \
 * //   -H 'Host: relay.example' \
 * //   -H 'Content-Type: application/json' \
 * //   -H 'User-Agent:' \
 * //   --data-binary '{"eventType":…}'
 */
export function toCurl(exchange: Exchange, options: CurlOptions): string {
  const base = parseBaseUrl(options.baseUrl);
  const request = exchange.request;
  const headers = headerLines(exchange);
  const { path, flags } = targetFlags(request.target);
  if (request.httpVersion === "1.0") flags.push("--http1.0");
  else if (base.protocol === "https:") flags.push("--http1.1"); // HTTP/2 would lower-case names
  const hasBody = request.body.bytes.byteLength > 0;
  const captured = new Set(headers.map(([name]) => name.toLowerCase()));
  const suppress: string[] = CURL_DEFAULTS.filter(
    (d) => (hasBody || !d.body) && !captured.has(d.name.toLowerCase()),
  ).map((d) => d.name);
  if (!captured.has("host")) suppress.push("Host");
  const command = curlCommand(
    {
      method: request.method,
      url: joinUrl(base, path),
      flags,
      headers,
      suppress,
      ...(hasBody && { body: request.body.bytes }),
    },
    { multiline: true },
  );
  const notes: string[] = [];
  if (request.body.truncated) {
    const { size, bytes } = request.body;
    notes.push(`# request body truncated at capture: sending ${bytes.byteLength} of ${size} bytes`);
  }
  // Node reads header bytes as latin1; a terminal passes the characters on as UTF-8.
  const wide = headers.filter(([, value]) => /[^\p{ASCII}]/u.test(value)).map(([name]) => name);
  if (wide.length > 0) {
    notes.push(`# non-ASCII header values are sent as UTF-8: ${[...new Set(wide)].join(", ")}`);
  }
  return [...notes, command].join("\n");
}
