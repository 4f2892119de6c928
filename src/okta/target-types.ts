/**
 * Which Okta target *types* (`LogTarget.type`: `User`, `UserGroup`, `AppInstance`, …) an event
 * of a given type carries. The catalog only names detail *schemas* (`ResourceDetails`,
 * `PolicyResourceDetails`, …), so this table supplies the types, from the shared spec §6
 * ("Typical targets"), the DOC sample payloads and the captured deliveries. Where no rule
 * fits, a type is derived from the catalog's schema hint (see {@link resolveTargetTypes}).
 * Okta does not guarantee target order; receivers must search targets by `type`.
 */
import { firstMatch } from "./type-pattern.js";

/** One row of {@link TARGET_TYPE_RULES}. */
export interface TargetTypeRule {
  /** An exact event type or a `prefix.*` pattern. */
  readonly pattern: string;
  /** Target types, in the order the builder emits them. */
  readonly targets: readonly string[];
  /** Where the rule comes from, with the shared spec's evidence labels; `INF` = our inference. */
  readonly evidence: string;
}

/** Ordered: the first matching rule wins, so specific patterns come before their families. */
export const TARGET_TYPE_RULES: readonly TargetTypeRule[] = [
  // HELP filter examples: a User and a UserGroup with alternateId "unknown".
  { pattern: "group.user_membership.add", targets: ["User", "UserGroup"], evidence: "§6, HELP" },
  { pattern: "group.user_membership.remove", targets: ["User", "UserGroup"], evidence: "§6, HELP" },
  {
    pattern: "group.application_assignment.*",
    targets: ["AppInstance", "UserGroup"],
    evidence: "INF",
  },
  { pattern: "group.*", targets: ["UserGroup"], evidence: "INF" },
  { pattern: "system.import.group.*", targets: ["UserGroup"], evidence: "INF" },
  // The DOC sample (an OIE sign-in) targets the enrollment used and the app signed in to; the
  // signing-in user is the actor. Chosen over a `User` target because it is a real payload.
  {
    pattern: "user.session.start",
    targets: ["AuthenticatorEnrollment", "AppInstance"],
    evidence: "§1.7, DOC",
  },
  { pattern: "user.authentication.sso", targets: ["AppInstance", "AppUser"], evidence: "INF" },
  { pattern: "user.lifecycle.*", targets: ["User"], evidence: "§6, OBS-CAP" },
  { pattern: "user.account.*", targets: ["User"], evidence: "§6, OBS-CAP" },
  { pattern: "user.mfa.*", targets: ["User"], evidence: "INF" },
  { pattern: "user.*", targets: ["User"], evidence: "INF" },
  // §6 says "AppUser/User + AppInstance" (inferred there from the Workflows docs): emit all three.
  {
    pattern: "application.user_membership.*",
    targets: ["AppUser", "AppInstance", "User"],
    evidence: "§6, INF",
  },
  { pattern: "application.lifecycle.*", targets: ["AppInstance"], evidence: "INF" },
  { pattern: "application.*", targets: ["AppInstance"], evidence: "INF" },
  { pattern: "device.user.*", targets: ["Device", "User"], evidence: "INF" },
  { pattern: "device.*", targets: ["Device"], evidence: "INF" },
  { pattern: "policy.rule.*", targets: ["PolicyEntity", "PolicyRule"], evidence: "INF" },
  { pattern: "policy.branch.rule.*", targets: ["PolicyEntity", "PolicyRule"], evidence: "INF" },
  { pattern: "policy.*", targets: ["PolicyEntity"], evidence: "INF" },
  { pattern: "event_hook.*", targets: ["EventHook"], evidence: "INF" },
];

/**
 * The target types of an event type: the first matching {@link TARGET_TYPE_RULES} row; else one
 * type per catalog schema hint, named after the hint without its `ResourceDetails`/`Details`
 * suffix (`PolicyResourceDetails` → `Policy`); the generic hint `ResourceDetails`, or no hint at
 * all, gives one type named after the noun before the verb (`system.log_stream.lifecycle.create`
 * → `LogStream`). Those derived names are synthetic: Okta's real name may differ.
 *
 * @example
 * resolveTargetTypes("group.user_membership.add", []); // ["User", "UserGroup"]
 * resolveTargetTypes("system.api_token.create", ["ApiTokenResourceDetails"]); // ["ApiToken"]
 */
export function resolveTargetTypes(type: string, schemaTargets: readonly string[]): string[] {
  const rule = firstMatch(type, TARGET_TYPE_RULES);
  if (rule !== undefined) return [...rule.targets];
  const names = schemaTargets.map((hint) => hint.replace(/(Resource)?Details$/, ""));
  const derived = names.map((name) => (name === "" ? nounOf(type) : name));
  return derived.length > 0 ? [...new Set(derived)] : [nounOf(type)];
}

/** `system.log_stream.lifecycle.create` → `LogStream`; `inline_hook.executed` → `InlineHook`. */
function nounOf(type: string): string {
  const parts = type
    .split(".")
    .slice(0, -1)
    .filter((part) => part !== "lifecycle");
  const noun = parts.at(-1) ?? type;
  return noun
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}
