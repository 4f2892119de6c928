/**
 * Reads HAR 1.1 and 1.2 (browsers, ngrok, Charles, Postman, and hooktap's own `toHar`) into
 * exchanges. An entry's `_hooktap` field, when present, restores what HAR cannot say; without
 * it, an entry becomes a `live` exchange of the endpoint given to `parseImport`.
 */
import type {
  CapturedBody,
  CapturedResponse,
  Exchange,
  ExchangeTiming,
  RawHeaders,
} from "../types.js";
import { fromBase64, utf8Bytes } from "./body-text.js";
import type { FieldReader } from "./import-fields.js";

/** What HAR entries become when they carry no `_hooktap` field. */
export interface HarDefaults {
  endpoint: string;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** `HTTP/1.1` → `1.1`, `h2` → `2.0`; anything unknown is taken as 1.1. */
function httpVersion(text: unknown): string {
  if (typeof text !== "string") return "1.1";
  const match = /^(?:https?\/)?(\d)(?:\.(\d))?$/i.exec(text.trim());
  if (match !== null) return `${match[1]}.${match[2] ?? "0"}`;
  if (/^h2/i.test(text)) return "2.0";
  if (/^h3/i.test(text)) return "3.0";
  return "1.1";
}

function target(r: FieldReader, url: string, field: string): string {
  const noFragment = url.split("#")[0] ?? "";
  if (noFragment.startsWith("/")) return noFragment;
  const authority = ABSOLUTE.exec(noFragment);
  if (authority === null)
    return r.fail(
      field,
      `must be an absolute URL or a path, not ${JSON.stringify(url.slice(0, 80))}`,
    );
  const rest = noFragment.slice(authority[0].length);
  return rest === "" ? "/" : rest.startsWith("/") ? rest : `/${rest}`;
}

/** HAR headers in order; HTTP/2 pseudo-headers dropped, `:authority` kept as Host. */
function headers(r: FieldReader, value: unknown, field: string): RawHeaders {
  const out: RawHeaders = [];
  let authority: string | undefined;
  r.array(value, field).forEach((h, i) => {
    const o = r.object(h, `${field}[${i}]`);
    const name = r.string(o.name, `${field}[${i}].name`);
    if (name.startsWith(":")) {
      if (name === ":authority") authority = r.string(o.value, `${field}[${i}].value`);
      return;
    }
    out.push(r.headerLine(name, o.value, `${field}[${i}].name`, `${field}[${i}].value`));
  });
  if (authority !== undefined && !out.some(([n]) => n.toLowerCase() === "host")) {
    out.unshift(["host", authority]);
  }
  return out;
}

function decode(r: FieldReader, text: string, base64: boolean, field: string): Uint8Array {
  if (!base64) return utf8Bytes(text);
  return fromBase64(text) ?? r.fail(field, "is marked base64 but is not standard padded base64");
}

function sized(bytes: Uint8Array, size: unknown, truncated: boolean): CapturedBody {
  return truncated && typeof size === "number" && size > bytes.byteLength
    ? { bytes, size, truncated: true }
    : { bytes, size: bytes.byteLength, truncated: false };
}

function requestBody(
  r: FieldReader,
  request: Record<string, unknown>,
  hooktap: Record<string, unknown> | null,
  field: string,
): CapturedBody {
  if (request.postData === undefined) return sized(new Uint8Array(0), 0, false);
  const post = r.object(request.postData, `${field}.postData`);
  const base64 = hooktap?.bodyEncoding === "base64" || post.encoding === "base64";
  let bytes: Uint8Array;
  if (post.text !== undefined) {
    bytes = decode(
      r,
      r.string(post.text, `${field}.postData.text`),
      base64,
      `${field}.postData.text`,
    );
  } else {
    const params = r.array(post.params ?? [], `${field}.postData.params`).map((p, i) => {
      const o = r.object(p, `${field}.postData.params[${i}]`);
      const name = r.string(o.name, `${field}.postData.params[${i}].name`);
      const value =
        o.value === undefined ? "" : r.string(o.value, `${field}.postData.params[${i}].value`);
      return `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
    });
    bytes = utf8Bytes(params.join("&"));
  }
  return sized(bytes, request.bodySize, hooktap?.bodyTruncated === true);
}

function response(
  r: FieldReader,
  value: unknown,
  hooktap: Record<string, unknown> | null,
  field: string,
): CapturedResponse | null {
  const o = r.object(value, field);
  const status = r.number(o.status, `${field}.status`);
  if (status === 0) return null; // how browsers write a request that got no response
  const content = o.content === undefined ? {} : r.object(o.content, `${field}.content`);
  const encoding = content.encoding;
  if (encoding !== undefined && encoding !== "base64" && encoding !== "") {
    r.fail(
      `${field}.content.encoding`,
      `must be "base64" when present, not ${JSON.stringify(encoding)}`,
    );
  }
  let body: CapturedBody;
  if (content.text === undefined) {
    // A reader that dropped the text (browsers do for large or binary responses): say so.
    const size = typeof content.size === "number" && content.size > 0 ? content.size : 0;
    body = { bytes: new Uint8Array(0), size, truncated: size > 0 };
  } else {
    const text = r.string(content.text, `${field}.content.text`);
    body = sized(
      decode(r, text, encoding === "base64", `${field}.content.text`),
      content.size,
      hooktap?.bodyTruncated === true,
    );
  }
  const statusText =
    o.statusText === undefined ? "" : r.string(o.statusText, `${field}.statusText`);
  return {
    status,
    statusMessage:
      hooktap !== null && "statusMessage" in hooktap
        ? (hooktap.statusMessage as string | null)
        : statusText === ""
          ? null
          : statusText,
    rawHeaders: headers(r, o.headers ?? [], `${field}.headers`),
    body,
  };
}

/** Instants from `startedDateTime` and the HAR phases, when no `_hooktap.timing` says better. */
function timing(
  r: FieldReader,
  entry: Record<string, unknown>,
  hasResponse: boolean,
  field: string,
): ExchangeTiming {
  const started = r.string(entry.startedDateTime, `${field}.startedDateTime`);
  const receivedAt = Date.parse(started);
  if (Number.isNaN(receivedAt))
    r.fail(
      `${field}.startedDateTime`,
      `is not an ISO 8601 date: ${JSON.stringify(started.slice(0, 40))}`,
    );
  const t = entry.timings === undefined ? {} : r.object(entry.timings, `${field}.timings`);
  const phase = (name: string): number =>
    typeof t[name] === "number" && (t[name] as number) > 0 ? (t[name] as number) : 0;
  const forwardedAt = receivedAt + phase("blocked") + phase("dns") + phase("connect");
  if (!hasResponse) return { receivedAt, forwardedAt, firstByteAt: null, doneAt: null };
  const firstByteAt = forwardedAt + phase("send") + phase("wait");
  return { receivedAt, forwardedAt, firstByteAt, doneAt: firstByteAt + phase("receive") };
}

/** Reads `log.entries[i]` (its `_hooktap` included) into an exchange with the file's ids. */
export function readHarEntry(
  r: FieldReader,
  value: unknown,
  field: string,
  defaults: HarDefaults,
  id: string,
): Exchange {
  const entry = r.object(value, field);
  const hooktap =
    entry._hooktap === undefined ? null : r.object(entry._hooktap, `${field}._hooktap`);
  const hRequest =
    hooktap?.request === undefined ? null : r.object(hooktap.request, `${field}._hooktap.request`);
  const hResponse =
    hooktap === null || hooktap.response === undefined || hooktap.response === null
      ? null
      : r.object(hooktap.response, `${field}._hooktap.response`);
  const request = r.object(entry.request, `${field}.request`);
  const url = r.string(request.url, `${field}.request.url`);
  const res = response(r, entry.response, hResponse, `${field}.response`);
  const candidate = {
    id: hooktap?.id ?? id,
    endpoint: hooktap?.endpoint ?? defaults.endpoint,
    origin: hooktap?.origin ?? "live",
    remoteAddress: hooktap?.remoteAddress ?? null,
    request: {
      method: r.string(request.method, `${field}.request.method`),
      target: hRequest?.target ?? target(r, url, `${field}.request.url`),
      httpVersion: hRequest?.httpVersion ?? httpVersion(request.httpVersion),
      rawHeaders: headers(r, request.headers ?? [], `${field}.request.headers`),
      body: requestBody(r, request, hRequest, `${field}.request`),
    },
    response: res,
    error: hooktap?.error ?? null,
    timing: hooktap?.timing ?? timing(r, entry, res !== null, field),
    parentId: hooktap?.parentId ?? null,
    queueId: hooktap?.queueId ?? null,
  };
  const names: Record<string, string> = { "request.target": "request.url" };
  for (const key of [
    "id",
    "endpoint",
    "origin",
    "remoteAddress",
    "error",
    "timing",
    "parentId",
    "queueId",
  ]) {
    if (hooktap !== null && key in hooktap) names[key] = `_hooktap.${key}`;
  }
  if (hRequest !== null) names["request.target"] = "_hooktap.request.target";
  return r.exchange(candidate, field, names);
}
