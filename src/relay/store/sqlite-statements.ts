/**
 * Every SQL statement of the SQLite relay store, prepared once when the store opens.
 */
import type { Database, Statement } from "better-sqlite3";
import {
  ENDPOINT_COLUMNS,
  type EndpointRow,
  QUEUE_COLUMNS,
  type QueueRow,
  TOKEN_COLUMNS,
  type TokenRow,
} from "./sqlite-rows.js";
import { MAX_ERROR_CHARS } from "./validate.js";

/** The named parameters of {@link prepareStatements}' `insertRequest`. */
export interface InsertRequestParams {
  id: string;
  endpoint: string;
  method: string;
  target: string;
  httpVersion: string;
  rawHeaders: string;
  body: Uint8Array;
  remoteAddress: string;
  receivedAt: number;
  expiresAt: number;
  ttlMs: number;
}

/** The prepared statements of one open store. */
export interface Statements {
  insertToken: Statement<[string, string, string, number]>;
  listTokens: Statement<[], TokenRow>;
  tokenById: Statement<[string], TokenRow>;
  revokeById: Statement<[number, string], TokenRow>;
  revokeByName: Statement<[number, string], TokenRow>;
  authenticate: Statement<[number, string], TokenRow>;
  maxTokenId: Statement<[], { id: string | null }>;
  revision: Statement<[], { n: number }>;
  bumpRevision: Statement<[]>;
  insertEndpoint: Statement<[string, string, number]>;
  endpointByName: Statement<[string], EndpointRow>;
  listEndpoints: Statement<[], EndpointRow>;
  listEndpointsOf: Statement<[string], EndpointRow>;
  deleteEndpoint: Statement<[string, string]>;
  deleteRequestsOf: Statement<[string]>;
  setPolicy: Statement<[string, string]>;
  policyOf: Statement<[string], { policy: string | null }>;
  insertRequest: Statement<[InsertRequestParams], QueueRow>;
  maxRequestId: Statement<[], { id: string | null }>;
  head: Statement<[string], QueueRow>;
  pending: Statement<[string, number], QueueRow>;
  countPending: Statement<[string], { n: number }>;
  recordAttempt: Statement<[number, number | null, string | null, number, string], QueueRow>;
  markDelivered: Statement<
    [{ at: number; status: number; id: string; startedAt: number | null }],
    QueueRow
  >;
  markFailed: Statement<[number, string, string], QueueRow>;
  expire: Statement<[{ now: number }]>;
  pruneDelivered: Statement<[{ before: number }]>;
  requestById: Statement<[string], QueueRow>;
  requestState: Statement<[string], { state: string }>;
  seqOf: Statement<[string, string], { seq: number }>;
  history: Statement<[string, number], QueueRow>;
  historyBefore: Statement<[string, number, number], QueueRow>;
}

/**
 * Prepares the store's statements on `db` (whose schema must be current).
 *
 * @example
 * const sql = prepareStatements(db);
 * sql.requestById.get(id);
 */
