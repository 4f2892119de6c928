/**
 * The user and group actions of the org, apart from HTTP so the Users and Groups APIs, the
 * sign-in endpoint and `trigger` share them. Each action changes the directory and appends its
 * System Log events (`userActionEvents`) in one transaction; the System Log's subscribers route
 * the events to hooks. Bad input and disallowed transitions throw `OktaApiError` before
 * anything changes.
 */
import {
  type DeliveryLogEvent,
  type LogActor,
  newGroupId,
  newUserId,
  type SystemLogEvent,
} from "../../okta/index.js";
import { wholeSeconds } from "../event-hooks/access.js";
import { apiCallClient } from "../event-hooks/audit-events.js";
import type { EmulatorApp, RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { toDeliveryLogEvent, toSystemLogEvent } from "../logic/log-event-shape.js";
import { type UserAction, userActionEvents } from "../logic/user-actions.js";
import type { GroupType, StoredGroup, StoredUser, UserProfile } from "../store/users.js";
import type { UserInput } from "./input.js";
import { type LifecycleOperation, nextStatus } from "./lifecycle.js";
import { hashPassword, passwordMatches } from "./password.js";

/** What an action did: the user (or `null` once deleted) and the events it logged. */
export interface ActionResult<T> {
  value: T;
  events: SystemLogEvent[];
}

/**
 * Who asked for an action over HTTP. The events then carry what Okta records of an API call:
 * the caller's address and user agent, the request id as `transaction.id`, the path as
 * `requestUri`, and (for an admin's call) the API token's id.
 */
export interface ActionCaller {
  ipAddress: string;
  userAgent: string | null;
  requestId: string;
  /** Path and query, e.g. `/api/v1/users?activate=false`. */
  url: string;
}

/** The caller of `context`'s request. */
export function callerOf(context: RequestContext): ActionCaller {
  return {
    ipAddress: context.client.ipAddress,
    userAgent: context.client.userAgent,
    requestId: context.requestId,
    url: `${context.url.pathname}${context.url.search}`,
  };
}

/** The built-in group every user belongs to. */
export const EVERYONE_GROUP_NAME = "Everyone";

/** The org's admin as the `actor` of the events its API token causes. */
export function adminActor(app: EmulatorApp): LogActor {
  const { admin } = app.org;
  return {
    id: admin.id,
    type: "User",
    alternateId: admin.login,
    displayName: admin.displayName,
    detailEntry: null,
  };
}

/**
 * The actor of an event built from the catalog (Preview's sample, a synthesized trigger): the
 * org's admin for admin actions; for a person's own acts (sign-ins, authentications) the
 * builder's sample person.
 */
export function sampleActorFor(app: EmulatorApp, eventType: string): { actor?: LogActor } {
  return /^user\.(session|authentication)\./.test(eventType) ? {} : { actor: adminActor(app) };
}

/** `firstName lastName`, or the login when the profile has no name. */
export function displayNameOf(user: StoredUser): string {
  const name = [user.profile.firstName, user.profile.lastName]
    .filter((part) => typeof part === "string" && part !== "")
    .join(" ");
  return name === "" ? user.profile.login : name;
}

/** The user `id`, found by id or by login (Okta's Users API accepts both), or 404 E0000007. */
export function requireUser(app: EmulatorApp, idOrLogin: string): StoredUser {
  const user =
    app.store.directory.getUser(idOrLogin) ?? app.store.directory.findUserByLogin(idOrLogin);
  if (user === undefined) throw OktaApiError.notFound(idOrLogin, "User");
  return user;
}

/** The group `id`, or 404 E0000007. */
export function requireGroup(app: EmulatorApp, id: string): StoredGroup {
  const group = app.store.directory.getGroup(id);
  if (group === undefined) throw OktaApiError.notFound(id, "UserGroup");
  return group;
}

/** `events` as caused by `caller`'s request (see {@link ActionCaller}); unchanged without one. */
function stamp(
  app: EmulatorApp,
  events: readonly SystemLogEvent[],
  caller: ActionCaller | undefined,
  selfService: boolean,
): SystemLogEvent[] {
  if (caller === undefined) return [...events];
  const [path = "/"] = caller.url.split("?");
  return events.map((event) => {
    const delivery = toDeliveryLogEvent(event) as DeliveryLogEvent & Record<string, unknown>;
    const debugData = { ...delivery.debugContext?.debugData };
    debugData.requestId = caller.requestId;
    if (!selfService) {
      // A person's own sign-in keeps its sign-in flow's URIs; an admin's call is the API path.
      debugData.requestUri = path;
      debugData.url = caller.url;
    }
    return toSystemLogEvent({
      ...delivery,
      client: apiCallClient(caller.ipAddress, caller.userAgent),
      transaction: {
        type: delivery.transaction?.type ?? "WEB",
        id: caller.requestId,
        detail: selfService ? {} : { requestApiTokenId: app.org.tokenId },
      },
      debugContext: { ...delivery.debugContext, debugData },
    } as DeliveryLogEvent);
  });
}

function logAction(
  app: EmulatorApp,
  action: UserAction,
  user: StoredUser,
  extra: {
    group?: StoredGroup;
    everyone?: StoredGroup;
    changedAttributes?: string[];
    caller?: ActionCaller | undefined;
  } = {},
): SystemLogEvent[] {
  const built = userActionEvents(action, {
    user: { id: user.id, login: user.profile.login, displayName: displayNameOf(user) },
    actor: adminActor(app),
    orgUrl: app.orgUrl,
    now: app.now(),
    ...(extra.group === undefined
      ? {}
      : { group: { id: extra.group.id, name: extra.group.profile.name } }),
    ...(extra.everyone === undefined
      ? {}
      : { everyoneGroup: { id: extra.everyone.id, name: extra.everyone.profile.name } }),
    ...(extra.changedAttributes === undefined
      ? {}
      : { changedAttributes: extra.changedAttributes }),
  });
  const events = stamp(app, built, extra.caller, action === "sign_in_failed");
  app.store.appendLogEvents(events);
  return events;
}

/** Stores a new group made now (no System Log event: callers log what they did). */
export function insertNewGroup(
  app: EmulatorApp,
  type: GroupType,
  profile: StoredGroup["profile"],
): StoredGroup {
  const now = wholeSeconds(app.now());
  const group: StoredGroup = {
    id: newGroupId(),
    type,
    createdAt: now,
    lastUpdatedAt: now,
    lastMembershipUpdatedAt: now,
    profile,
  };
  app.store.directory.insertGroup(group);
  return group;
}

/** The group named `profile.name`, made with {@link insertNewGroup} when there is none. */
export function groupNamed(
  app: EmulatorApp,
  type: GroupType,
  profile: StoredGroup["profile"],
): StoredGroup {
  return app.store.directory.findGroupByName(profile.name) ?? insertNewGroup(app, type, profile);
}

/** The `Everyone` group, created with the org's first user. */
function everyoneGroup(app: EmulatorApp): StoredGroup {
  return groupNamed(app, "BUILT_IN", {
    name: EVERYONE_GROUP_NAME,
    description: "All users in your organization",
  });
}

function loginTaken(login: string): OktaApiError {
  return OktaApiError.validation([
    {
      field: "login",
      message: `An object with this field already exists in the current organization (${login})`,
    },
  ]);
}

/**
 * Creates a user: STAGED, or activated at once (`activate`: ACTIVE with a password,
 * PROVISIONED without), a member of `Everyone`.
 */
export function createUser(
  app: EmulatorApp,
  input: UserInput,
  activate: boolean,
  caller?: ActionCaller,
): ActionResult<StoredUser> {
  return app.store.transaction(() => {
    const profile = input.profile as UserProfile;
    if (app.store.directory.findUserByLogin(profile.login) !== undefined) {
      throw loginTaken(profile.login);
    }
    const now = wholeSeconds(app.now());
    const hasPassword = input.password !== undefined;
    const status = activate ? (hasPassword ? "ACTIVE" : "PROVISIONED") : "STAGED";
    const user: StoredUser = {
      id: newUserId(),
      status,
      createdAt: now,
      activatedAt: activate ? now : null,
      statusChangedAt: activate ? now : null,
      lastLoginAt: null,
      lastUpdatedAt: now,
      passwordChangedAt: hasPassword ? now : null,
      profile,
      passwordHash: input.password === undefined ? null : hashPassword(input.password),
    };
    app.store.directory.insertUser(user);
    const everyone = everyoneGroup(app);
    app.store.directory.addMember(everyone.id, user.id);
    const events = logAction(app, activate ? "create_and_activate" : "create", user, {
      everyone,
      caller,
    });
    return { value: user, events };
  });
}

/** Runs a lifecycle operation (Okta's errors for a status that does not allow it). */
export function changeStatus(
  app: EmulatorApp,
  idOrLogin: string,
  operation: LifecycleOperation,
  caller?: ActionCaller,
): ActionResult<StoredUser> {
  return app.store.transaction(() => {
    const current = requireUser(app, idOrLogin);
    const status = nextStatus(operation, current.status, current.passwordHash !== null);
    const now = wholeSeconds(app.now());
    const user: StoredUser = {
      ...current,
      status,
      statusChangedAt: now,
      lastUpdatedAt: now,
      activatedAt: operation === "activate" ? now : current.activatedAt,
    };
    app.store.directory.replaceUser(user);
    return { value: user, events: logAction(app, operation, user, { caller }) };
  });
}

/**
 * `DELETE /api/v1/users/:id` as Okta does it: a DEPROVISIONED user is deleted; any other is
 * deactivated (the first DELETE), so deleting takes two calls.
 */
export function deleteUser(
  app: EmulatorApp,
  idOrLogin: string,
  caller?: ActionCaller,
): ActionResult<{ deleted: boolean }> {
  return app.store.transaction(() => {
    const user = requireUser(app, idOrLogin);
    if (user.status !== "DEPROVISIONED") {
      const { events } = changeStatus(app, user.id, "deactivate", caller);
      return { value: { deleted: false }, events };
    }
    app.store.directory.deleteUser(user.id);
    const events = logAction(app, "delete", user, { caller });
    return { value: { deleted: true }, events };
  });
}

/**
 * Updates a profile: `replace` (PUT) sets the whole profile, otherwise (POST) merges the given
 * attributes. Logs `user.account.update_profile` with the attributes that changed, nothing
 * when none did.
 */
export function updateProfile(
  app: EmulatorApp,
  idOrLogin: string,
  input: UserInput,
  replace: boolean,
  caller?: ActionCaller,
): ActionResult<StoredUser> {
  return app.store.transaction(() => {
    const current = requireUser(app, idOrLogin);
    const profile = (
      replace ? input.profile : { ...current.profile, ...input.profile }
    ) as UserProfile;
    if (profile.login.toLowerCase() !== current.profile.login.toLowerCase()) {
      const other = app.store.directory.findUserByLogin(profile.login);
      if (other !== undefined && other.id !== current.id) throw loginTaken(profile.login);
    }
    const names = new Set([...Object.keys(current.profile), ...Object.keys(profile)]);
    const changed = [...names].filter(
      (name) =>
        JSON.stringify(current.profile[name] ?? null) !== JSON.stringify(profile[name] ?? null),
    );
    const now = wholeSeconds(app.now());
    const user: StoredUser = {
      ...current,
      profile,
      lastUpdatedAt:
        changed.length > 0 || input.password !== undefined ? now : current.lastUpdatedAt,
      ...(input.password === undefined
        ? {}
        : { passwordHash: hashPassword(input.password), passwordChangedAt: now }),
    };
    app.store.directory.replaceUser(user);
    const events =
      changed.length > 0
        ? logAction(app, "update_profile", user, { changedAttributes: changed, caller })
        : [];
    return { value: user, events };
  });
}

/** Adds (`add`) or removes a user to or from a group; no event when nothing changes. */
export function changeMembership(
  app: EmulatorApp,
  groupId: string,
  userId: string,
  add: boolean,
  caller?: ActionCaller,
): ActionResult<boolean> {
  return app.store.transaction(() => {
    const group = requireGroup(app, groupId);
    const user = requireUser(app, userId);
    if (group.type === "BUILT_IN") {
      throw new OktaApiError(
        403,
        "E0000006",
        "You do not have permission to perform the requested action",
        [{ errorSummary: `group: the membership of ${group.profile.name} is managed by Okta` }],
      );
    }
    const changed = add
      ? app.store.directory.addMember(group.id, user.id)
      : app.store.directory.removeMember(group.id, user.id);
    if (!changed) return { value: false, events: [] };
    const now = app.now();
    app.store.directory.replaceGroup({ ...group, lastMembershipUpdatedAt: wholeSeconds(now) });
    const events = logAction(app, add ? "group_add" : "group_remove", user, { group, caller });
    return { value: true, events };
  });
}

/** What a sign-in attempt gives. */
export interface SignInOutcome {
  result: "SUCCESS" | "FAILURE";
  /** Why it failed: an unknown login, a wrong password, a user who is not ACTIVE. */
  reason: string | null;
  user: StoredUser | null;
}

/**
 * A sign-in: an ACTIVE user with the right password (or none set) starts a session
 * (`user.session.start`, and `user.authentication.auth_via_mfa` first when `mfa`); a wrong
 * password or a user who is not ACTIVE is a failed `user.session.start`. An unknown login logs
 * nothing, so the directory cannot be probed through the log.
 */
export function signIn(
  app: EmulatorApp,
  request: { login: string; password?: string; mfa?: boolean },
  caller?: ActionCaller,
): ActionResult<SignInOutcome> {
  return app.store.transaction(() => {
    const user = app.store.directory.findUserByLogin(request.login);
    if (user === undefined) {
      return { value: { result: "FAILURE", reason: "unknown login", user: null }, events: [] };
    }
    const wrongPassword =
      user.passwordHash !== null &&
      (request.password === undefined || !passwordMatches(request.password, user.passwordHash));
    const reason = wrongPassword
      ? "INVALID_CREDENTIALS"
      : user.status !== "ACTIVE"
        ? `the user is ${user.status}, not ACTIVE`
        : null;
    if (reason !== null) {
      const events = logAction(app, "sign_in_failed", user, { caller });
      return { value: { result: "FAILURE", reason, user }, events };
    }
    const now = wholeSeconds(app.now());
    const signedIn: StoredUser = { ...user, lastLoginAt: now };
    app.store.directory.replaceUser(signedIn);
    const built = userActionEvents("sign_in", {
      user: { id: user.id, login: user.profile.login, displayName: displayNameOf(user) },
      orgUrl: app.orgUrl,
      now: app.now(),
      mfa: request.mfa === true,
    });
    const events = stamp(app, built, caller, true);
    app.store.appendLogEvents(events);
    return { value: { result: "SUCCESS", reason: null, user: signedIn }, events };
  });
}
