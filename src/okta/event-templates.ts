/**
 * Per-family defaults for generated events: the request that caused the event (for
 * `debugContext.debugData`), the legacy event type and the display message of types the catalog
 * does not list. Request paths are the Okta Management API endpoints that perform the action
 * (INF, except where a capture shows the path); they only need to be plausible and consistent
 * with the event's targets.
 */
import { firstMatch } from "./type-pattern.js";

/** Ids of the event's targets, substituted into request paths. */
export interface TemplateIds {
  user: string;
  group: string;
  app: string;
  device: string;
  policy: string;
  hook: string;
}

/** The request part of `debugData`: keys go between `requestUri` and `url`, as Okta orders them. */
export interface EventRequest {
  requestUri: string;
  /** `requestUri` + `?` + query: Okta's `url` always carries the `?` (OBS-CAP). */
  url: string;
  extraDebugData: Record<string, string>;
}

interface RequestRule {
  readonly pattern: string;
  /** Path with `{user}`, `{group}`, `{app}`, `{device}`, `{policy}`, `{hook}`, `{verb}` holes. */
  readonly path: string;
  readonly query?: string;
  readonly debugData?: Readonly<Record<string, string>>;
}

/** Ordered: the first matching rule wins. */
const REQUEST_RULES: readonly RequestRule[] = [
  { pattern: "user.lifecycle.create", path: "/api/v1/users", query: "activate=true" },
  // OBS-CAP: a delete is requested on the user resource itself.
  { pattern: "user.lifecycle.delete.initiated", path: "/api/v1/users/{user}" },
  { pattern: "user.lifecycle.*", path: "/api/v1/users/{user}/lifecycle/{verb}" },
  // OBS-CAP: profile updates list the changed attributes.
  {
    pattern: "user.account.update_profile",
    path: "/api/v1/users/{user}",
    debugData: { changedAttributes: "nickName" },
  },
  { pattern: "user.account.unlock_by_admin", path: "/api/v1/users/{user}/lifecycle/unlock" },
  { pattern: "user.account.reset_password", path: "/api/v1/users/{user}/lifecycle/reset_password" },
  {
    pattern: "user.account.update_password",
    path: "/api/v1/users/{user}/credentials/change_password",
  },
  { pattern: "user.account.privilege.*", path: "/api/v1/users/{user}/roles" },
  { pattern: "user.mfa.*", path: "/api/v1/users/{user}/factors" },
  // DOC sample (§1.7): an Identity Engine sign-in.
  {
    pattern: "user.session.start",
    path: "/idp/idx/identify",
    debugData: { threatSuspected: "false" },
  },
  { pattern: "user.session.end", path: "/login/signout" },
  { pattern: "user.session.clear", path: "/api/v1/users/{user}/sessions" },
  { pattern: "user.*", path: "/api/v1/users/{user}" },
  { pattern: "group.lifecycle.create", path: "/api/v1/groups" },
  { pattern: "group.user_membership.*", path: "/api/v1/groups/{group}/users/{user}" },
  { pattern: "group.privilege.*", path: "/api/v1/groups/{group}/roles" },
  { pattern: "group.application_assignment.*", path: "/api/v1/apps/{app}/groups/{group}" },
  { pattern: "group.*", path: "/api/v1/groups/{group}" },
  { pattern: "application.lifecycle.create", path: "/api/v1/apps" },
  { pattern: "application.lifecycle.activate", path: "/api/v1/apps/{app}/lifecycle/activate" },
  { pattern: "application.lifecycle.deactivate", path: "/api/v1/apps/{app}/lifecycle/deactivate" },
  { pattern: "application.user_membership.*", path: "/api/v1/apps/{app}/users/{user}" },
  { pattern: "application.*", path: "/api/v1/apps/{app}" },
  { pattern: "device.user.*", path: "/api/v1/devices/{device}/users" },
  { pattern: "device.enrollment.create", path: "/api/v1/devices" },
  { pattern: "device.lifecycle.delete", path: "/api/v1/devices/{device}" },
  { pattern: "device.lifecycle.*", path: "/api/v1/devices/{device}/lifecycle/{verb}" },
  { pattern: "policy.rule.*", path: "/api/v1/policies/{policy}/rules" },
  { pattern: "policy.*", path: "/api/v1/policies/{policy}" },
  { pattern: "event_hook.created", path: "/api/v1/eventHooks" },
  { pattern: "event_hook.activated", path: "/api/v1/eventHooks/{hook}/lifecycle/activate" },
  { pattern: "event_hook.deactivated", path: "/api/v1/eventHooks/{hook}/lifecycle/deactivate" },
  { pattern: "event_hook.verified", path: "/api/v1/eventHooks/{hook}/lifecycle/verify" },
  { pattern: "event_hook.*", path: "/api/v1/eventHooks/{hook}" },
  { pattern: "inline_hook.*", path: "/api/v1/inlineHooks" },
  { pattern: "iam.role.*", path: "/api/v1/iam/roles" },
  { pattern: "iam.resourceset.*", path: "/api/v1/iam/resource-sets" },
  { pattern: "security.authenticator.*", path: "/api/v1/authenticators" },
  { pattern: "security.trusted_origin.*", path: "/api/v1/trustedOrigins" },
  { pattern: "system.api_token.*", path: "/api/v1/api-tokens" },
  { pattern: "system.idp.*", path: "/api/v1/idps" },
  { pattern: "system.log_stream.*", path: "/api/v1/logStreams" },
];