export function prepareStatements(db: Database): Statements {
  const pendingOnly = "state = 'pending'";
  // Parameters are a tuple; a statement with named parameters takes a one-object tuple.
  const prepare = <P extends unknown[], R = unknown>(source: string): Statement<P, R> =>
    db.prepare<P, R>(source);
  return {
    insertToken: prepare<[string, string, string, number]>(
      "INSERT INTO tokens (id, name, secret_hash, created_at) VALUES (?, ?, ?, ?)",
    ),
    listTokens: prepare<[], TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id`,
    ),
    tokenById: prepare<[string], TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`),
    revokeById: prepare<[number, string], TokenRow>(
      `UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
    ),
    revokeByName: prepare<[number, string], TokenRow>(
      `UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
    ),
    authenticate: prepare<[number, string], TokenRow>(
      `UPDATE tokens SET last_used_at = ? WHERE secret_hash = ? AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
    ),
    maxTokenId: prepare<[], { id: string | null }>("SELECT max(id) AS id FROM tokens"),
    revision: prepare<[], { n: number }>("SELECT n FROM revision WHERE id = 1"),
    bumpRevision: prepare<[]>("UPDATE revision SET n = n + 1 WHERE id = 1"),

    insertEndpoint: prepare<[string, string, number]>(
      "INSERT INTO endpoints (name, token_id, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
    ),
    endpointByName: prepare<[string], EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE name = ?`,
    ),
    listEndpoints: prepare<[], EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM endpoints ORDER BY name`,
    ),
    listEndpointsOf: prepare<[string], EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE token_id = ? ORDER BY name`,
    ),
    deleteEndpoint: prepare<[string, string]>(
      "DELETE FROM endpoints WHERE name = ? AND token_id = ?",
    ),
    deleteRequestsOf: prepare<[string]>("DELETE FROM queue WHERE endpoint = ?"),
    setPolicy: prepare<[string, string]>("UPDATE endpoints SET policy = ? WHERE name = ?"),
    policyOf: prepare<[string], { policy: string | null }>(
      "SELECT policy FROM endpoints WHERE name = ?",
    ),

    insertRequest: prepare<[InsertRequestParams], QueueRow>(
      `INSERT INTO queue (id, endpoint, method, target, http_version, raw_headers, body,
         remote_address, received_at, attempts, next_attempt_at, state, expires_at, ttl_ms)
       VALUES (@id, @endpoint, @method, @target, @httpVersion, @rawHeaders, @body,
         @remoteAddress, @receivedAt, 0, @receivedAt, 'pending', @expiresAt, @ttlMs)
       RETURNING ${QUEUE_COLUMNS}`,
    ),
    maxRequestId: prepare<[], { id: string | null }>("SELECT max(id) AS id FROM queue"),
    head: prepare<[string], QueueRow>(
      `SELECT ${QUEUE_COLUMNS} FROM queue WHERE endpoint = ? AND ${pendingOnly} ORDER BY seq LIMIT 1`,
    ),
    pending: prepare<[string, number], QueueRow>(
      `SELECT ${QUEUE_COLUMNS} FROM queue WHERE endpoint = ? AND ${pendingOnly} ORDER BY seq LIMIT ?`,
    ),
    countPending: prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM queue WHERE endpoint = ? AND ${pendingOnly}`,
    ),
    recordAttempt: prepare<[number, number | null, string | null, number, string], QueueRow>(
      `UPDATE queue SET attempts = attempts + 1, last_attempt_at = ?, last_status = ?,
         last_error = ?, next_attempt_at = ?
       WHERE id = ? AND ${pendingOnly} RETURNING ${QUEUE_COLUMNS}`,
    ),
    // Also a request that failed at or after the attempt started and at or after its expiry:
    // only `expire` fails a request then (the worker that gives up on it is the one that
    // would be marking it delivered).
    markDelivered: prepare<
      [{ at: number; status: number; id: string; startedAt: number | null }],
      QueueRow
    >(
      `UPDATE queue SET state = 'delivered', attempts = attempts + 1, last_attempt_at = @at,
         last_status = @status, last_error = NULL, delivered_at = @at, failed_at = NULL
       WHERE id = @id AND (${pendingOnly} OR (@startedAt IS NOT NULL AND state = 'failed'
         AND failed_at >= @startedAt AND failed_at >= expires_at))
       RETURNING ${QUEUE_COLUMNS}`,
    ),
    markFailed: prepare<[number, string, string], QueueRow>(
      `UPDATE queue SET state = 'failed', failed_at = ?, last_error = ?
       WHERE id = ? AND ${pendingOnly} RETURNING ${QUEUE_COLUMNS}`,
    ),
    expire: prepare<[{ now: number }]>(
      `UPDATE queue SET state = 'failed', failed_at = @now,
         last_error = substr('expired after ' || attempts || ' attempt(s)'
           || coalesce('; last error: ' || last_error, ''), 1, ${MAX_ERROR_CHARS})
       WHERE ${pendingOnly} AND expires_at <= @now`,
    ),
    // The partial index queue_delivered_by_time (schema version 5) serves it.
    pruneDelivered: prepare<[{ before: number }]>(
      "DELETE FROM queue WHERE state = 'delivered' AND delivered_at < @before",
    ),
    requestById: prepare<[string], QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM queue WHERE id = ?`),
    requestState: prepare<[string], { state: string }>("SELECT state FROM queue WHERE id = ?"),
    seqOf: prepare<[string, string], { seq: number }>(
      "SELECT seq FROM queue WHERE id = ? AND endpoint = ?",
    ),
    history: prepare<[string, number], QueueRow>(
      `SELECT ${QUEUE_COLUMNS} FROM queue WHERE endpoint = ? ORDER BY seq DESC LIMIT ?`,
    ),
    historyBefore: prepare<[string, number, number], QueueRow>(
      `SELECT ${QUEUE_COLUMNS} FROM queue WHERE endpoint = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
  };
}
