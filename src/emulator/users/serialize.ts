/**
 * A stored user as Okta's User object: Okta's key order, second-precision timestamps, the
 * password never shown (`credentials.password` is `{}` when set), `_links` for the lifecycle
 * operations its status allows.
 */
import { oktaTimestamp } from "../event-hooks/serialize.js";
import type { StoredUser } from "../store/users.js";
import { allowedOperations } from "./lifecycle.js";

/** A HAL link of the Users API (Okta puts `method` on lifecycle links). */
export interface UserLink {
  href: string;
  method?: string;
}

/** The User object of Okta's Users API. */
export interface UserJson {
  id: string;
  status: string;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  type: { id: string };
  profile: Record<string, unknown>;
  credentials: { password?: Record<string, never>; provider: { type: "OKTA"; name: "OKTA" } };
  _links: Record<string, UserLink>;
}

/** The org's one user type (`oty…`): Okta's default type, fixed so ids stay stable. */
export const DEFAULT_USER_TYPE_ID = "otyhooktapdefault0001";

const time = (ms: number | null): string | null => (ms === null ? null : oktaTimestamp(ms));

/**
 * The User object Okta returns for `user`.
 *
 * @example
 * toUserJson(user, "http://127.0.0.1:7070")._links.self.href; // ".../api/v1/users/00u…"
 */
export function toUserJson(user: StoredUser, orgUrl: string): UserJson {
  const self = `${orgUrl}/api/v1/users/${user.id}`;
  const links: Record<string, UserLink> = {};
  for (const operation of allowedOperations(user.status)) {
    links[operation] = { href: `${self}/lifecycle/${operation}`, method: "POST" };
  }
  links.schema = { href: `${orgUrl}/api/v1/meta/schemas/user/osc${DEFAULT_USER_TYPE_ID.slice(3)}` };
  links.type = { href: `${orgUrl}/api/v1/meta/types/user/${DEFAULT_USER_TYPE_ID}` };
  links.self = { href: self };
  return {
    id: user.id,
    status: user.status,
    created: oktaTimestamp(user.createdAt),
    activated: time(user.activatedAt),
    statusChanged: time(user.statusChangedAt),
    lastLogin: time(user.lastLoginAt),
    lastUpdated: oktaTimestamp(user.lastUpdatedAt),
    passwordChanged: time(user.passwordChangedAt),
    type: { id: DEFAULT_USER_TYPE_ID },
    profile: { ...user.profile },
    credentials:
      user.passwordHash === null
        ? { provider: { type: "OKTA", name: "OKTA" } }
        : { password: {}, provider: { type: "OKTA", name: "OKTA" } },
    _links: links,
  };
}
