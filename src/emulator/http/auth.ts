/**
 * API token check: `Authorization: SSWS <token>` (Okta's API tokens) or `Bearer <token>` (the
 * OAuth form; the emulator accepts its one API token there too). Compared in constant time over
 * SHA-256 digests, so neither content nor length leaks through timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const SCHEME = /^(SSWS|Bearer)[ \t]+(\S+)[ \t]*$/i;

/** A checker for one token. */
export interface TokenCheck {
  /** True when the `Authorization` header carries the token with `SSWS` or `Bearer`. */
  accepts(authorization: string | undefined): boolean;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * A {@link TokenCheck} for `token`.
 *
 * @example
 * createTokenCheck("00abc").accepts("SSWS 00abc"); // true
 */
export function createTokenCheck(token: string): TokenCheck {
  const expected = digest(token);
  return {
    accepts(authorization) {
      if (authorization === undefined) return false;
      const match = SCHEME.exec(authorization);
      if (match === null) return false;
      return timingSafeEqual(digest(match[2] ?? ""), expected);
    },
  };
}
