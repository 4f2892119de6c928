/**
 * A minimal Groups API (Okta's `/api/v1/groups`): create, get, list (`q`), replace, delete, and
 * membership (`PUT`/`DELETE /api/v1/groups/:id/users/:userId`, list members). Membership
 * changes log `group.user_membership.add`/`.remove`.
 */
import { wholeSeconds } from "../event-hooks/access.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import type { Router } from "../http/router.js";
import type { StoredGroup } from "../store/users.js";
import { callerOf, changeMembership, insertNewGroup, requireGroup } from "../users/actions.js";
import { limitParam, onlyParams } from "../users/routes.js";
import { toUserJson } from "../users/serialize.js";
import { toGroupJson } from "./serialize.js";

const BASE = "/api/v1/groups";

/** Registers the Groups API routes. */
export function registerGroupRoutes(router: Router): void {
  router
    .add("GET", BASE, listGroups)
    .add("POST", BASE, createGroup)
    .add("GET", `${BASE}/:id`, (c) => groupReply(c, requireGroup(c.app, c.params.id ?? "")))
    .add("PUT", `${BASE}/:id`, replaceGroup)
    .add("DELETE", `${BASE}/:id`, deleteGroup)
    .add("GET", `${BASE}/:id/users`, listMembers)
    .add("PUT", `${BASE}/:id/users/:userId`, (c) => membership(c, true))
    .add("DELETE", `${BASE}/:id/users/:userId`, (c) => membership(c, false));
}

function groupReply(context: RequestContext, group: StoredGroup): Reply {
  return ok(toGroupJson(group, context.app.orgUrl));
}

/** `{profile: {name, description?}}`, checked as Okta does. */
function parseGroupProfile(body: unknown): StoredGroup["profile"] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw OktaApiError.malformedBody("body: a Group object is expected");
  }
  const profile = (body as Record<string, unknown>).profile;
  if (typeof profile !== "object" || profile === null || Array.isArray(profile)) {
    throw OktaApiError.validation([
      { field: "profile", message: "The field cannot be left blank" },
    ]);
  }
  const { name, description, ...rest } = profile as Record<string, unknown>;
  const causes: { field: string; message: string }[] = [];
  if (typeof name !== "string" || name.trim() === "") {
    causes.push({ field: "name", message: "The field cannot be left blank" });
  } else if (name.length > 255) {
    causes.push({ field: "name", message: "The field is too long (at most 255 characters)" });
  }
  if (description !== undefined && description !== null && typeof description !== "string") {
    causes.push({ field: "description", message: "Must be a string or null" });
  }
  for (const field of Object.keys(rest)) {
    causes.push({ field, message: `Property name '${field}' is not defined in profile` });
  }
  if (causes.length > 0) throw OktaApiError.validation(causes);
  return { name: name as string, description: (description as string | null | undefined) ?? null };
}

function nameTaken(name: string): OktaApiError {
  return OktaApiError.validation([
    {
      field: "name",
      message: `An object with this field already exists in the current organization (${name})`,
    },
  ]);
}

async function createGroup(context: RequestContext): Promise<Reply> {
  const { app } = context;
  const profile = parseGroupProfile(await context.readJson());
  const group = app.store.transaction(() => {
    if (app.store.directory.findGroupByName(profile.name) !== undefined)
      throw nameTaken(profile.name);
    return insertNewGroup(app, "OKTA_GROUP", profile);
  });
  return groupReply(context, group);
}

async function replaceGroup(context: RequestContext): Promise<Reply> {
  const { app } = context;
  requireGroup(app, context.params.id ?? "");
  const profile = parseGroupProfile(await context.readJson());
  const group = app.store.transaction(() => {
    const current = requireGroup(app, context.params.id ?? "");
    if (current.type === "BUILT_IN") throw builtIn(current);
    const other = app.store.directory.findGroupByName(profile.name);
    if (other !== undefined && other.id !== current.id) throw nameTaken(profile.name);
    const replaced: StoredGroup = { ...current, profile, lastUpdatedAt: wholeSeconds(app.now()) };
    app.store.directory.replaceGroup(replaced);
    return replaced;
  });
  return groupReply(context, group);
}

function builtIn(group: StoredGroup): OktaApiError {
  return new OktaApiError(
    403,
    "E0000006",
    "You do not have permission to perform the requested action",
    [{ errorSummary: `group: ${group.profile.name} is a built-in group managed by Okta` }],
  );
}

function deleteGroup(context: RequestContext): Reply {
  const { app } = context;
  app.store.transaction(() => {
    const group = requireGroup(app, context.params.id ?? "");
    if (group.type === "BUILT_IN") throw builtIn(group);
    app.store.directory.deleteGroup(group.id);
  });
  return { status: 204 };
}

function listGroups(context: RequestContext): Reply {
  onlyParams(context, ["q", "limit"]);
  const limit = limitParam(context, 10_000, 10_000);
  const q = context.url.searchParams.get("q")?.toLowerCase() ?? null;
  const groups = context.app.store.directory
    .listGroups()
    .filter((g) => q === null || g.profile.name.toLowerCase().startsWith(q));
  return ok(groups.slice(0, limit).map((g) => toGroupJson(g, context.app.orgUrl)));
}

function listMembers(context: RequestContext): Reply {
  const group = requireGroup(context.app, context.params.id ?? "");
  const limit = limitParam(context, 1000, 10_000);
  const members = context.app.store.directory.members(group.id).slice(0, limit);
  return ok(members.map((user) => toUserJson(user, context.app.orgUrl)));
}

function membership(context: RequestContext, add: boolean): Reply {
  changeMembership(
    context.app,
    context.params.id ?? "",
    context.params.userId ?? "",
    add,
    callerOf(context),
  );
  return { status: 204 };
}
