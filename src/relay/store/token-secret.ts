/**
 * Agent token secrets: generated from the OS's CSPRNG, shown once, stored only as a SHA-256
 * hash. A plain (unsalted) hash is enough because the secret carries ~238 bits of entropy: no
 * dictionary or brute force can reach it, and a deterministic hash allows an indexed lookup.
 */
import { createHash, randomBytes } from "node:crypto";

/** Every secret starts with this, so leaked secrets are easy to recognise and scan for. */
export const TOKEN_SECRET_PREFIX = "htk_";

/** Number of base62 characters after the prefix. */
export const TOKEN_SECRET_LENGTH = 40;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SECRET_PATTERN = /^htk_[0-9A-Za-z]{40}$/;
// 248 = 4 × 62: bytes at or above it are dropped so that every character is equally likely.
const UNBIASED_LIMIT = 248;

/**
 * A fresh secret: `htk_` followed by 40 uniformly random base62 characters.
 *
 * @example
 * const secret = generateTokenSecret(); // "htk_4Fz…"
 */
export function generateTokenSecret(): string {
  let out = TOKEN_SECRET_PREFIX;
  while (out.length < TOKEN_SECRET_PREFIX.length + TOKEN_SECRET_LENGTH) {
    for (const byte of randomBytes(64)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += BASE62[byte % 62];
      if (out.length === TOKEN_SECRET_PREFIX.length + TOKEN_SECRET_LENGTH) break;
    }
  }
  return out;
}

/**
 * True when `value` has the shape of a secret; anything else cannot authenticate, so the store
 * answers without a lookup.
 *
 * @example
 * looksLikeTokenSecret(header.slice("Bearer ".length));
 */
export function looksLikeTokenSecret(value: unknown): value is string {
  return typeof value === "string" && SECRET_PATTERN.test(value);
}

/**
 * The stored form of a secret: lower-case hex SHA-256 of its UTF-8 text, prefix included.
 *
 * @example
 * hashTokenSecret("htk_…"); // "9f86d0…" (64 hex digits)
 */
export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
