/**
 * The embedded relay store: one SQLite file (better-sqlite3, WAL) per relay. better-sqlite3 is
 * synchronous, so each method runs to completion inside one event-loop turn and is atomic
 * within the process; write transactions that read first are IMMEDIATE, so they are atomic
 * across processes sharing the file as well.
 */
import type { Database } from "better-sqlite3";
import type { Logger } from "../../log/index.js";
import type { EdgePolicy } from "../../protocol/index.js";
import { StoreError } from "./errors.js";
import { createIdGenerator } from "./ids.js";
import { assertEndpointName, assertTokenName, isValidEndpointName } from "./names.js";
import type { RelayStore, ReserveResult } from "./relay-store.js";
import { isUniqueViolation, toStoreError } from "./sqlite-errors.js";
import { createQueueOperations } from "./sqlite-queue-ops.js";
import { encodeRawHeaders, toAgentToken, toQueuedRequest, toReservation } from "./sqlite-rows.js";
import {
  type InsertRequestParams,
  prepareStatements,
  type Statements,
} from "./sqlite-statements.js";
import { generateTokenSecret, hashTokenSecret, looksLikeTokenSecret } from "./token-secret.js";
import {
  assertStatus,
  assertString,
  assertTime,
  checkAttempt,
  checkEnqueue,
  checkHistory,
  checkPending,
  checkPolicy,
  clipError,
} from "./validate.js";

/** What a SQLite store needs besides its database. */
export interface SqliteStoreContext {
  path: string;
  logger: Logger;
  now: () => number;
}

/**
 * The {@link RelayStore} over `db`, an open database already migrated and configured by
 * `openSqliteRelayStore` (the only caller). `close()` closes `db`.
 *
 * @example
 * const store = createSqliteRelayStore(db, { path, logger, now: Date.now });
 */
