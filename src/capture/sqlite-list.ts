/**
 * `list` on SQLite: a {@link ResolvedListQuery} as one SELECT over `exchanges`, newest id first,
 * with the same meaning as list-match.ts (the contract suite runs both).
 *
 * Plan: exchanges are walked in id order (the `id` index, or `(endpoint, id)` / `(origin, id)` /
 * `(status, id)` when that filter is given) and every other filter is a predicate on the row, so
 * a page stops after `limit + 1` matches. Derived-index filters are `+seq IN (subquery)`: SQLite
 * runs the subquery once into a set (with a Bloom filter) and the unary `+` keeps it from
 * driving the loop instead, which would sort every match before the LIMIT could apply.
 *
 * Exchanges whose derived index is not written yet (`index_pending`, sqlite-index-queue.ts) pass
 * the derived-index filters in SQL as candidates and are matched here on their bytes, with the
 * memory store's predicate (list-match.ts); candidates that fail are skipped and the walk goes on
 * from the last row seen until the page is full. Pending exchanges are few and the newest.
 */
import type Database from "better-sqlite3";
import { derivedFactsOf, matchesListQuery } from "./list-match.js";
import type { ResolvedListQuery } from "./list-query.js";
import { ftsPhrase } from "./search-text.js";
import { type ExchangeRow, fromRow, type RowBodies } from "./sqlite-rows.js";

type Params = Record<string, string | number>;

interface Clause {
  /** Part of the statement cache key: which clause, not its values. */
  key: string;
  sql: string;
  params: Params;
}

function headerClause(column: string): string {
  return (
    `EXISTS (SELECT 1 FROM json_each(e.${column}) AS h ` +
    "WHERE lower(h.value ->> 0) = @headerName AND instr(lower(h.value ->> 1), @headerValue) > 0)"
  );
}

/** True for an exchange whose derived index is not written yet. */
const PENDING = "+e.seq IN (SELECT exchange_seq FROM index_pending)";

/** Above every exchange id (ids are ASCII): the cursor of a first page. */
const AFTER_EVERY_ID = "\uffff";

/** A row of a list query that uses the derived index. */
type CandidateRow = ExchangeRow & { pending: number };

function usesDerivedIndex(q: ResolvedListQuery): boolean {
  return q.oktaEventType !== null || q.targetUser !== null || q.text !== null;
}

function clausesOf(q: ResolvedListQuery): Clause[] {
  const clauses: Clause[] = [];
  const add = (key: string, sql: string, params: Params = {}): void => {
    clauses.push({ key, sql, params });
  };
  // The walk over pending candidates pages on `before`, so derived-index queries always have it.
  if (q.before !== null || usesDerivedIndex(q)) {
    add("before", "e.id < @before", { before: q.before ?? AFTER_EVERY_ID });
  }
  if (q.endpoint !== null) add("endpoint", "e.endpoint = @endpoint", { endpoint: q.endpoint });
  if (q.origin !== null) add("origin", "e.origin = @origin", { origin: q.origin });
  if (q.parentId !== null) add("parent", "e.parent_id = @parentId", { parentId: q.parentId });
  if (q.method !== null) add("method", "upper(e.method) = @method", { method: q.method });
  if (q.path !== null) {
    add("path", "substr(e.target, 1, @pathLength) = @path", {
      path: q.path,
      pathLength: q.path.length,
    });
  }
  if (q.status !== null) {
    const { min, max } = q.status;
    // One status walks its (status, id) index in order; a class range would need a sort.
    if (min === max) add("status", "e.status = @status", { status: min });
    else
      add("statusClass", "+e.status BETWEEN @statusMin AND @statusMax", {
        statusMin: min,
        statusMax: max,
      });
  }
  if (q.minDurationMs !== null) {
    add("minDuration", "e.done_at - e.received_at >= @minDurationMs", {
      minDurationMs: q.minDurationMs,
    });
  }
  if (q.maxDurationMs !== null) {
    add("maxDuration", "e.done_at - e.received_at <= @maxDurationMs", {
      maxDurationMs: q.maxDurationMs,
    });
  }
  if (q.header !== null) {
    add("header", `(${headerClause("request_headers")} OR ${headerClause("response_headers")})`, {
      headerName: q.header.name,
      headerValue: q.header.value,
    });
  }
  const derived: Clause[] = [];
  if (q.oktaEventType !== null) {
    derived.push({
      key: "eventType",
      sql: "+e.seq IN (SELECT exchange_seq FROM exchange_event_types WHERE event_type = @eventType)",
      params: { eventType: q.oktaEventType },
    });
  }
  if (q.targetUser !== null) {
    derived.push({
      key: "user",
      sql: "+e.seq IN (SELECT exchange_seq FROM exchange_users WHERE user_key = @userKey)",
      params: { userKey: q.targetUser },
    });
  }
  if (q.text !== null) {
    derived.push({
      key: "text",
      sql: "+e.seq IN (SELECT rowid >> 2 FROM exchange_text WHERE exchange_text MATCH @text)",
      params: { text: ftsPhrase(q.text) },
    });
  }
  if (derived.length > 0) {
    // A pending exchange is a candidate whatever its stale index rows say; see the file comment.
    add(
      `derived(${derived.map((c) => c.key).join(",")})`,
      `(${PENDING} OR (${derived.map((c) => c.sql).join(" AND ")}))`,
      Object.assign({}, ...derived.map((c) => c.params)),
    );
  }
  return clauses;
}

/** Runs list queries on one connection, caching one statement per combination of filters. */
export interface SqliteLister {
  /** The rows of a page plus one (so the caller knows whether there is a next page). */
  rows(q: ResolvedListQuery): ExchangeRow[];
}

/**
 * A lister over `db`'s exchanges table; `loadBodies` reads an exchange's bodies (for matching
 * pending candidates).
 *
 * @example
 * const lister = createSqliteLister(db, loadBodies);
 * lister.rows(resolveListQuery({ status: "5xx", limit: 20 }));
 */
export function createSqliteLister(
  db: Database.Database,
  loadBodies: (seq: number) => RowBodies,
): SqliteLister {
  const statements = new Map<string, Database.Statement<Params, CandidateRow>>();

  function statementOf(clauses: Clause[], derived: boolean) {
    const key = clauses.map((c) => c.key).join(",");
    let statement = statements.get(key);
    if (statement === undefined) {
      const where = clauses.length === 0 ? "" : `WHERE ${clauses.map((c) => c.sql).join(" AND ")}`;
      const pending = derived ? `, ${PENDING} AS pending` : "";
      statement = db.prepare<Params, CandidateRow>(
        `SELECT e.*${pending} FROM exchanges AS e ${where} ORDER BY e.id DESC LIMIT @limit`,
      );
      statements.set(key, statement);
    }
    return statement;
  }

  return {
    rows(q) {
      const clauses = clausesOf(q);
      const params: Params = Object.assign({ limit: q.limit + 1 }, ...clauses.map((c) => c.params));
      if (!usesDerivedIndex(q)) return statementOf(clauses, false).all(params);
      const statement = statementOf(clauses, true);
      const found: ExchangeRow[] = [];
      for (;;) {
        const rows = statement.all(params);
        for (const row of rows) {
          if (row.pending === 1) {
            const exchange = fromRow(row, loadBodies(row.seq));
            if (!matchesListQuery(exchange, q, () => derivedFactsOf(exchange))) continue;
          }
          found.push(row);
          if (found.length > q.limit) return found;
        }
        const last = rows[rows.length - 1];
        if (rows.length <= q.limit || last === undefined) return found;
        params.before = last.id;
      }
    },
  };
}
