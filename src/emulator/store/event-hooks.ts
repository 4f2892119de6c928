/**
 * Event hooks in SQLite: one row per hook, JSON for the `events` and `channel` sub-objects.
 */
import type { Database } from "better-sqlite3";
import type { EventSubscriptions } from "../../okta/index.js";
import type { StoredChannel, StoredEventHook } from "./types.js";

/** CRUD over the `event_hooks` table. Lists are in creation order. */
export interface EventHookRepository {
  list(): StoredEventHook[];
  get(id: string): StoredEventHook | undefined;
  count(): number;
  /** Inserts a new hook (its `id` must be new). */
  insert(hook: StoredEventHook): void;
  /** Replaces every column of an existing hook; false when the id is unknown. */
  replace(hook: StoredEventHook): boolean;
  /** Deletes a hook; false when the id is unknown. */
  delete(id: string): boolean;
}

interface Row {
  id: string;
  name: string;
  description: string | null;
  status: string;
  verification_status: string;
  created_at: number;
  created_by: string;
  last_updated_at: number;
  events: string;
  channel: string;
}

function fromRow(row: Row): StoredEventHook {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status as StoredEventHook["status"],
    verificationStatus: row.verification_status as StoredEventHook["verificationStatus"],
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUpdatedAt: row.last_updated_at,
    events: JSON.parse(row.events) as EventSubscriptions,
    channel: JSON.parse(row.channel) as StoredChannel,
  };
}

function toParams(hook: StoredEventHook): Row {
  return {
    id: hook.id,
    name: hook.name,
    description: hook.description,
    status: hook.status,
    verification_status: hook.verificationStatus,
    created_at: hook.createdAt,
    created_by: hook.createdBy,
    last_updated_at: hook.lastUpdatedAt,
    events: JSON.stringify(hook.events),
    channel: JSON.stringify(hook.channel),
  };
}

/** The event hook repository over an open database. */
export function createEventHookRepository(db: Database): EventHookRepository {
  const selectAll = db.prepare("SELECT * FROM event_hooks ORDER BY seq");
  const selectOne = db.prepare("SELECT * FROM event_hooks WHERE id = ?");
  const countAll = db.prepare("SELECT count(*) FROM event_hooks").pluck();
  const insert = db.prepare(`INSERT INTO event_hooks
    (id, name, description, status, verification_status, created_at, created_by, last_updated_at, events, channel)
    VALUES (@id, @name, @description, @status, @verification_status, @created_at, @created_by, @last_updated_at, @events, @channel)`);
  const update = db.prepare(`UPDATE event_hooks SET name = @name, description = @description,
    status = @status, verification_status = @verification_status, created_at = @created_at,
    created_by = @created_by, last_updated_at = @last_updated_at, events = @events, channel = @channel
    WHERE id = @id`);
  const remove = db.prepare("DELETE FROM event_hooks WHERE id = ?");
  return {
    list: () => (selectAll.all() as Row[]).map(fromRow),
    get(id) {
      const row = selectOne.get(id) as Row | undefined;
      return row === undefined ? undefined : fromRow(row);
    },
    count: () => countAll.get() as number,
    insert(hook) {
      insert.run(toParams(hook));
    },
    replace: (hook) => update.run(toParams(hook)).changes === 1,
    delete: (id) => remove.run(id).changes === 1,
  };
}
