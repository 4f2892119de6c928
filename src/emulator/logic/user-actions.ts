/**
 * The System Log events Okta writes for the user actions the emulator performs, in the order
 * Okta writes them: one request, one transaction id, `published` a millisecond apart. Built
 * with the okta builders, so actors, clients, targets, outcomes and display messages look like
 * the real captures (test/fixtures/okta/okta-deliveries/).
 */
import {
  buildLogEvent,
  type DeliveryLogEvent,
  type LogActor,
  type LogEventOverrides,
  newRequestId,
  type SystemLogEvent,
} from "../../okta/index.js";
import { toSystemLogEvent } from "./log-event-shape.js";

/** The actions that write events. */
export type UserAction =
  | "create"
  | "create_and_activate"
  | "activate"
  | "deactivate"
  | "reactivate"
  | "suspend"
  | "unsuspend"
  | "delete"
  | "update_profile"
  | "group_add"
  | "group_remove"
  | "sign_in"
  | "sign_in_failed";

/** Every {@link UserAction}, for validation and listings. */
export const USER_ACTIONS: readonly UserAction[] = [
  "create",
  "create_and_activate",
  "activate",
  "deactivate",
  "reactivate",
  "suspend",
  "unsuspend",
  "delete",
  "update_profile",
  "group_add",
  "group_remove",
  "sign_in",
  "sign_in_failed",
];

/** The person acted on. */
export interface ActionUser {
  /** `00u…`. */
  id: string;
  /** `profile.login`. */
  login: string;
  /** `firstName lastName`. */
  displayName: string;
}

/** What the events need to know about the action. */
export interface UserActionContext {
  user: ActionUser;
  /**
   * Who did it; for sign-ins the user themselves regardless. @default {@link EMULATOR_ADMIN_ACTOR}
   */
  actor?: LogActor;
  /** The group of `group_add` / `group_remove`. */
  group?: { id: string; name: string };
  /** On create: the group every user joins (Okta's `Everyone`), which writes its own event. */
  everyoneGroup?: { id: string; name: string };
  /** The org's base URL (the sign-in's `debugData.origin`). */
  orgUrl: string;
  /** Epoch ms of the action. @default Date.now() */
  now?: number;
  /** `update_profile`: the attributes that changed (`debugData.changedAttributes`). */
  changedAttributes?: readonly string[];
  /** `sign_in`: a second factor was verified (adds `user.authentication.auth_via_mfa`). */
  mfa?: boolean;
  /** `sign_in`: the app signed in to (adds `user.authentication.sso`). */
  app?: { id: string; name: string };
}

/**
 * The events of `action`, in System Log shape, oldest first.
 *
 * | action | events |
 * |---|---|
 * | `create` | `user.lifecycle.create` (+ `group.user_membership.add` to `everyoneGroup`) |
 * | `create_and_activate` | the above, then `user.lifecycle.activate` |
 * | `activate` … `unsuspend` | `user.lifecycle.<verb>` |
 * | `delete` | `user.lifecycle.delete.initiated`, `user.lifecycle.delete.completed` (a job) |
 * | `update_profile` | `user.account.update_profile` with `changedAttributes` |
 * | `group_add` / `group_remove` | `group.user_membership.add` / `.remove` (User + UserGroup) |
 * | `sign_in` | (`user.authentication.auth_via_mfa`), `user.session.start`, (`user.authentication.sso`) |
 * | `sign_in_failed` | `user.session.start` with `FAILURE` / `INVALID_CREDENTIALS` |
 *
 * @throws {TypeError} on an unknown action, a user without string `id`, `login` and
 *   `displayName`, a bad `now`, or a group action without `group`.
 * @example
 * const events = userActionEvents("create_and_activate", { user, orgUrl });
 * events.map((e) => e.eventType); // ["user.lifecycle.create", "user.lifecycle.activate"]
 */
export function userActionEvents(action: UserAction, context: UserActionContext): SystemLogEvent[] {
  if (!USER_ACTIONS.includes(action)) {
    throw new TypeError(
      `unknown user action ${JSON.stringify(action)}; expected one of ${USER_ACTIONS.join(", ")}`,
    );
  }
  checkUser(context.user);
  const now = context.now ?? Date.now();
  if (!Number.isFinite(now))
    throw new TypeError(`context.now must be epoch milliseconds, got ${now}`);
  const transactionId = newRequestId({ now });
  const actor = context.actor ?? EMULATOR_ADMIN_ACTOR;
  const userTarget = {
    id: context.user.id,
    type: "User",
    alternateId: context.user.login,
    displayName: context.user.displayName,
    detailEntry: null,
  };
  const steps = stepsOf(action, context);
  return steps.map((step, index) => {
    const overrides: LogEventOverrides = {
      published: new Date(now + index).toISOString(),
      actor: step.selfService ? selfActor(context.user) : actor,
      target: step.target?.(userTarget) ?? [userTarget],
      transaction: step.job
        ? { type: "JOB", id: transactionId, detail: {} }
        : { type: "WEB", id: transactionId, detail: {} },
      ...step.overrides,
    };
    const event: DeliveryLogEvent = buildLogEvent(step.type, overrides);
    return toSystemLogEvent(event);
  });
}

