/**
 * Passwords of emulated users: kept as scrypt hashes (the org's database may be shared with a
 * bug report), compared in constant time.
 */
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/** `scrypt$<salt>$<hash>`, base64url. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString("base64url")}$${scryptSync(password, salt, 32).toString("base64url")}`;
}

/** Whether `password` matches `stored` (a {@link hashPassword} result). */
export function passwordMatches(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(password, Buffer.from(salt, "base64url"), expected.length);
  return timingSafeEqual(actual, expected);
}
