/**
 * The action behind each event type `trigger` can fire for real, as a person would in the
 * Admin Console. Each action has a setup (a fresh user in the right status, a group), whose
 * events are routed like any other, and a final step, whose events are the ones `trigger`
 * reports. A fresh user each time: triggering never changes the people the user made.
 */
import { randomBytes } from "node:crypto";
import type { EmulatorApp } from "../http/context.js";
import type { StoredGroup, StoredUser } from "../store/users.js";
import {
  changeMembership,
  changeStatus,
  createUser,
  deleteUser,
  groupNamed,
  signIn,
  updateProfile,
} from "../users/actions.js";

/** An action: its setup runs at once; `fire` is the step whose events are reported. */
export interface PreparedAction {
  /** For people: e.g. `deactivate jane.roe.k3v9@example.com`. */
  description: string;
  fire(): void;
}

type ActionFactory = (app: EmulatorApp) => PreparedAction;

const FIRST = ["Jane", "John", "Ana", "Kenji", "Priya", "Lars", "Amara", "Chen", "Sofia", "Omar"];
const LAST = ["Roe", "Doe", "Silva", "Sato", "Patel", "Berg", "Okafor", "Wei", "Rossi", "Haddad"];
/** The group membership triggers use. */
export const TRIGGER_GROUP_NAME = "Triggered Group";
const PASSWORD = "Hooktap-Trigger-1";

function pick(list: readonly string[]): string {
  return list[(randomBytes(1)[0] ?? 0) % list.length] as string;
}

/** A realistic new person: `Jane Roe`, `jane.roe.k3v9@example.com`. */
export function randomPerson(): { firstName: string; lastName: string; login: string } {
  const firstName = pick(FIRST);
  const lastName = pick(LAST);
  const suffix = randomBytes(3).toString("hex").slice(0, 4);
  const login = `${firstName}.${lastName}.${suffix}@example.com`.toLowerCase();
  return { firstName, lastName, login };
}

function newUser(app: EmulatorApp, status: "STAGED" | "PROVISIONED" | "ACTIVE"): StoredUser {
  const { firstName, lastName, login } = randomPerson();
  return createUser(
    app,
    {
      profile: { firstName, lastName, login, email: login },
      ...(status === "ACTIVE" ? { password: PASSWORD } : {}),
    },
    status !== "STAGED",
  ).value;
}

function triggerGroup(app: EmulatorApp): StoredGroup {
  return groupNamed(app, "OKTA_GROUP", {
    name: TRIGGER_GROUP_NAME,
    description: "Made by hooktap trigger",
  });
}

const login = (user: StoredUser): string => user.profile.login;

/** Event type → the action that fires it. */
export const TRIGGER_ACTIONS: Readonly<Record<string, ActionFactory>> = {
  "user.lifecycle.create": (app) => {
    const { firstName, lastName, login: name } = randomPerson();
    return {
      description: `create ${name}`,
      fire: () =>
        createUser(app, { profile: { firstName, lastName, login: name, email: name } }, false),
    };
  },
  "user.lifecycle.activate": (app) => {
    const user = newUser(app, "STAGED");
    return {
      description: `activate ${login(user)}`,
      fire: () => changeStatus(app, user.id, "activate"),
    };
  },
  "user.lifecycle.reactivate": (app) => {
    const user = newUser(app, "PROVISIONED");
    return {
      description: `reactivate ${login(user)}`,
      fire: () => changeStatus(app, user.id, "reactivate"),
    };
  },
  "user.lifecycle.deactivate": (app) => {
    const user = newUser(app, "ACTIVE");
    return {
      description: `deactivate ${login(user)}`,
      fire: () => changeStatus(app, user.id, "deactivate"),
    };
  },
  "user.lifecycle.suspend": (app) => {
    const user = newUser(app, "ACTIVE");
    return {
      description: `suspend ${login(user)}`,
      fire: () => changeStatus(app, user.id, "suspend"),
    };
  },
  "user.lifecycle.unsuspend": (app) => {
    const user = newUser(app, "ACTIVE");
    changeStatus(app, user.id, "suspend");
    return {
      description: `unsuspend ${login(user)}`,
      fire: () => changeStatus(app, user.id, "unsuspend"),
    };
  },
  "user.lifecycle.delete.initiated": (app) => deleteAction(app),
  "user.lifecycle.delete.completed": (app) => deleteAction(app),
  "user.account.update_profile": (app) => {
    const user = newUser(app, "ACTIVE");
    return {
      description: `update the profile of ${login(user)}`,
      fire: () =>
        updateProfile(
          app,
          user.id,
          { profile: { title: "Senior Engineer", department: "R&D" } },
          false,
        ),
    };
  },
  "group.user_membership.add": (app) => {
    const user = newUser(app, "ACTIVE");
    const group = triggerGroup(app);
    return {
      description: `add ${login(user)} to ${group.profile.name}`,
      fire: () => changeMembership(app, group.id, user.id, true),
    };
  },
  "group.user_membership.remove": (app) => {
    const user = newUser(app, "ACTIVE");
    const group = triggerGroup(app);
    changeMembership(app, group.id, user.id, true);
    return {
      description: `remove ${login(user)} from ${group.profile.name}`,
      fire: () => changeMembership(app, group.id, user.id, false),
    };
  },
  "user.session.start": (app) => {
    const user = newUser(app, "ACTIVE");
    return {
      description: `sign in as ${login(user)}`,
      fire: () => signIn(app, { login: login(user), password: PASSWORD }),
    };
  },
  "user.authentication.auth_via_mfa": (app) => {
    const user = newUser(app, "ACTIVE");
    return {
      description: `sign in with a second factor as ${login(user)}`,
      fire: () => signIn(app, { login: login(user), password: PASSWORD, mfa: true }),
    };
  },
};

function deleteAction(app: EmulatorApp): PreparedAction {
  const user = newUser(app, "ACTIVE");
  changeStatus(app, user.id, "deactivate");
  return { description: `delete ${login(user)}`, fire: () => deleteUser(app, user.id) };
}
