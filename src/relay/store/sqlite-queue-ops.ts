/**
 * The operator's side of the SQLite queue (`hooktap relay queue`): every endpoint's requests
 * listed and counted, failed ones put back, any deleted, while a relay may be delivering from
 * the same file. Changes are IMMEDIATE transactions that check everything before they write, so
 * a bad id changes nothing, and they bump the store's revision so the relay notices.
 */
import type { Database, Statement } from "better-sqlite3";
import { StoreError } from "./errors.js";
import type { RelayStore } from "./relay-store.js";
import { SUMMARY_COLUMNS, type SummaryRow, toSummary } from "./sqlite-rows.js";
import type { Statements } from "./sqlite-statements.js";
import type { QueuedRequestSummary } from "./types.js";
import {
  type CheckedFilter,
  type CheckedSelection,
  checkListRequests,
  checkRequestFilter,
  checkSelection,
} from "./validate.js";

type Operations = Pick<
  RelayStore,
  "listRequests" | "countRequests" | "retryRequests" | "dropRequests"
>;

/** What the operations need of the store they belong to. */
export interface QueueOperationsContext {
  /** Runs `work` on the open database, turning SQLite's errors into `StoreError`s. */
  use: <T>(work: (statements: Statements) => T) => T;
  now: () => number;
}

type Row = SummaryRow & { seq: number };

/**
 * What a retry sets: pending, due now, a fresh window of the first's length, and attempts
 * counted from nothing again (the failure they led to is what the operator just dealt with).
 */
const RETRY_SET = `state = 'pending', next_attempt_at = @now, expires_at = @now + ttl_ms,
  failed_at = NULL, attempts = 0, last_attempt_at = NULL, last_error = NULL, last_status = NULL`;

/**
 * The four operations over `db`, for `createSqliteRelayStore` to include.
 *
 * @example
 * const ops = createQueueOperations(db, { use, now });
 * await ops.retryRequests({ failed: true, endpoint: "okta-dev" });
 */
export function createQueueOperations(
  db: Database,
  { use, now }: QueueOperationsContext,
): Operations {
  const cache = new Map<string, Statement>();
  const prepared = (source: string): Statement => {
    let statement = cache.get(source);
    if (statement === undefined) {
      statement = db.prepare(source);
      cache.set(source, statement);
    }
    return statement;
  };
  const where = (filter: CheckedFilter, extra: string[] = []): string => {
    const terms = [...extra];
    if (filter.endpoint !== null) terms.push("endpoint = @endpoint");
    if (filter.state !== null) terms.push("state = @state");
    return terms.length === 0 ? "" : `WHERE ${terms.join(" AND ")}`;
  };
  const assertReserved = (s: Statements, endpoint: string | null): void => {
    if (endpoint !== null && s.endpointByName.get(endpoint) === undefined) {
      throw new StoreError("not_found", `endpoint ${endpoint} is not reserved`, {
        field: "endpoint",
      });
    }
  };
  const inOrder = (rows: Row[]): QueuedRequestSummary[] =>
    rows.sort((a, b) => a.seq - b.seq).map(toSummary);

  /** The requests `selection` names, checked: every id exists (on the endpoint, if given). */
  const select = (s: Statements, { ids, endpoint }: CheckedSelection, failedOnly: boolean) => {
    assertReserved(s, endpoint);
    if (ids === null) {
      const filter = { endpoint, state: "failed" as const };
      return prepared(`SELECT seq, ${SUMMARY_COLUMNS} FROM queue ${where(filter)}`).all(
        params(filter),
      ) as Row[];
    }
    const byId = prepared(`SELECT seq, ${SUMMARY_COLUMNS} FROM queue WHERE id = ?`);
    return ids.map((id) => {
      const row = byId.get(id) as Row | undefined;
      if (row === undefined || (endpoint !== null && row.endpoint !== endpoint)) {
        const where = endpoint === null ? "" : ` on endpoint ${endpoint}`;
        throw new StoreError("not_found", `no queued request ${id}${where}`, { field: "ids" });
      }
      if (failedOnly && row.state !== "failed") {
        throw new StoreError("invalid_state", `queued request ${id} is ${row.state}, not failed`, {
          field: "ids",
        });
      }
      return row;
    });
  };

  const retry = db.transaction((s: Statements, selection: CheckedSelection) => {
    const rows = select(s, selection, true);
    const update = prepared(`UPDATE queue SET ${RETRY_SET} WHERE id = @id AND state = 'failed'
       RETURNING seq, ${SUMMARY_COLUMNS}`);
    const at = now();
    const retried = rows.map((row) => update.get({ id: row.id, now: at }) as Row);
    if (retried.length > 0) s.bumpRevision.run();
    return inOrder(retried);
  });

  const drop = db.transaction((s: Statements, selection: CheckedSelection) => {
    const rows = select(s, selection, false);
    const remove = prepared("DELETE FROM queue WHERE id = ?");
    for (const row of rows) remove.run(row.id);
    if (rows.length > 0) s.bumpRevision.run();
    return inOrder(rows);
  });

  return {
    async listRequests(options) {
      const { limit, before, ...filter } = checkListRequests(options);
      return use((s) => {
        assertReserved(s, filter.endpoint);
        const extra: string[] = [];
        let cursor: number | null = null;
        if (before !== null) {
          cursor =
            (
              prepared("SELECT seq FROM queue WHERE id = ?").get(before) as
                | { seq: number }
                | undefined
            )?.seq ?? null;
          if (cursor === null) {
            throw new StoreError("not_found", `no queued request ${before}`, { field: "before" });
          }
          extra.push("seq < @cursor");
        }
        const rows = prepared(
          `SELECT ${SUMMARY_COLUMNS} FROM queue ${where(filter, extra)} ORDER BY seq DESC LIMIT @limit`,
        ).all({ ...params(filter), ...(cursor === null ? {} : { cursor }), limit }) as SummaryRow[];
        return rows.map(toSummary);
      });
    },

    async countRequests(options) {
      const filter = checkRequestFilter(options);
      return use((s) => {
        assertReserved(s, filter.endpoint);
        const row = prepared(`SELECT count(*) AS n FROM queue ${where(filter)}`).get(
          params(filter),
        ) as { n: number };
        return row.n;
      });
    },

    async retryRequests(selection) {
      const checked = checkSelection(selection);
      return use((s) => retry.immediate(s, checked));
    },

    async dropRequests(selection) {
      const checked = checkSelection(selection);
      return use((s) => drop.immediate(s, checked));
    },
  };
}

/** The named parameters a filter's WHERE clause uses (better-sqlite3 refuses unused ones). */
function params(filter: CheckedFilter): Record<string, string> {
  return {
    ...(filter.endpoint === null ? {} : { endpoint: filter.endpoint }),
    ...(filter.state === null ? {} : { state: filter.state }),
  };
}
