/**
 * hooktap's own export format: the Exchange model as JSON, bodies in base64, nothing derived,
 * nothing dropped. The format docs/api.md ("Export formats") describes.
 */
import type {
  CapturedBody,
  CapturedRequest,
  CapturedResponse,
  Exchange,
  ExchangeError,
  ExchangeOrigin,
  ExchangeTiming,
  RawHeaders,
} from "../types.js";
import { toBase64 } from "./body-text.js";

/** The version {@link toHooktapJson} writes and `parseImport` reads (and every lower one). */
export const HOOKTAP_EXPORT_VERSION = 1;

/** A body in a hooktap export: the kept bytes in base64, the wire size, the truncation flag. */
export interface HooktapBodyJson {
  /** Standard base64 with padding of the kept bytes. */
  base64: string;
  size: number;
  truncated: boolean;
}

/** A request in a hooktap export: {@link CapturedRequest} with a {@link HooktapBodyJson} body. */
export interface HooktapRequestJson {
  method: string;
  target: string;
  httpVersion: string;
  rawHeaders: RawHeaders;
  body: HooktapBodyJson;
}

/** A response in a hooktap export: {@link CapturedResponse} with a {@link HooktapBodyJson} body. */
export interface HooktapResponseJson {
  status: number;
  statusMessage: string | null;
  rawHeaders: RawHeaders;
  body: HooktapBodyJson;
}

/** An {@link Exchange} in a hooktap export; every field of the model, bodies in base64. */
export interface HooktapExchangeJson {
  id: string;
  endpoint: string;
  origin: ExchangeOrigin;
  remoteAddress: string | null;
  request: HooktapRequestJson;
  response: HooktapResponseJson | null;
  error: ExchangeError | null;
  timing: ExchangeTiming;
  parentId: string | null;
  queueId: string | null;
}

/** A hooktap export file: `{ "format": "hooktap", "version": 1, "exchanges": [...] }`. */
export interface HooktapExport {
  format: "hooktap";
  version: typeof HOOKTAP_EXPORT_VERSION;
  exchanges: HooktapExchangeJson[];
}

function bodyJson(body: CapturedBody): HooktapBodyJson {
  return { base64: toBase64(body.bytes), size: body.size, truncated: body.truncated };
}

function requestJson(request: CapturedRequest): HooktapRequestJson {
  return {
    method: request.method,
    target: request.target,
    httpVersion: request.httpVersion,
    rawHeaders: request.rawHeaders.map(([n, v]): [string, string] => [n, v]),
    body: bodyJson(request.body),
  };
}

function responseJson(response: CapturedResponse): HooktapResponseJson {
  return {
    status: response.status,
    statusMessage: response.statusMessage,
    rawHeaders: response.rawHeaders.map(([n, v]): [string, string] => [n, v]),
    body: bodyJson(response.body),
  };
}

/**
 * Exchanges as a hooktap export: byte-exact and lossless, so `parseImport` of its JSON gives
 * the same exchanges back (with new ids unless asked otherwise). The value is plain JSON data:
 * `JSON.stringify` it to write a file.
 *
 * @example
 * writeFileSync("fixture.json", JSON.stringify(toHooktapJson([exchange]), null, 2));
 */
export function toHooktapJson(exchanges: readonly Exchange[]): HooktapExport {
  return {
    format: "hooktap",
    version: HOOKTAP_EXPORT_VERSION,
    exchanges: exchanges.map((x) => ({
      id: x.id,
      endpoint: x.endpoint,
      origin: x.origin,
      remoteAddress: x.remoteAddress,
      request: requestJson(x.request),
      response: x.response === null ? null : responseJson(x.response),
      error: x.error === null ? null : { code: x.error.code, message: x.error.message },
      timing: { ...x.timing },
      parentId: x.parentId,
      queueId: x.queueId,
    })),
  };
}
