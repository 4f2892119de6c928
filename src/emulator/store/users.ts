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

/** The directory repository over an open database. */
export function createDirectoryRepository(db: Database): DirectoryRepository {
  const parseUser = (json: string): StoredUser => JSON.parse(json) as StoredUser;
  const parseGroup = (json: string): StoredGroup => JSON.parse(json) as StoredGroup;
  const users = {
    all: db.prepare("SELECT json FROM users ORDER BY seq").pluck(),
    one: db.prepare("SELECT json FROM users WHERE id = ?").pluck(),
    byLogin: db.prepare("SELECT json FROM users WHERE login = ?").pluck(),
    insert: db.prepare("INSERT INTO users (id, login, json) VALUES (?, ?, ?)"),
    update: db.prepare("UPDATE users SET login = ?, json = ? WHERE id = ?"),
    remove: db.prepare("DELETE FROM users WHERE id = ?"),
  };
  const groups = {
    all: db.prepare("SELECT json FROM groups ORDER BY seq").pluck(),
    one: db.prepare("SELECT json FROM groups WHERE id = ?").pluck(),
    byName: db.prepare("SELECT json FROM groups WHERE name = ?").pluck(),
    insert: db.prepare("INSERT INTO groups (id, name, json) VALUES (?, ?, ?)"),
    update: db.prepare("UPDATE groups SET name = ?, json = ? WHERE id = ?"),
    remove: db.prepare("DELETE FROM groups WHERE id = ?"),
  };
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
    return users.remove.run(id).changes === 1;
  });
  const deleteGroup = db.transaction((id: string) => {
    membership.removeGroup.run(id);
    return groups.remove.run(id).changes === 1;
  });
  const optional = <T>(json: unknown, parse: (text: string) => T): T | undefined =>
    typeof json === "string" ? parse(json) : undefined;
  return {
    listUsers: () => (users.all.all() as string[]).map(parseUser),
    getUser: (id) => optional(users.one.get(id), parseUser),
    findUserByLogin: (login) => optional(users.byLogin.get(login), parseUser),
    insertUser(user) {
      users.insert.run(user.id, user.profile.login, JSON.stringify(user));
    },
    replaceUser: (user) =>
      users.update.run(user.profile.login, JSON.stringify(user), user.id).changes === 1,
    deleteUser: (id) => deleteUser(id),
    listGroups: () => (groups.all.all() as string[]).map(parseGroup),
    getGroup: (id) => optional(groups.one.get(id), parseGroup),
    findGroupByName: (name) => optional(groups.byName.get(name), parseGroup),
    insertGroup(group) {
      groups.insert.run(group.id, group.profile.name, JSON.stringify(group));
    },
    replaceGroup: (group) =>
      groups.update.run(group.profile.name, JSON.stringify(group), group.id).changes === 1,
    deleteGroup: (id) => deleteGroup(id),
    addMember: (groupId, userId) => membership.add.run(groupId, userId).changes === 1,
    removeMember: (groupId, userId) => membership.remove.run(groupId, userId).changes === 1,
    members: (groupId) => (membership.members.all(groupId) as string[]).map(parseUser),
    groupsOf: (userId) => (membership.groupsOf.all(userId) as string[]).map(parseGroup),
  };
}