type UserTarget = {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: null;
};

interface Step {
  type: string;
  overrides?: LogEventOverrides;
  target?: (user: UserTarget) => LogEventOverrides["target"];
  job?: boolean;
  selfService?: boolean;
}

function stepsOf(action: UserAction, context: UserActionContext): Step[] {
  const groupTarget = (group: { id: string; name: string }) => (user: UserTarget) => [
    user,
    {
      id: group.id,
      type: "UserGroup",
      alternateId: "unknown",
      displayName: group.name,
      detailEntry: null,
    },
  ];
  switch (action) {
    case "create":
    case "create_and_activate": {
      const activate = action === "create_and_activate";
      const steps: Step[] = [
        {
          type: "user.lifecycle.create",
          overrides: urlOverride("/api/v1/users", `/api/v1/users?activate=${activate}`),
        },
      ];
      if (context.everyoneGroup !== undefined) {
        steps.push({
          type: "group.user_membership.add",
          target: groupTarget(context.everyoneGroup),
        });
      }
      if (activate) steps.push({ type: "user.lifecycle.activate" });
      return steps;
    }
    case "activate":
    case "deactivate":
    case "reactivate":
    case "suspend":
    case "unsuspend":
      return [{ type: `user.lifecycle.${action}` }];
    case "delete":
      return [
        { type: "user.lifecycle.delete.initiated" },
        { type: "user.lifecycle.delete.completed", job: true },
      ];
    case "update_profile": {
      const changed = context.changedAttributes ?? [];
      return [
        {
          type: "user.account.update_profile",
          overrides: { debugContext: { debugData: { changedAttributes: changed.join(",") } } },
        },
      ];
    }
    case "group_add":
    case "group_remove": {
      if (context.group === undefined) throw new TypeError(`${action} needs context.group`);
      const verb = action === "group_add" ? "add" : "remove";
      return [{ type: `group.user_membership.${verb}`, target: groupTarget(context.group) }];
    }
    case "sign_in":
      return signInSteps(context);
    case "sign_in_failed":
      return [
        {
          type: "user.session.start",
          selfService: true,
          overrides: {
            outcome: { result: "FAILURE", reason: "INVALID_CREDENTIALS" },
            authenticationContext: { externalSessionId: null },
            ...signInDebugData(context.orgUrl),
          },
          target: () => passwordTargets(),
        },
      ];
  }
}

function signInSteps(context: UserActionContext): Step[] {
  const steps: Step[] = [];
  if (context.mfa === true) {
    steps.push({
      type: "user.authentication.auth_via_mfa",
      selfService: true,
      overrides: {
        authenticationContext: {
          credentialType: "OTP",
          credentialProvider: "OKTA_CREDENTIAL_PROVIDER",
        },
        ...signInDebugData(context.orgUrl),
      },
      target: () => [
        { type: "AuthenticatorEnrollment", alternateId: "unknown", displayName: "Okta Verify" },
      ],
    });
  }
  steps.push({
    type: "user.session.start",
    selfService: true,
    overrides: signInDebugData(context.orgUrl),
    target: () => passwordTargets(),
  });
  const app = context.app;
  if (app !== undefined) {
    steps.push({
      type: "user.authentication.sso",
      selfService: true,
      target: (user) => [
        {
          id: app.id,
          type: "AppInstance",
          alternateId: app.name,
          displayName: app.name,
          detailEntry: null,
        },
        { type: "AppUser", alternateId: user.alternateId, displayName: user.displayName },
      ],
    });
  }
  return steps;
}

/** Okta's sample sign-in: a password enrollment and the Admin Console app (shared spec §1.7). */
function passwordTargets(): LogEventOverrides["target"] {
  return [
    { type: "AuthenticatorEnrollment", alternateId: "unknown", displayName: "Password" },
    { type: "AppInstance", alternateId: "Okta Dashboard", displayName: "Okta Dashboard" },
  ];
}

function signInDebugData(orgUrl: string): LogEventOverrides {
  return { debugContext: { debugData: { origin: orgUrl } } };
}

function urlOverride(requestUri: string, url: string): LogEventOverrides {
  return { debugContext: { debugData: { requestUri, url } } };
}

function selfActor(user: ActionUser): LogActor {
  return {
    id: user.id,
    type: "User",
    alternateId: user.login,
    displayName: user.displayName,
    detailEntry: null,
  };
}

/** The emulated org's administrator: the default actor of admin actions (the API token's owner). */
export const EMULATOR_ADMIN_ACTOR: Readonly<LogActor> = Object.freeze({
  id: "00u1hooktapAdmin0001",
  type: "User",
  alternateId: "admin@example.com",
  displayName: "Ada Admin",
  detailEntry: null,
});

function checkUser(user: ActionUser): void {
  const fields = ["id", "login", "displayName"] as const;
  const bad = fields.find((field) => typeof user?.[field] !== "string" || user[field] === "");
  if (bad !== undefined) {
    throw new TypeError(`context.user.${bad} must be a non-empty string`);
  }
}
