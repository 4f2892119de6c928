/**
 * The boundary of every store: exchanges and patches are checked field by field and rebuilt from
 * known fields only, with bodies cut to the store's limit. Inside the stores the types are trusted.
 */
import { CaptureError } from "./errors.js";
import {
  type CapturedBody,
  type CapturedRequest,
  type CapturedResponse,
  EXCHANGE_ORIGINS,
  type Exchange,
  type ExchangeError,
  type ExchangeOrigin,
  type ExchangePatch,
  type ExchangeTiming,
  type RawHeaders,
} from "./types.js";

const MAX_ID_CHARS = 128;
const MAX_ENDPOINT_CHARS = 256;
const PATCH_KEYS = new Set(["request", "response", "error", "timing", "remoteAddress", "queueId"]);
const TIMING_PATCH_KEYS = new Set(["forwardedAt", "firstByteAt", "doneAt"]);

function fail(field: string, message: string): never {
  throw new CaptureError("invalid_exchange", `${field} ${message}`, { field });
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(field, "must be an object");
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string, maxChars = Number.POSITIVE_INFINITY): string {
  if (typeof value !== "string") fail(field, "must be a string");
  if (value.length > maxChars) fail(field, `must be at most ${maxChars} characters`);
  return value;
}

function token(value: unknown, field: string, maxChars?: number): string {
  const s = text(value, field, maxChars);
  if (s.length === 0) fail(field, "must not be empty");
  return s;
}

function textOrNull(value: unknown, field: string): string | null {
  return value === null ? null : text(value, field);
}

function time(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(field, "must be a finite number");
  return value;
}

function timeOrNull(value: unknown, field: string): number | null {
  return value === null ? null : time(value, field);
}

function rawHeaders(value: unknown, field: string): RawHeaders {
  if (!Array.isArray(value)) fail(field, "must be an array of [name, value] pairs");
  return value.map((pair: unknown, i): [string, string] => {
    if (!Array.isArray(pair) || pair.length !== 2)
      fail(`${field}[${i}]`, "must be a [name, value] pair");
    return [text(pair[0], `${field}[${i}][0]`), text(pair[1], `${field}[${i}][1]`)];
  });
}

/** Checks a body and cuts it to `limit` bytes (a view, not a copy). */
export function limitBody(value: unknown, field: string, limit: number): CapturedBody {
  const body = record(value, field);
  const bytes = body.bytes;
  if (!(bytes instanceof Uint8Array)) fail(`${field}.bytes`, "must be a Uint8Array");
  const size = body.size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < bytes.byteLength) {
    fail(`${field}.size`, "must be an integer no smaller than bytes.length");
  }
  if (typeof body.truncated !== "boolean" || body.truncated !== size > bytes.byteLength) {
    fail(`${field}.truncated`, "must be true exactly when size > bytes.length");
  }
  if (bytes.byteLength <= limit) return { bytes, size, truncated: body.truncated };
  return { bytes: bytes.subarray(0, limit), size, truncated: true };
}

function request(value: unknown, field: string, limit: number): CapturedRequest {
  const r = record(value, field);
  return {
    method: token(r.method, `${field}.method`),
    target: token(r.target, `${field}.target`),
    httpVersion: token(r.httpVersion, `${field}.httpVersion`),
    rawHeaders: rawHeaders(r.rawHeaders, `${field}.rawHeaders`),
    body: limitBody(r.body, `${field}.body`, limit),
  };
}

function response(value: unknown, field: string, limit: number): CapturedResponse | null {
  if (value === null) return null;
  const r = record(value, field);
  const status = r.status;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 999) {
    fail(`${field}.status`, "must be an integer from 100 to 999");
  }
  return {
    status,
    statusMessage: textOrNull(r.statusMessage, `${field}.statusMessage`),
    rawHeaders: rawHeaders(r.rawHeaders, `${field}.rawHeaders`),
    body: limitBody(r.body, `${field}.body`, limit),
  };
}

function exchangeError(value: unknown, field: string): ExchangeError | null {
  if (value === null) return null;
  const e = record(value, field);
  return { code: token(e.code, `${field}.code`), message: text(e.message, `${field}.message`) };
}

