/**
 * The engines the API calls: verification of a hook's endpoint and the System Log query
 * matchers. Kept behind this small interface so routes do not depend on how requests leave
 * the emulator, and so pieces can be swapped in tests.
 */
import type { Logger } from "../log/index.js";
import type { SystemLogEvent } from "../okta/index.js";
import type { DeliveryChannel } from "./delivery/channel.js";
import { type VerificationResult, verifyEventHook } from "./delivery/verify.js";

/** A predicate over System Log events, compiled from the `filter` query parameter. */
export type LogEventPredicate = (event: SystemLogEvent) => boolean;

/** Sends Okta's one-time verification request (with its retry) to a hook's channel. */
export type VerifyEventHook = (
  channel: DeliveryChannel,
  hookId: string,
) => Promise<VerificationResult>;

/** The engines an emulator runs with; `null` when not available in this build. */
export interface EmulatorEngines {
  verifyEventHook: VerifyEventHook;
  /** Compiles a System Log `filter` (SCIM subset); throws an `Error` naming the problem. */
  compileLogFilter: ((expression: string) => LogEventPredicate) | null;
  /** Whether an event matches the System Log `q` keywords. */
  matchesLogQuery: ((event: SystemLogEvent, q: string) => boolean) | null;
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
    compileLogFilter: null,
    matchesLogQuery: null,
  };
}
