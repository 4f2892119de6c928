/**
 * Deep merge that keeps the base object's key order, so overriding part of a generated event
 * still serializes in Okta's wire order (shared spec §1.4).
 */

/** A plain JSON-style object (not an array, not null, not a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges `override` into `base` without mutating either:
 * - both plain objects: the base's keys in the base's order (merged recursively where the
 *   override has them), then the override's extra keys in the override's order;
 * - `undefined` in the override keeps the base value;
 * - anything else (arrays, `null`, scalars) replaces the base value.
 * Values taken from the override are deep-copied, so the result never aliases the caller's data.
 *
 * @example
 * mergeOrdered({ result: "SUCCESS", reason: null }, { reason: "X", extra: 1 });
 * // { result: "SUCCESS", reason: "X", extra: 1 }
 */
export function mergeOrdered<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override) as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) {
    define(out, key, Object.hasOwn(override, key) ? mergeOrdered(value, override[key]) : value);
  }
  for (const [key, value] of Object.entries(override)) {
    if (!Object.hasOwn(base, key) && value !== undefined) define(out, key, structuredClone(value));
  }
  return out as T;
}

/** Plain assignment would turn a JSON key `__proto__` into a prototype change. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
