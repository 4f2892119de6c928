/**
 * `list` on SQLite: a {@link ResolvedListQuery} as one SELECT over `exchanges`, newest id first,
 * with the same meaning as list-match.ts (the contract suite runs both).
 *
 * Plan: exchanges are walked in id order (the `id` index, or `(endpoint, id)` / `(origin, id)` /
 * `(status, id)` when that filter is given) and every other filter is a predicate on the row, so
 * a page stops after `limit + 1` matches. Derived-index filters are `+seq IN (subquery)`: SQLite
 * runs the subquery once into a set (with a Bloom filter) and the unary `+` keeps it from
 * driving the loop instead, which would sort every match before the LIMIT could apply.
 */
import type Database from "better-sqlite3";
import type { ResolvedListQuery } from "./list-query.js";
import { ftsPhrase } from "./search-text.js";
import type { ExchangeRow } from "./sqlite-rows.js";

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

function clausesOf(q: ResolvedListQuery): Clause[] {
  const clauses: Clause[] = [];
  const add = (key: string, sql: string, params: Params = {}): void => {
    clauses.push({ key, sql, params });
  };
  if (q.before !== null) add("before", "e.id < @before", { before: q.before });
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
  if (q.oktaEventType !== null) {
    add(
      "eventType",
      "+e.seq IN (SELECT exchange_seq FROM exchange_event_types WHERE event_type = @eventType)",
      { eventType: q.oktaEventType },
    );
  }
  if (q.targetUser !== null) {
    add("user", "+e.seq IN (SELECT exchange_seq FROM exchange_users WHERE user_key = @userKey)", {
      userKey: q.targetUser,
    });
  }
  if (q.text !== null) {
    add(
      "text",
      "+e.seq IN (SELECT rowid >> 2 FROM exchange_text WHERE exchange_text MATCH @text)",
      { text: ftsPhrase(q.text) },
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
 * A lister over `db`'s exchanges table.
 *
 * @example
 * const lister = createSqliteLister(db);
 * lister.rows(resolveListQuery({ status: "5xx", limit: 20 }));
 */
export function createSqliteLister(db: Database.Database): SqliteLister {
  const statements = new Map<string, Database.Statement<Params, ExchangeRow>>();
  return {
    rows(q) {
      const clauses = clausesOf(q);
      const key = clauses.map((c) => c.key).join(",");
      let statement = statements.get(key);
      if (statement === undefined) {
        const where =
          clauses.length === 0 ? "" : `WHERE ${clauses.map((c) => c.sql).join(" AND ")}`;
        statement = db.prepare<Params, ExchangeRow>(
          `SELECT e.* FROM exchanges AS e ${where} ORDER BY e.id DESC LIMIT @limit`,
        );
        statements.set(key, statement);
      }
      return statement.all(Object.assign({ limit: q.limit + 1 }, ...clauses.map((c) => c.params)));
    },
  };
}
