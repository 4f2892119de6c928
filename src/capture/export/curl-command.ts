/**
 * The one `curl` command builder: the sample's banner and `toCurl` both print through it, so
 * quoting and body handling are written once.
 */
import { utf8Text } from "./body-text.js";
import { printfFormat, shellQuote } from "./shell.js";

/** Bodies up to this size, valid printable text, travel inline as `--data-binary '…'`. */
export const INLINE_BODY_MAX_BYTES = 64 * 1024;

/** A request to show as a copy-pasteable command. */
export interface CurlRequest {
  /** Sent with `-X` unless curl picks it by itself (GET without body, POST with one). */
  method: string;
  url: string;
  /** Sent in this order as `-H 'Name: value'`; an empty value as curl's `-H 'Name;'`. */
  headers: readonly (readonly [name: string, value: string])[];
  /** Headers curl would add by itself and must not (`-H 'Name:'` removes them). */
  suppress?: readonly string[];
  /** Further flags, each an argv word (quoted here), e.g. `["--request-target", "*"]`. */
  flags?: readonly string[];
  /** A string is sent as its UTF-8 bytes. */
  body?: string | Uint8Array;
}

/** How to lay out the command. */
export interface CurlFormatOptions {
  /** One argument per line, joined with ` \` line continuations. @default false */
  multiline?: boolean;
}

const ENCODER = new TextEncoder();

/** True when the body can be a single-quoted argument that survives a paste into a terminal. */
function inlineable(text: string, bytes: Uint8Array): boolean {
  if (bytes.byteLength > INLINE_BODY_MAX_BYTES || text.startsWith("@")) return false;
  // Printable text, tabs and line feeds only: a pasted CR or escape sequence is not reliable.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  return !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text);
}

function bodyArgs(body: string | Uint8Array): { pipe: string | null; args: string[] } {
  const bytes = typeof body === "string" ? ENCODER.encode(body) : body;
  const text = typeof body === "string" ? body : utf8Text(body);
  if (text !== null && inlineable(text, bytes)) {
    return { pipe: null, args: [`--data-binary ${shellQuote(text)}`] };
  }
  return { pipe: `printf ${printfFormat(bytes)} |`, args: ["--data-binary @-"] };
}

/**
 * A `curl` command for a POSIX shell; every argument is single-quoted, so bodies, secrets and
 * hostile header values survive the paste unchanged. A body that is binary, starts with `@`
 * (curl would read a file) or is large is piped from `printf` into `--data-binary @-`.
 *
 * @example
 * curlCommand({ method: "GET", url: "http://127.0.0.1:8082/x", headers: [["a", "b"]] });
 * // "curl -i http://127.0.0.1:8082/x -H 'a: b'"
 */
export function curlCommand(request: CurlRequest, options: CurlFormatOptions = {}): string {
  const hasBody = request.body !== undefined;
  const words = ["curl -i"];
  const usual = hasBody ? "POST" : "GET";
  // `-X HEAD` would make curl wait for a body the response announces but never sends.
  if (request.method === "HEAD" && !hasBody) words.push("--head");
  else if (request.method !== usual) words.push(`-X ${shellQuote(request.method)}`);
  words.push(shellQuote(request.url));
  for (const flag of request.flags ?? []) words.push(shellQuote(flag));
  for (const [name, value] of request.headers) {
    words.push(`-H ${shellQuote(value === "" ? `${name};` : `${name}: ${value}`)}`);
  }
  for (const name of request.suppress ?? []) words.push(`-H ${shellQuote(`${name}:`)}`);
  let pipe: string | null = null;
  if (request.body !== undefined) {
    const body = bodyArgs(request.body);
    pipe = body.pipe;
    words.push(...body.args);
  }
  const command = words.join(options.multiline === true ? " \\\n  " : " ");
  return pipe === null ? command : `${pipe} ${command}`;
}
