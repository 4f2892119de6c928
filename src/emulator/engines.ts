/**
 * The engines the API calls: verification of a hook's endpoint. Kept behind this small
 * interface so routes do not depend on how requests leave the emulator.
 */
import type { Logger } from "../log/index.js";
import type { DeliveryChannel } from "./delivery/channel.js";
import { type VerificationResult, verifyEventHook } from "./delivery/verify.js";

/** Sends Okta's one-time verification request (with its retry) to a hook's channel. */
export type VerifyEventHook = (
  channel: DeliveryChannel,
  hookId: string,
) => Promise<VerificationResult>;

/** The engines an emulator runs with. */
export interface EmulatorEngines {
  verifyEventHook: VerifyEventHook;
}

/** What the default engines need from the emulator. */
export interface EngineContext {
  logger: Logger;
  /** Aborted when the emulator closes: in-flight verifications end at once. */
  signal: AbortSignal;
  /** Per-attempt verification deadline. */
  verificationTimeoutMs: number;
}

/** The engines of this build. */
export function defaultEngines(context: EngineContext): EmulatorEngines {
  return {
    verifyEventHook: (channel, hookId) =>
      verifyEventHook(channel, {
        hookId,
        logger: context.logger,
        signal: context.signal,
        timeoutMs: context.verificationTimeoutMs,
      }),
  };
}
