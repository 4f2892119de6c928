/**
 * A stored group as Okta's Group object (`objectClass`, `profile`, `_links`).
 */
import { oktaTimestamp } from "../event-hooks/serialize.js";
import type { StoredGroup } from "../store/users.js";

/** The Group object of Okta's Groups API. */
export interface GroupJson {
  id: string;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  objectClass: string[];
  type: string;
  profile: { name: string; description: string | null };
  _links: {
    logo: { name: string; href: string; type: string }[];
    users: { href: string };
    apps: { href: string };
  };
}

/** The Group object Okta returns for `group`. */
export function toGroupJson(group: StoredGroup, orgUrl: string): GroupJson {
  const self = `${orgUrl}/api/v1/groups/${group.id}`;
  return {
    id: group.id,
    created: oktaTimestamp(group.createdAt),
    lastUpdated: oktaTimestamp(group.lastUpdatedAt),
    lastMembershipUpdated: oktaTimestamp(group.lastMembershipUpdatedAt),
    objectClass: ["okta:user_group"],
    type: group.type,
    profile: { name: group.profile.name, description: group.profile.description },
    _links: {
      logo: ["medium", "large"].map((size) => ({
        name: size,
        href: `${orgUrl}/assets/img/logos/groups/okta-${size}.png`,
        type: "image/png",
      })),
      users: { href: `${self}/users` },
      apps: { href: `${self}/apps` },
    },
  };
}
