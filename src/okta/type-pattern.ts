/**
 * Event type patterns used by the rule tables of this folder: `user.lifecycle.*` matches every
 * type under `user.lifecycle.` (at any depth), anything else matches exactly.
 */

/**
 * Whether `type` matches `pattern`.
 *
 * @example
 * matchesTypePattern("user.lifecycle.delete.initiated", "user.lifecycle.*"); // true
 * matchesTypePattern("user.lifecycle", "user.lifecycle.*"); // false
 */
export function matchesTypePattern(type: string, pattern: string): boolean {
  return pattern.endsWith(".*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

/**
 * The first entry of an ordered rule table whose `pattern` matches `type`.
 *
 * @example
 * firstMatch("group.lifecycle.create", [{ pattern: "group.*", v: 1 }])?.v; // 1
 */
export function firstMatch<R extends { readonly pattern: string }>(
  type: string,
  rules: readonly R[],
): R | undefined {
  return rules.find((rule) => matchesTypePattern(type, rule.pattern));
}