export function createSqliteRelayStore(
  db: Database,
  { path, logger, now }: SqliteStoreContext,
): RelayStore {
  const sql = prepareStatements(db);
  const tokenIds = createIdGenerator("tok_", { now, floor: sql.maxTokenId.get()?.id ?? null });
  const requestIds = createIdGenerator("req_", { now, floor: sql.maxRequestId.get()?.id ?? null });
  let closed = false;

  /** Runs `work` on the open database, turning SQLite's errors into `StoreError`s. */
  const use = <T>(work: (statements: Statements) => T): T => {
    if (closed) throw new StoreError("closed", `relay store ${path} is closed`);
    try {
      return work(sql);
    } catch (error) {
      throw toStoreError(error, path);
    }
  };

  const notPending = (id: string): StoreError => {
    const row = sql.requestState.get(id);
    return row === undefined
      ? new StoreError("not_found", `no queued request ${id}`, { field: "id" })
      : new StoreError("invalid_state", `queued request ${id} is ${row.state}, not pending`, {
          field: "id",
        });
  };

  const reserve = db.transaction((name: string, tokenId: string): ReserveResult => {
    const token = sql.tokenById.get(tokenId);
    if (token === undefined) {
      throw new StoreError("not_found", `no token ${tokenId}`, { field: "tokenId" });
    }
    if (token.revoked_at !== null) {
      throw new StoreError("token_revoked", `token ${tokenId} is revoked`, { field: "tokenId" });
    }
    if (sql.insertEndpoint.run(name, tokenId, now()).changes === 1) return "reserved";
    return sql.endpointByName.get(name)?.token_id === tokenId ? "owned" : "taken";
  });

  const release = db.transaction((name: string, tokenId: string): boolean => {
    if (sql.endpointByName.get(name)?.token_id !== tokenId) return false;
    sql.deleteRequestsOf.run(name);
    sql.deleteEndpoint.run(name, tokenId);
    return true;
  });

  const revoke = db.transaction((idOrName: string) => {
    const at = now();
    const row = idOrName.startsWith("tok_")
      ? sql.revokeById.get(at, idOrName)
      : sql.revokeByName.get(at, idOrName);
    if (row !== undefined) {
      sql.bumpRevision.run();
      return row;
    }
    // Revoking a revoked token by id changes nothing (and bumps nothing).
    return idOrName.startsWith("tok_") ? sql.tokenById.get(idOrName) : undefined;
  });

  const insert = db.transaction((params: InsertRequestParams) => {
    if (sql.endpointByName.get(params.endpoint) === undefined) {
      throw new StoreError("not_found", `endpoint ${params.endpoint} is not reserved`, {
        field: "endpoint",
      });
    }
    const row = sql.insertRequest.get(params);
    if (row === undefined) throw new Error("INSERT … RETURNING returned no row");
    return row;
  });

  return {
    ...createQueueOperations(db, { use, now }),

    async createToken(name) {
      assertTokenName(name);
      return use((s) => {
        const secret = generateTokenSecret();
        const token = {
          id: tokenIds.next(),
          name,
          createdAt: now(),
          lastUsedAt: null,
          revokedAt: null,
        };
        try {
          s.insertToken.run(token.id, name, hashTokenSecret(secret), token.createdAt);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          throw new StoreError("name_taken", `a token named ${name} exists`, { field: "name" });
        }
        return { token, secret };
      });
    },

    async listTokens() {
      return use((s) => s.listTokens.all().map(toAgentToken));
    },

    async revokeToken(idOrName) {
      assertString(idOrName, "idOrName");
      return use(() => {
        const row = revoke.immediate(idOrName);
        if (row === undefined) {
          throw new StoreError("not_found", `no token ${idOrName}`, { field: "idOrName" });
        }
        return toAgentToken(row);
      });
    },

    async getToken(id) {
      assertString(id, "id");
      return use((s) => {
        const row = s.tokenById.get(id);
        return row === undefined ? null : toAgentToken(row);
      });
    },

    async revision() {
      return use((s) => s.revision.get()?.n ?? 0);
    },

    async authenticate(secret) {
      if (!looksLikeTokenSecret(secret)) return use(() => null);
      return use((s) => {
        const row = s.authenticate.get(now(), hashTokenSecret(secret));
        return row === undefined ? null : toAgentToken(row);
      });
    },

    async reserveEndpoint(name, tokenId) {
      assertEndpointName(name, "name");
      assertString(tokenId, "tokenId");
      return use(() => reserve.immediate(name, tokenId));
    },

    async endpointOwner(name) {
      assertString(name, "name");
      return use((s) => {
        const row = isValidEndpointName(name) ? s.endpointByName.get(name) : undefined;
        return row === undefined ? null : toReservation(row);
      });
    },

    async listEndpoints(tokenId) {
      if (tokenId !== undefined) assertString(tokenId, "tokenId");
      return use((s) =>
        (tokenId === undefined ? s.listEndpoints.all() : s.listEndpointsOf.all(tokenId)).map(
          toReservation,
        ),
      );
    },

    async releaseEndpoint(name, tokenId) {
      assertString(name, "name");
      assertString(tokenId, "tokenId");
      return use(() => release.immediate(name, tokenId));
    },

    async setEndpointPolicy(name, policy) {
      assertString(name, "name");
      const json = JSON.stringify(checkPolicy(policy));
      return use((s) => {
        if (s.setPolicy.run(json, name).changes === 0) {
          throw new StoreError("not_found", `endpoint ${name} is not reserved`, { field: "name" });
        }
      });
    },

    async endpointPolicy(name) {
      assertString(name, "name");
      const text = use((s) => s.policyOf.get(name)?.policy ?? null);
      return text === null ? null : parsePolicy(text, name, logger);
    },

    async enqueue(request, options) {
      const ttlMs = checkEnqueue(request, options);
      const expiresAt = request.receivedAt + ttlMs;
      assertTime(expiresAt, "ttlMs");
      return use(() => {
        const row = insert.immediate({
          id: requestIds.next(),
          endpoint: request.endpoint,
          method: request.method,
          target: request.target,
          httpVersion: request.httpVersion,
          rawHeaders: encodeRawHeaders(request.rawHeaders),
          body: request.body,
          remoteAddress: request.remoteAddress,
          receivedAt: request.receivedAt,
          expiresAt,
          ttlMs,
        });
        return toQueuedRequest(row);
      });
    },

    async nextDue(endpoint, at) {
      assertString(endpoint, "endpoint");
      assertTime(at, "now");
      return use((s) => {
        const row = s.head.get(endpoint);
        return row === undefined || row.next_attempt_at > at ? null : toQueuedRequest(row);
      });
    },

    async pending(endpoint, options) {
      assertString(endpoint, "endpoint");
      const limit = checkPending(options) ?? -1;
      return use((s) => s.pending.all(endpoint, limit).map(toQueuedRequest));
    },

    async countPending(endpoint) {
      assertString(endpoint, "endpoint");
      return use((s) => s.countPending.get(endpoint)?.n ?? 0);
    },

    async recordAttempt(id, attempt) {
      assertString(id, "id");
      const error = checkAttempt(attempt);
      return use((s) => {
        const at = attempt.at ?? now();
        const row = s.recordAttempt.get(
          at,
          attempt.status ?? null,
          error,
          attempt.nextAttemptAt,
          id,
        );
        if (row === undefined) throw notPending(id);
        return toQueuedRequest(row);
      });
    },

    async markDelivered(id, status, at, options) {
      assertString(id, "id");
      assertStatus(status, "status", true);
      assertTime(at, "at");
      const startedAt = options?.attemptStartedAt ?? null;
      if (startedAt !== null) assertTime(startedAt, "attemptStartedAt");
      return use((s) => {
        const row = s.markDelivered.get({ at, status, id, startedAt });
        if (row === undefined) throw notPending(id);
        return toQueuedRequest(row);
      });
    },

    async markFailed(id, reason, at) {
      assertString(id, "id");
      assertString(reason, "reason");
      assertTime(at, "at");
      return use((s) => {
        const row = s.markFailed.get(at, clipError(reason), id);
        if (row === undefined) throw notPending(id);
        return toQueuedRequest(row);
      });
    },

    async expire(at) {
      assertTime(at, "now");
      return use((s) => s.expire.run({ now: at }).changes);
    },

    async pruneDelivered(before) {
      assertTime(before, "before");
      return use((s) => s.pruneDelivered.run({ before }).changes);
    },

    async get(id) {
      assertString(id, "id");
      return use((s) => {
        const row = s.requestById.get(id);
        return row === undefined ? null : toQueuedRequest(row);
      });
    },

    async history(endpoint, options) {
      assertString(endpoint, "endpoint");
      const { limit, before } = checkHistory(options);
      return use((s) => {
        if (before === null) return s.history.all(endpoint, limit).map(toQueuedRequest);
        const cursor = s.seqOf.get(before, endpoint);
        if (cursor === undefined) {
          throw new StoreError("not_found", `no queued request ${before} on ${endpoint}`, {
            field: "before",
          });
        }
        return s.historyBefore.all(endpoint, cursor.seq, limit).map(toQueuedRequest);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      db.close();
      logger.debug("relay store closed", { path });
    },
  } satisfies RelayStore;
}

/** A stored policy, or `null` (logged) when the column holds something this code cannot read. */
function parsePolicy(text: string, name: string, logger: Logger): EdgePolicy | null {
  try {
    return checkPolicy(JSON.parse(text) as EdgePolicy);
  } catch (error) {
    logger.warn("stored edge policy is unreadable; ignoring it", {
      endpoint: name,
      error: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
}
