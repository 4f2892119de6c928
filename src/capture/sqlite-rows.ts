/**
 * Exchange ↔ SQLite row mapping. Headers are JSON text of the pair array; body bytes live in the
 * `bodies` table (see sqlite-schema.ts) and are passed in and out separately.
 */
import type { Exchange, ExchangeOrigin, RawHeaders } from "./types.js";
import { storedBytesOf } from "./validate.js";

/** A row of `exchanges` as better-sqlite3 returns it. */
export interface ExchangeRow {
  seq: number;
  id: string;
  endpoint: string;
  origin: string;
  remote_address: string | null;
  method: string;
  target: string;
  http_version: string;
  request_headers: string;
  request_body_size: number;
  request_body_truncated: number;
  status: number | null;
  status_message: string | null;
  response_headers: string | null;
  response_body_size: number | null;
  response_body_truncated: number | null;
  error_code: string | null;
  error_message: string | null;
  received_at: number;
  forwarded_at: number | null;
  first_byte_at: number | null;
  done_at: number | null;
  parent_id: string | null;
  queue_id: string | null;
  stored_bytes: number;
}

/** The named parameters of the insert and update statements. */
export type ExchangeParams = Omit<ExchangeRow, "seq">;

/** Every column but `seq`, in schema order: the insert's column list. */
export const EXCHANGE_COLUMNS: readonly (keyof ExchangeParams)[] = [
  "id",
  "endpoint",
  "origin",
  "remote_address",
  "method",
  "target",
  "http_version",
  "request_headers",
  "request_body_size",
  "request_body_truncated",
  "status",
  "status_message",
  "response_headers",
  "response_body_size",
  "response_body_truncated",
  "error_code",
  "error_message",
  "received_at",
  "forwarded_at",
  "first_byte_at",
  "done_at",
  "parent_id",
  "queue_id",
  "stored_bytes",
];

/** The row of an exchange (without its body bytes). */
export function toParams(x: Exchange): ExchangeParams {
  const res = x.response;
  return {
    id: x.id,
    endpoint: x.endpoint,
    origin: x.origin,
    remote_address: x.remoteAddress,
    method: x.request.method,
    target: x.request.target,
    http_version: x.request.httpVersion,
    request_headers: JSON.stringify(x.request.rawHeaders),
    request_body_size: x.request.body.size,
    request_body_truncated: x.request.body.truncated ? 1 : 0,
    status: res?.status ?? null,
    status_message: res?.statusMessage ?? null,
    response_headers: res === null ? null : JSON.stringify(res.rawHeaders),
    response_body_size: res?.body.size ?? null,
    response_body_truncated: res === null ? null : res.body.truncated ? 1 : 0,
    error_code: x.error?.code ?? null,
    error_message: x.error?.message ?? null,
    received_at: x.timing.receivedAt,
    forwarded_at: x.timing.forwardedAt,
    first_byte_at: x.timing.firstByteAt,
    done_at: x.timing.doneAt,
    parent_id: x.parentId,
    queue_id: x.queueId,
    stored_bytes: storedBytesOf(x),
  };
}

/** Body bytes of one exchange as read from `bodies`; a missing part is an empty body. */
export interface RowBodies {
  request: Uint8Array;
  response: Uint8Array;
}

/** A plain `Uint8Array` view of a driver `Buffer` (no copy), so values compare as the model says. */
export function plainBytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** The exchange of a row and its bodies. */
export function fromRow(row: ExchangeRow, bodies: RowBodies): Exchange {
  return {
    id: row.id,
    endpoint: row.endpoint,
    origin: row.origin as ExchangeOrigin,
    remoteAddress: row.remote_address,
    request: {
      method: row.method,
      target: row.target,
      httpVersion: row.http_version,
      rawHeaders: JSON.parse(row.request_headers) as RawHeaders,
      body: {
        bytes: bodies.request,
        size: row.request_body_size,
        truncated: row.request_body_truncated === 1,
      },
    },
    response:
      row.status === null
        ? null
        : {
            status: row.status,
            statusMessage: row.status_message,
            rawHeaders: JSON.parse(row.response_headers ?? "[]") as RawHeaders,
            body: {
              bytes: bodies.response,
              size: row.response_body_size ?? bodies.response.byteLength,
              truncated: row.response_body_truncated === 1,
            },
          },
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? "" },
    timing: {
      receivedAt: row.received_at,
      forwardedAt: row.forwarded_at,
      firstByteAt: row.first_byte_at,
      doneAt: row.done_at,
    },
    parentId: row.parent_id,
    queueId: row.queue_id,
  };
}
