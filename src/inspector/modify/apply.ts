/**
 * `applyModifications`: a captured request and the user's changes → the request to replay.
 */
import type { CapturedRequest, RawHeaders } from "../../capture/index.js";
import { isHttpToken } from "../../http/index.js";
import { ModificationError } from "./errors.js";
import { type HeaderModifications, invalid, modifyHeaders } from "./headers.js";
import { applyJsonEdits, type JsonEdit, parseJsonEdit } from "./json-edit.js";

/** What to change in a request before replaying it. Every field is optional. */
export interface RequestModifications {
  /** A new method (an HTTP token, case kept). */
  method?: string;
  /** A new target: path and query, starting with `/`. */
  path?: string;
  headers?: HeaderModifications;
  /** A new body; a string is sent as UTF-8. JSON edits apply after it. */
  body?: Uint8Array | string;
  /** Edits of the JSON body, parsed or as written (`a.b[0]=value`), applied in order. */
  jsonEdits?: readonly (JsonEdit | string)[];
}

/** Whitespace (controls included) and `#`: a target with them cannot go on a request line. */
const UNSENDABLE_TARGET = /[\s#\p{Cc}]/u;
const UTF8 = new TextDecoder("utf-8", { fatal: true });
const ENCODER = new TextEncoder();

/** Runs `fn`, giving a `ModificationError` without a field this one. */
function withField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof ModificationError) || error.field !== undefined) throw error;
    const path = error.path === undefined ? {} : { path: error.path };
    throw new ModificationError(error.code, error.message, { ...path, field, cause: error.cause });
  }
}

/** The body parsed as JSON, or `not_json` saying why not. */
function parseBody(request: CapturedRequest, bytes: Uint8Array, replaced: boolean): unknown {
  if (!replaced && request.body.truncated) {
    throw new ModificationError(
      "not_json",
      `JSON edits need the whole body, and only ${bytes.byteLength} of its ${request.body.size} bytes were captured`,
    );
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new ModificationError(
      "not_json",
      "JSON edits need a JSON body, and this body is not UTF-8 text",
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    const what = text.trim() === "" ? "empty" : "not JSON";
    throw new ModificationError(
      "not_json",
      `JSON edits need a JSON body, and this body is ${what}`,
    );
  }
}

/** Compact like Okta sends it, or indented like the original when it was pretty-printed. */
function serialize(value: unknown, original: string): string {
  const indent = /^\s*[{[]\r?\n([ \t]+)\S/.exec(original)?.[1];
  const text = indent === undefined ? JSON.stringify(value) : JSON.stringify(value, null, indent);
  return original.endsWith("\n") ? `${text}\n` : text;
}

/**
 * Framing for a changed body: `Content-Length` follows the new size (the first line is updated,
 * repeats are dropped, one is added when there was no framing at all); with
 * `Transfer-Encoding` the body is sent chunked and any `Content-Length` goes (RFC 9112 §6.3:
 * both together is how requests get smuggled). A `Content-Length` the user set or added wins.
 */
function reframe(headers: RawHeaders, size: number, method: string, userSet: boolean): RawHeaders {
  if (userSet) return headers;
  const isLength = (n: string) => n.toLowerCase() === "content-length";
  if (headers.some(([n]) => n.toLowerCase() === "transfer-encoding")) {
    return headers.filter(([n]) => !isLength(n));
  }
  const first = headers.findIndex(([n]) => isLength(n));
  if (first < 0) {
    const bodiless = size === 0 && (method === "GET" || method === "HEAD");
    return bodiless ? headers : [...headers, ["Content-Length", String(size)]];
  }
  return headers
    .filter(([n], i) => i <= first || !isLength(n))
    .map(([n, v], i): [string, string] => (i === first ? [n, String(size)] : [n, v]));
}

/**
 * The request with the modifications applied; `request` itself is never changed. Order: method,
 * path, headers (remove, set, add), body, JSON edits. A changed body is whole
 * (`truncated: false`) and gets matching framing (see `reframe`). JSON edits re-serialise the
 * body: compact (as Okta sends it), or with the original's indentation when it was
 * pretty-printed; key order is kept.
 *
 * Throws `ModificationError`: `invalid_modification` (bad method, path or header; `field`
 * names it), `invalid_edit` (a JSON edit that does not parse), `not_json` (edits on a body that
 * is not JSON or was truncated), `path_not_found` (the edit's path; `path` names it).
 *
 * @example
 * const request = applyModifications(original.request, {
 *   headers: { set: [["Authorization", "Basic …"]] },
 *   jsonEdits: ["data.events[0].target[0].alternateId=jane.doe@example.com"],
 * });
 */
export function applyModifications(
  request: CapturedRequest,
  mods: RequestModifications,
): CapturedRequest {
  const method = mods.method ?? request.method;
  if (!isHttpToken(method))
    throw invalid("method", `must be an HTTP method token, not ${JSON.stringify(method)}`);
  const target = mods.path ?? request.target;
  if (!(target === "*" || (target.startsWith("/") && !UNSENDABLE_TARGET.test(target)))) {
    throw invalid(
      "path",
      `must start with '/' and have no spaces or control characters, not ${JSON.stringify(target)}`,
    );
  }
  let headers =
    mods.headers === undefined
      ? request.rawHeaders.map(([n, v]): [string, string] => [n, v])
      : modifyHeaders(request.rawHeaders, mods.headers);
  const edits = (mods.jsonEdits ?? []).map((e, i) =>
    withField(`jsonEdits[${i}]`, () => (typeof e === "string" ? parseJsonEdit(e) : e)),
  );
  const replaced = mods.body !== undefined;
  let bytes =
    typeof mods.body === "string" ? ENCODER.encode(mods.body) : (mods.body ?? request.body.bytes);
  if (edits.length > 0) {
    const document = parseBody(request, bytes, replaced);
    edits.forEach((edit, i) => {
      withField(`jsonEdits[${i}]`, () => applyJsonEdits(document, [edit]));
    });
    bytes = ENCODER.encode(serialize(document, UTF8.decode(bytes)));
  }
  if (!replaced && edits.length === 0) {
    return { ...request, method, target, rawHeaders: headers, body: { ...request.body } };
  }
  const userSet = [...(mods.headers?.set ?? []), ...(mods.headers?.add ?? [])].some(
    ([n]) => n.toLowerCase() === "content-length",
  );
  headers = reframe(headers, bytes.byteLength, method, userSet);
  return {
    ...request,
    method,
    target,
    rawHeaders: headers,
    body: { bytes, size: bytes.byteLength, truncated: false },
  };
}
