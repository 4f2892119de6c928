/**
 * Plausible actors and targets for generated events: fictional people, groups and apps on
 * `example.com`, with ids in Okta's formats. Only the shapes are Okta facts (shared spec §2.2);
 * the names are ours.
 */
import { randomBytes } from "node:crypto";
import { type IdOptions, newOktaId, newUserId } from "./ids.js";
import type { LogActor, LogTarget } from "./log-event.js";

/** A fictional person an event is about. */
export interface SamplePerson {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
}

const PEOPLE = [
  ["John", "Doe"],
  ["Jane", "Roe"],
  ["Ana", "Silva"],
  ["Kenji", "Sato"],
  ["Priya", "Patel"],
  ["Lars", "Berg"],
  ["Amara", "Okafor"],
  ["Chen", "Wei"],
] as const;
const GROUPS = ["Sales", "Engineering", "Marketing", "Support", "Finance", "Contractors"];
const APPS = ["Salesforce.com", "Slack", "Zoom", "Workday", "GitHub Enterprise Cloud"];

/** 3-character id prefixes of known target types (Okta's object-id prefixes). */
const ID_PREFIX: Record<string, string> = {
  User: "00u",
  UserGroup: "00g",
  AppInstance: "0oa",
  AppUser: "0ua",
  AuthenticatorEnrollment: "lae",
  Device: "guo",
  PolicyEntity: "00p",
  PolicyRule: "0pr",
  EventHook: "who",
};

const DISPLAY_NAME: Record<string, string> = {
  AuthenticatorEnrollment: "Password",
  Device: "MacBook Pro",
  PolicyEntity: "Default Policy",
  PolicyRule: "Default Rule",
  EventHook: "My event hook",
};

function pick<T>(items: readonly T[], options: IdOptions): T {
  const byte = (options.random ?? randomBytes)(1)[0] ?? 0;
  return items[byte % items.length] as T;
}

/**
 * A fictional person with a fresh `00u` id and an `example.com` login.
 *
 * @example
 * samplePerson().login; // "jane.roe@example.com"
 */
export function samplePerson(options: IdOptions = {}): SamplePerson {
  const [first, last] = pick(PEOPLE, options);
  return {
    id: newUserId(options),
    login: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    displayName: `${first} ${last}`,
  };
}

/**
 * The default actor: an administrator acting in the Admin Console or through the API.
 *
 * @example
 * sampleAdminActor().type; // "User"
 */
export function sampleAdminActor(options: IdOptions = {}): LogActor {
  return {
    id: newUserId(options),
    type: "User",
    alternateId: "admin@example.com",
    displayName: "Ada Admin",
    detailEntry: null,
  };
}

/**
 * A target of the given `LogTarget.type`, in Okta's key order (`id, type, alternateId,
 * displayName, detailEntry`). `User` and `AppUser` targets describe `person`; groups and
 * enrollments carry `alternateId: "unknown"` as Okta's do. Unknown types get a generic target.
 *
 * @example
 * sampleTarget("UserGroup", samplePerson()).alternateId; // "unknown"
 */
export function sampleTarget(
  type: string,
  person: SamplePerson,
  options: IdOptions = {},
): LogTarget {
  const [alternateId, displayName] = namesOf(type, person, options);
  const id = type === "User" ? person.id : newOktaId(idPrefixOf(type), options);
  return { id, type, alternateId, displayName, detailEntry: null };
}

function namesOf(type: string, person: SamplePerson, options: IdOptions): [string, string] {
  switch (type) {
    case "User":
    case "AppUser":
      return [person.login, person.displayName];
    case "AppInstance": {
      const app = pick(APPS, options);
      return [app, app];
    }
    case "UserGroup":
      return ["unknown", pick(GROUPS, options)];
    default:
      return ["unknown", DISPLAY_NAME[type] ?? `Example ${type}`];
  }
}

/** `ApiToken` → `api`: a stable, lower-case prefix so ids of one synthetic type look alike. */
function idPrefixOf(type: string): string {
  return ID_PREFIX[type] ?? `${type.toLowerCase().replace(/[^0-9a-z]/g, "")}000`.slice(0, 3);
}
