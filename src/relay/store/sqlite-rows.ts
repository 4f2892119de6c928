/**
 * Rows of the relay database as better-sqlite3 returns them, and their conversion to the plain
 * types of `types.ts`. Column lists live here so every statement selects the same shape.
 */
import type {
  AgentToken,
  EndpointReservation,
  QueuedRequest,
  QueuedRequestState,
  QueuedRequestSummary,
} from "./types.js";

/** Columns of `tokens` that make an {@link AgentToken} (the secret hash never leaves SQL). */
export const TOKEN_COLUMNS = "id, name, created_at, last_used_at, revoked_at";

/** Columns of `endpoints`. */
export const ENDPOINT_COLUMNS = "name, token_id, created_at";

/** Columns of `queue` that make a {@link QueuedRequest}. */
export const QUEUE_COLUMNS =
  "id, endpoint, method, target, http_version, raw_headers, body, remote_address, received_at, " +
  "attempts, next_attempt_at, last_attempt_at, last_error, last_status, state, delivered_at, " +
  "failed_at, expires_at";

/** Columns of `queue` that make a {@link QueuedRequestSummary} (the body's size, not its bytes). */
export const SUMMARY_COLUMNS =
  "id, endpoint, method, target, http_version, length(body) AS body_bytes, remote_address, " +
  "received_at, attempts, next_attempt_at, last_attempt_at, last_error, last_status, state, " +
  "delivered_at, failed_at, expires_at";

/** A `tokens` row as selected by {@link TOKEN_COLUMNS}. */
export interface TokenRow {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** An `endpoints` row. */
export interface EndpointRow {
  name: string;
  token_id: string;
  created_at: number;
}

/** A `queue` row as selected by {@link QUEUE_COLUMNS}. */
export interface QueueRow {
  id: string;
  endpoint: string;
  method: string;
  target: string;
  http_version: string;
  raw_headers: string;
  body: Buffer;
  remote_address: string;
  received_at: number;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_error: string | null;
  last_status: number | null;
  state: QueuedRequestState;
  delivered_at: number | null;
  failed_at: number | null;
  expires_at: number;
}

/** A `queue` row as selected by {@link SUMMARY_COLUMNS}. */
export type SummaryRow = Omit<QueueRow, "raw_headers" | "body"> & { body_bytes: number };

/**
 * @example
 * const token = toAgentToken(row);
 */
export function toAgentToken(row: TokenRow): AgentToken {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * @example
 * const reservation = toReservation(row);
 */
export function toReservation(row: EndpointRow): EndpointReservation {
  return { name: row.name, tokenId: row.token_id, createdAt: row.created_at };
}

/**
 * Headers are kept as a JSON array of pairs: it keeps order, case and repeats, and JSON escapes
 * every code unit, so the latin1 strings Node makes of header bytes come back unchanged.
 *
 * @example
 * statement.run(encodeRawHeaders(request.rawHeaders));
 */
export function encodeRawHeaders(rawHeaders: readonly (readonly [string, string])[]): string {
  return JSON.stringify(rawHeaders);
}

/**
 * @example
 * const request = toQueuedRequest(row);
 */
export function toQueuedRequest(row: QueueRow): QueuedRequest {
  const { bodyBytes: _, ...fields } = toSummary({ ...row, body_bytes: row.body.byteLength });
  return {
    ...fields,
    rawHeaders: JSON.parse(row.raw_headers) as [string, string][],
    // A copy, so the caller owns a plain Uint8Array of exactly the body and nothing around it.
    body: new Uint8Array(row.body),
  };
}

/**
 * @example
 * const summary = toSummary(row);
 */
export function toSummary(row: SummaryRow): QueuedRequestSummary {
  return {
    id: row.id,
    endpoint: row.endpoint,
    method: row.method,
    target: row.target,
    httpVersion: row.http_version,
    bodyBytes: row.body_bytes,
    remoteAddress: row.remote_address,
    receivedAt: row.received_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastError: row.last_error,
    lastStatus: row.last_status,
    state: row.state,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
    expiresAt: row.expires_at,
  };
}