/** Legacy (`/api/v1/events`) types seen in real payloads (shared spec §6, OBS-CAP). */
export const LEGACY_EVENT_TYPES: Readonly<Record<string, string>> = {
  "user.session.start": "core.user_auth.login_success",
  "user.lifecycle.create": "core.user.config.user_creation.success",
  "user.lifecycle.deactivate": "core.user.config.user_deactivated",
  "user.lifecycle.reactivate": "core.user.config.user_reactivation.success",
  "user.lifecycle.delete.initiated": "core.user.config.user_status.delete.initiated",
  "user.account.update_profile": "core.user.config.profile_update.success",
};

/**
 * Display messages of System Log types outside the eligible catalog that hooktap emits. The
 * catalog has no message for the `event_hook.*` audit events; these texts are ours (INF).
 */
const NON_CATALOG_MESSAGES: Readonly<Record<string, string>> = {
  "user.lifecycle.delete.completed": "Delete Okta user completed",
  "event_hook.created": "Event hook created",
  "event_hook.updated": "Event hook updated",
  "event_hook.activated": "Event hook activated",
  "event_hook.deactivated": "Event hook deactivated",
  "event_hook.deleted": "Event hook deleted",
  "event_hook.verified": "Event hook verification",
  "event_hook.delivery": "Event hook delivery failed",
};

/**
 * The request behind a generated event of this type, with `ids` substituted. Types without a
 * rule get `/api/v1/<namespace>` (synthetic).
 *
 * @example
 * requestOf("user.lifecycle.suspend", ids).url; // "/api/v1/users/00u…/lifecycle/suspend?"
 */
export function requestOf(type: string, ids: TemplateIds): EventRequest {
  const rule = firstMatch(type, REQUEST_RULES);
  const path = rule?.path ?? `/api/v1/${type.split(".")[0] ?? type}`;
  const verb = type.split(".").at(-1) ?? "";
  const requestUri = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === "verb" ? verb : (ids[name as keyof TemplateIds] ?? ""),
  );
  return {
    requestUri,
    url: `${requestUri}?${rule?.query ?? ""}`,
    extraDebugData: { ...rule?.debugData },
  };
}

/**
 * The `legacyEventType` of a type: a known pair, else `null` (as Okta sends for newer types).
 *
 * @example
 * legacyEventTypeOf("user.session.start"); // "core.user_auth.login_success"
 */
export function legacyEventTypeOf(type: string): string | null {
  return LEGACY_EVENT_TYPES[type] ?? null;
}

/**
 * The display message of a type the eligible catalog does not describe, or `null`.
 *
 * @example
 * nonCatalogMessageOf("event_hook.delivery"); // "Event hook delivery failed"
 */
export function nonCatalogMessageOf(type: string): string | null {
  return NON_CATALOG_MESSAGES[type] ?? null;
}
