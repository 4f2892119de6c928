/**
 * Checking Users API bodies the way Okta does: the base profile schema (login and email
 * required, login shaped like an email address, only the base attributes), and a password that
 * meets the default policy. Read-only fields a client echoes back from a GET (`id`, `status`,
 * `_links`…) are ignored, as Okta ignores them.
 */
import { OktaApiError } from "../http/okta-api-error.js";
import type { UserProfile } from "../store/users.js";

/** The attributes of Okta's base user profile schema. */
export const BASE_PROFILE_ATTRIBUTES: readonly string[] = [
  "login",
  "email",
  "secondEmail",
  "firstName",
  "lastName",
  "middleName",
  "honorificPrefix",
  "honorificSuffix",
  "title",
  "displayName",
  "nickName",
  "profileUrl",
  "primaryPhone",
  "mobilePhone",
  "streetAddress",
  "city",
  "state",
  "zipCode",
  "postalAddress",
  "countryCode",
  "preferredLanguage",
  "locale",
  "timezone",
  "userType",
  "employeeNumber",
  "costCenter",
  "organization",
  "division",
  "department",
  "managerId",
  "manager",
];

/** Okta's default password policy, the part the emulator checks: at least 8 characters. */
export const MIN_PASSWORD_LENGTH = 8;

/** A checked create/update body. */
export interface UserInput {
  /** The profile attributes given (all of them for a create or a PUT, some for a POST). */
  profile: Partial<UserProfile>;
  /** `credentials.password.value`, when given. */
  password?: string;
}

type Cause = { field: string; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Checks a body. `full`: a create or a PUT (login and email required); otherwise a partial
 * POST update, where only the given attributes are checked.
 *
 * @throws {OktaApiError} 400 E0000003 when the body is not an object, 400 E0000001 naming each
 *   bad field.
 */
export function parseUserInput(body: unknown, options: { full: boolean }): UserInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw OktaApiError.malformedBody("body: a User object is expected");
  }
  const record = body as Record<string, unknown>;
  const causes: Cause[] = [];
  const profile = parseProfile(record.profile, options.full, causes);
  const password = parsePassword(record.credentials, causes);
  if (causes.length > 0) throw OktaApiError.validation(causes);
  return password === undefined ? { profile } : { profile, password };
}

function parseProfile(value: unknown, full: boolean, causes: Cause[]): Partial<UserProfile> {
  if (value === undefined && !full) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    causes.push({ field: "profile", message: "The field cannot be left blank" });
    return {};
  }
  const profile: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(value)) {
    if (!BASE_PROFILE_ATTRIBUTES.includes(name)) {
      causes.push({ field: name, message: `Property name '${name}' is not defined in profile` });
      continue;
    }
    if (attribute !== null && typeof attribute !== "string") {
      causes.push({ field: name, message: "Must be a string or null" });
      continue;
    }
    profile[name] = attribute;
  }
  for (const name of ["login", "email"]) {
    const given = profile[name];
    if ((full && given === undefined) || (name in profile && (given === null || given === ""))) {
      causes.push({ field: name, message: "The field cannot be left blank" });
    }
  }
  const { login, email } = profile;
  if (typeof login === "string" && login !== "" && !EMAIL.test(login)) {
    causes.push({ field: "login", message: "Username must be in the form of an email address" });
  }
  if (typeof email === "string" && email !== "" && !EMAIL.test(email)) {
    causes.push({ field: "email", message: "Does not match required pattern" });
  }
  if (full) {
    profile.firstName ??= null;
    profile.lastName ??= null;
  }
  return profile as Partial<UserProfile>;
}

function parsePassword(credentials: unknown, causes: Cause[]): string | undefined {
  if (credentials === undefined || credentials === null) return undefined;
  if (typeof credentials !== "object" || Array.isArray(credentials)) {
    causes.push({ field: "credentials", message: "Must be an object" });
    return undefined;
  }
  const password = (credentials as Record<string, unknown>).password;
  if (password === undefined || password === null) return undefined;
  const value =
    typeof password === "object" ? (password as Record<string, unknown>).value : undefined;
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length < MIN_PASSWORD_LENGTH) {
    causes.push({
      field: "password",
      message: `Password requirements were not met. Password requirements: at least ${MIN_PASSWORD_LENGTH} characters.`,
    });
    return undefined;
  }
  return value;
}
