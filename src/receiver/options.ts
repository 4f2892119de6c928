import { isHttpToken } from "../http/index.js";
import { silentLogger } from "../log/index.js";
import { createMemoryDedupeStore } from "./memory-dedupe-store.js";
import type { ReceiverOptions, ResolvedReceiverOptions } from "./types.js";

/** Default `maxBodyBytes`: 4 MiB, far above any real Okta batch. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Default `ackTimeoutMs`: leaves half a second of Okta's 3-second budget for the network. */
export const DEFAULT_ACK_TIMEOUT_MS = 2_500;

/**
 * Applies every default of {@link ReceiverOptions} (the only place they are written) and
 * checks the values, throwing a `TypeError` or `RangeError` that names the bad option.
 *
 * @example
 * resolveReceiverOptions({}).maxBodyBytes; // 4194304
 */
export function resolveReceiverOptions(options: ReceiverOptions = {}): ResolvedReceiverOptions {
  const auth = options.auth ?? null;
  if (auth !== null) {
    if (!isHttpToken(auth.name)) {
      throw new TypeError(
        `auth.name must be an HTTP header name, got ${JSON.stringify(auth.name)}`,
      );
    }
    if (typeof auth.value !== "string" || auth.value.length === 0) {
      throw new TypeError("auth.value must be a non-empty string");
    }
  }
  const ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  if (!Number.isFinite(ackTimeoutMs) || ackTimeoutMs < 0) {
    throw new RangeError(`ackTimeoutMs must be a non-negative number, got ${ackTimeoutMs}`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new RangeError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  }
  const dedupe = options.dedupe ?? createMemoryDedupeStore();
  if (
    dedupe !== false &&
    (typeof dedupe.claim !== "function" || typeof dedupe.release !== "function")
  ) {
    throw new TypeError("dedupe must be false or an object with claim() and release()");
  }
  return {
    auth: auth === null ? null : { name: auth.name.toLowerCase(), value: auth.value },
    authOnVerification: options.authOnVerification ?? true,
    awaitHandlers: options.awaitHandlers ?? false,
    ackTimeoutMs,
    maxBodyBytes,
    dedupe,
    logger: options.logger ?? silentLogger,
  };
}
