/**
 * Users and groups in SQLite: each object as JSON, with the unique columns (user `login`, group
 * `name`, both case-insensitive as in Okta) beside it, and the memberships that link them.
 */
import type { Database } from "better-sqlite3";

/** Okta's user statuses (the subset the emulator's lifecycle reaches). */
export type UserStatus = "STAGED" | "PROVISIONED" | "ACTIVE" | "SUSPENDED" | "DEPROVISIONED";

/** A user's profile: `login`, `email`, `firstName`, `lastName` and any other attribute. */
export interface UserProfile {
  login: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  [attribute: string]: unknown;
}

/** One user as stored; `toUserJson` turns it into Okta's object. */
export interface StoredUser {
  /** `00u…`. */
  id: string;
  status: UserStatus;
  /** Epoch milliseconds (whole seconds, as Okta). */
  createdAt: number;
  activatedAt: number | null;
  statusChangedAt: number | null;
  lastLoginAt: number | null;
  lastUpdatedAt: number;
  passwordChangedAt: number | null;
  profile: UserProfile;
  /** `scrypt$<salt>$<hash>` of the password, or `null` when the user has none. */
  passwordHash: string | null;
}

/** Okta's group types: `OKTA_GROUP` (made through the API) and `BUILT_IN` (`Everyone`). */
export type GroupType = "OKTA_GROUP" | "BUILT_IN";

/** One group as stored. */
export interface StoredGroup {
  /** `00g…`. */
  id: string;
  type: GroupType;
  createdAt: number;
  lastUpdatedAt: number;
  lastMembershipUpdatedAt: number;
  profile: { name: string; description: string | null };
}

/** Users, groups and memberships. Lists are in creation order. */
export interface DirectoryRepository {
  listUsers(): StoredUser[];
  getUser(id: string): StoredUser | undefined;
  /** The user whose login is `login` (case-insensitive). */
  findUserByLogin(login: string): StoredUser | undefined;
  insertUser(user: StoredUser): void;
  /** Replaces an existing user; false when the id is unknown. */
  replaceUser(user: StoredUser): boolean;
  /** Deletes a user and its memberships; false when the id is unknown. */
  deleteUser(id: string): boolean;
  listGroups(): StoredGroup[];
  getGroup(id: string): StoredGroup | undefined;
  findGroupByName(name: string): StoredGroup | undefined;
  insertGroup(group: StoredGroup): void;
  replaceGroup(group: StoredGroup): boolean;
  /** Deletes a group and its memberships; false when the id is unknown. */
  deleteGroup(id: string): boolean;
  /** Adds a membership; false when it already existed. */
  addMember(groupId: string, userId: string): boolean;
  /** Removes a membership; false when there was none. */
  removeMember(groupId: string, userId: string): boolean;
  /** The group's members, in the order they joined. */
  members(groupId: string): StoredUser[];
  /** The groups a user belongs to, in creation order. */
  groupsOf(userId: string): StoredGroup[];
}

/**
 * The statements over one table of JSON objects with a unique key column beside them (`users`
 * by `login`, `groups` by `name`). `table` and `key` are constants of this file, never input.
 */
function jsonTable<T extends { id: string }>(
  db: Database,
  table: "users" | "groups",
  key: "login" | "name",
  keyOf: (row: T) => string,
) {
  const parse = (json: string): T => JSON.parse(json) as T;
  const all = db.prepare(`SELECT json FROM ${table} ORDER BY seq`).pluck();
  const one = db.prepare(`SELECT json FROM ${table} WHERE id = ?`).pluck();
  const byKey = db.prepare(`SELECT json FROM ${table} WHERE ${key} = ?`).pluck();
  const insert = db.prepare(`INSERT INTO ${table} (id, ${key}, json) VALUES (?, ?, ?)`);
  const update = db.prepare(`UPDATE ${table} SET ${key} = ?, json = ? WHERE id = ?`);
  const remove = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  const optional = (json: unknown): T | undefined =>
    typeof json === "string" ? parse(json) : undefined;
  return {
    parse,
    list: () => (all.all() as string[]).map(parse),
    get: (id: string) => optional(one.get(id)),
    find: (value: string) => optional(byKey.get(value)),
    insert(row: T): void {
      insert.run(row.id, keyOf(row), JSON.stringify(row));
    },
    replace: (row: T) => update.run(keyOf(row), JSON.stringify(row), row.id).changes === 1,
    remove: (id: string) => remove.run(id).changes === 1,
  };
}

/** The directory repository over an open database. */
export function createDirectoryRepository(db: Database): DirectoryRepository {
  const users = jsonTable<StoredUser>(db, "users", "login", (user) => user.profile.login);
  const groups = jsonTable<StoredGroup>(db, "groups", "name", (group) => group.profile.name);
  const membership = {
    add: db.prepare(
      "INSERT OR IGNORE INTO group_members (group_id, user_id, seq) VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM group_members))",
    ),
    remove: db.prepare("DELETE FROM group_members WHERE group_id = ? AND user_id = ?"),
    removeUser: db.prepare("DELETE FROM group_members WHERE user_id = ?"),
    removeGroup: db.prepare("DELETE FROM group_members WHERE group_id = ?"),
    members: db
      .prepare(
        "SELECT u.json FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY m.seq",
      )
      .pluck(),
    groupsOf: db
      .prepare(
        "SELECT g.json FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.seq",
      )
      .pluck(),
  };
  const deleteUser = db.transaction((id: string) => {
    membership.removeUser.run(id);
    return users.remove(id);
  });
  const deleteGroup = db.transaction((id: string) => {
    membership.removeGroup.run(id);
    return groups.remove(id);
  });
  return {
    listUsers: users.list,
    getUser: users.get,
    findUserByLogin: users.find,
    insertUser: users.insert,
    replaceUser: users.replace,
    deleteUser: (id) => deleteUser(id),
    listGroups: groups.list,
    getGroup: groups.get,
    findGroupByName: groups.find,
    insertGroup: groups.insert,
    replaceGroup: groups.replace,
    deleteGroup: (id) => deleteGroup(id),
    addMember: (groupId, userId) => membership.add.run(groupId, userId).changes === 1,
    removeMember: (groupId, userId) => membership.remove.run(groupId, userId).changes === 1,
    members: (groupId) => (membership.members.all(groupId) as string[]).map(users.parse),
    groupsOf: (userId) => (membership.groupsOf.all(userId) as string[]).map(groups.parse),
  };
}
