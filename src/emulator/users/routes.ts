/**
 * The Users API subset (Okta's `/api/v1/users`): create (`?activate=`), get (by id or login),
 * list (`q`, `filter` on status, `limit`), update (POST partial, PUT full), the lifecycle
 * operations, delete, and the user's groups.
 */

import { toGroupJson } from "../groups/serialize.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import type { Router } from "../http/router.js";
import type { StoredUser, UserStatus } from "../store/users.js";
import {
  callerOf,
  changeStatus,
  createUser,
  deleteUser,
  requireUser,
  updateProfile,
} from "./actions.js";
import { parseUserInput } from "./input.js";
import type { LifecycleOperation } from "./lifecycle.js";
import { toUserJson } from "./serialize.js";

const BASE = "/api/v1/users";
const LIFECYCLE: readonly LifecycleOperation[] = [
  "activate",
  "reactivate",
  "deactivate",
  "suspend",
  "unsuspend",
];
const STATUSES: readonly UserStatus[] = [
  "STAGED",
  "PROVISIONED",
  "ACTIVE",
  "SUSPENDED",
  "DEPROVISIONED",
];

/** Registers the Users API routes. */
export function registerUserRoutes(router: Router): void {
  router
    .add("GET", BASE, listUsers)
    .add("POST", BASE, createRoute)
    .add("GET", `${BASE}/:id`, (c) => userReply(c, requireUser(c.app, c.params.id ?? "")))
    .add("POST", `${BASE}/:id`, (c) => updateRoute(c, false))
    .add("PUT", `${BASE}/:id`, (c) => updateRoute(c, true))
    .add("DELETE", `${BASE}/:id`, deleteRoute)
    .add("GET", `${BASE}/:id/groups`, listUserGroups);
  for (const operation of LIFECYCLE) {
    router.add("POST", `${BASE}/:id/lifecycle/${operation}`, (c) => lifecycleRoute(c, operation));
  }
}

function userReply(context: RequestContext, user: StoredUser): Reply {
  return ok(toUserJson(user, context.app.orgUrl));
}

/** A boolean query parameter (`true`/`false`), its default when absent, else 400 E0000001. */
export function booleanParam(context: RequestContext, name: string, fallback: boolean): boolean {
  const value = context.url.searchParams.get(name);
  if (value === null) return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw OktaApiError.validation([
    { field: name, message: `must be true or false, got '${value}'` },
  ]);
}

/**
 * Refuses list parameters the emulator does not implement (Okta's `search`, `after`, …), so a
 * client never mistakes an unfiltered list for a filtered one: 400 E0000031.
 */
export function onlyParams(context: RequestContext, known: readonly string[]): void {
  for (const name of context.url.searchParams.keys()) {
    if (!known.includes(name)) {
      throw new OktaApiError(400, "E0000031", "Invalid search criteria.", [
        {
          errorSummary: `${name}: not supported by the local org; use ${known.join(", ")}`,
        },
      ]);
    }
  }
}

/** `limit` in 1…max (default `fallback`), else 400 E0000001. */
export function limitParam(context: RequestContext, fallback: number, max: number): number {
  const value = context.url.searchParams.get("limit");
  if (value === null) return fallback;
  const limit = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1)) {
    throw OktaApiError.validation([
      { field: "limit", message: `must be a positive integer, got '${value}'` },
    ]);
  }
  return Math.min(limit, max);
}

async function createRoute(context: RequestContext): Promise<Reply> {
  const activate = booleanParam(context, "activate", true);
  const input = parseUserInput(await context.readJson(), { full: true });
  return userReply(context, createUser(context.app, input, activate, callerOf(context)).value);
}

async function updateRoute(context: RequestContext, replace: boolean): Promise<Reply> {
  requireUser(context.app, context.params.id ?? "");
  const input = parseUserInput(await context.readJson(), { full: replace });
  return userReply(
    context,
    updateProfile(context.app, context.params.id ?? "", input, replace, callerOf(context)).value,
  );
}

function lifecycleRoute(context: RequestContext, operation: LifecycleOperation): Reply {
  const sendEmail = booleanParam(context, "sendEmail", operation !== "activate");
  const user = changeStatus(
    context.app,
    context.params.id ?? "",
    operation,
    callerOf(context),
  ).value;
  if (operation === "activate" || operation === "reactivate") {
    // Okta answers an activation with the activation link unless it e-mailed it.
    if (sendEmail) return ok({});
    const token = `${user.id.slice(3, 11)}hooktap`;
    return ok({
      activationUrl: `${context.app.orgUrl}/welcome/${token}`,
      activationToken: token,
    });
  }
  return ok({});
}

function deleteRoute(context: RequestContext): Reply {
  booleanParam(context, "sendEmail", false);
  deleteUser(context.app, context.params.id ?? "", callerOf(context));
  return { status: 204 };
}

function listUsers(context: RequestContext): Reply {
  onlyParams(context, ["q", "filter", "limit"]);
  const params = context.url.searchParams;
  const limit = limitParam(context, 200, 200);
  const q = params.get("q")?.toLowerCase() ?? null;
  const status = statusFilter(params.get("filter"));
  const users = context.app.store.directory.listUsers().filter((user) => {
    if (status !== null && user.status !== status) return false;
    if (q === null) return true;
    return ["login", "email", "firstName", "lastName"].some((name) => {
      const value = user.profile[name];
      return typeof value === "string" && value.toLowerCase().startsWith(q);
    });
  });
  return ok(users.slice(0, limit).map((user) => toUserJson(user, context.app.orgUrl)));
}

/** The one `filter` the emulator understands: `status eq "ACTIVE"`. */
function statusFilter(filter: string | null): UserStatus | null {
  if (filter === null) return null;
  const match = /^\s*status\s+eq\s+"([A-Z]+)"\s*$/.exec(filter);
  const status = match?.[1] as UserStatus | undefined;
  if (status === undefined || !STATUSES.includes(status)) {
    throw new OktaApiError(400, "E0000031", "Invalid search criteria.", [
      {
        errorSummary: `filter: the emulator supports status eq "<${STATUSES.join("|")}>", got '${filter}'`,
      },
    ]);
  }
  return status;
}

function listUserGroups(context: RequestContext): Reply {
  const user = requireUser(context.app, context.params.id ?? "");
  const { orgUrl } = context.app;
  return ok(context.app.store.directory.groupsOf(user.id).map((g) => toGroupJson(g, orgUrl)));
}