function origin(value: unknown, field: string): ExchangeOrigin {
  const found = EXCHANGE_ORIGINS.find((o) => o === value);
  if (found === undefined) fail(field, `must be one of ${EXCHANGE_ORIGINS.join(", ")}`);
  return found;
}

function timing(value: unknown, field: string): ExchangeTiming {
  const t = record(value, field);
  return {
    receivedAt: time(t.receivedAt, `${field}.receivedAt`),
    forwardedAt: timeOrNull(t.forwardedAt, `${field}.forwardedAt`),
    firstByteAt: timeOrNull(t.firstByteAt, `${field}.firstByteAt`),
    doneAt: timeOrNull(t.doneAt, `${field}.doneAt`),
  };
}

/** Throws unless `value` can be an exchange id. */
function checkId(value: unknown, field = "id"): string {
  return token(value, field, MAX_ID_CHARS);
}

/**
 * Checks an exchange and rebuilds it from known fields, with bodies cut to `limit` bytes.
 * Throws `CaptureError` `invalid_exchange` naming the first bad field.
 */
export function normalizeExchange(value: unknown, limit: number): Exchange {
  const x = record(value, "exchange");
  return {
    id: checkId(x.id),
    endpoint: token(x.endpoint, "endpoint", MAX_ENDPOINT_CHARS),
    origin: origin(x.origin, "origin"),
    remoteAddress: textOrNull(x.remoteAddress, "remoteAddress"),
    request: request(x.request, "request", limit),
    response: response(x.response, "response", limit),
    error: exchangeError(x.error, "error"),
    timing: timing(x.timing, "timing"),
    parentId: x.parentId === null ? null : checkId(x.parentId, "parentId"),
    queueId: textOrNull(x.queueId, "queueId"),
  };
}

/**
 * Checks a patch (only the fields an exchange may change) and rebuilds it, bodies cut to
 * `limit`. Keys that are present with `undefined` are treated as absent.
 */
export function normalizePatch(value: unknown, limit: number): ExchangePatch {
  const p = record(value, "patch");
  for (const key of Object.keys(p)) {
    if (!PATCH_KEYS.has(key)) fail(`patch.${key}`, "cannot be changed after insert");
  }
  const out: ExchangePatch = {};
  if (p.request !== undefined) out.request = request(p.request, "patch.request", limit);
  if (p.response !== undefined) out.response = response(p.response, "patch.response", limit);
  if (p.error !== undefined) out.error = exchangeError(p.error, "patch.error");
  if (p.remoteAddress !== undefined) {
    out.remoteAddress = textOrNull(p.remoteAddress, "patch.remoteAddress");
  }
  if (p.queueId !== undefined) out.queueId = textOrNull(p.queueId, "patch.queueId");
  if (p.timing !== undefined) {
    const t = record(p.timing, "patch.timing");
    const timingOut: NonNullable<ExchangePatch["timing"]> = {};
    for (const [key, v] of Object.entries(t)) {
      if (!TIMING_PATCH_KEYS.has(key))
        fail(`patch.timing.${key}`, "cannot be changed after insert");
      if (v !== undefined) {
        timingOut[key as keyof typeof timingOut] = timeOrNull(v, `patch.timing.${key}`);
      }
    }
    out.timing = timingOut;
  }
  return out;
}

/** The exchange with a normalized patch applied; the inputs are not modified. */
export function applyPatch(current: Exchange, patch: ExchangePatch): Exchange {
  return {
    ...current,
    ...(patch.request !== undefined && { request: patch.request }),
    ...(patch.response !== undefined && { response: patch.response }),
    ...(patch.error !== undefined && { error: patch.error }),
    ...(patch.remoteAddress !== undefined && { remoteAddress: patch.remoteAddress }),
    ...(patch.queueId !== undefined && { queueId: patch.queueId }),
    timing: { ...current.timing, ...patch.timing },
  };
}

/** Stored body bytes of an exchange: what `retention.maxBytes` counts. */
export function storedBytesOf(exchange: Exchange): number {
  return exchange.request.body.bytes.byteLength + (exchange.response?.body.bytes.byteLength ?? 0);
}
