/**
 * The org's identity, kept in the store so it survives restarts: the API token (generated on
 * first start unless given), its id, and the administrator every management call acts as.
 */
import { randomBytes } from "node:crypto";
import { newOktaId, newUserId } from "../okta/index.js";
import type { EmulatorStore } from "./store/open-store.js";
import { API_TOKEN_KEY } from "./store/read-token.js";

/** The administrator the API token belongs to: the `actor` of management events. */
export interface OrgAdmin {
  /** `00u…`. */
  id: string;
  login: string;
  displayName: string;
}

/** The org's identity. */
export interface OrgIdentity {
  /** The API token (`SSWS <token>` or `Bearer <token>`). */
  token: string;
  /** `00T…`: `transaction.detail.requestApiTokenId` of events caused through the token. */
  tokenId: string;
  admin: OrgAdmin;
}

const ADMIN_KEY = "admin";

/**
 * A token shaped like Okta's API tokens: `00` and 40 URL-safe characters (~240 bits).
 *
 * @example
 * newApiToken().length; // 42
 */
export function newApiToken(): string {
  return `00${randomBytes(30).toString("base64url")}`;
}

/**
 * Why `token` cannot be an API token, or `undefined` when it can: 8 to 512 visible ASCII
 * characters (it travels in an HTTP header after `SSWS `).
 */
export function apiTokenProblem(token: string): string | undefined {
  if (token.length < 8 || token.length > 512) return "must be 8 to 512 characters long";
  if (!/^[\x21-\x7e]+$/.test(token)) return "must be visible ASCII characters without spaces";
  return undefined;
}

/**
 * The org's identity from the store, created on first use. A given `token` replaces the stored
 * one (and is kept for the next start).
 */
export function loadOrgIdentity(store: EmulatorStore, options: { token?: string }): OrgIdentity {
  return store.transaction(() => {
    const stored = store.settings.get(API_TOKEN_KEY) as { token: string; id: string } | undefined;
    let tokenRecord = stored;
    if (
      tokenRecord === undefined ||
      (options.token !== undefined && options.token !== tokenRecord.token)
    ) {
      tokenRecord = {
        token: options.token ?? newApiToken(),
        id: `00T${newOktaId("00t").slice(3)}`,
      };
      store.settings.set(API_TOKEN_KEY, tokenRecord);
    }
    let admin = store.settings.get(ADMIN_KEY) as OrgAdmin | undefined;
    if (admin === undefined) {
      admin = { id: newUserId(), login: "admin@example.com", displayName: "Okta Admin" };
      store.settings.set(ADMIN_KEY, admin);
    }
    return { token: tokenRecord.token, tokenId: tokenRecord.id, admin };
  });
}
