/**
 * The outbound engines the API calls: verification of a hook's endpoint (and, through the
 * System Log subscription, delivery). Kept behind this small interface so routes do not
 * depend on how requests leave the emulator.
 */

import type { SystemLogEvent } from "../okta/index.js";

/** The hook channel a verification needs. */
export interface VerificationChannel {
  uri: string;
  authScheme?: { type: "HEADER"; key: string; value: string };
  headers?: { key: string; value: string }[];
}

/** What a verification found. */
export interface VerificationOutcome {
  verified: boolean;
  /** Why it failed, in one sentence (timeout, status, body). */
  cause?: string;
}

/** Sends Okta's one-time verification request to a channel. */
export type VerifyEventHook = (channel: VerificationChannel) => Promise<VerificationOutcome>;

/** A predicate over System Log events, compiled from the `filter` query parameter. */
export type LogEventPredicate = (event: SystemLogEvent) => boolean;

/** The engines an emulator runs with; `null` when not available in this build. */
export interface EmulatorEngines {
  verifyEventHook: VerifyEventHook | null;
  /** Compiles a System Log `filter` (SCIM subset); throws an `Error` naming the problem. */
  compileLogFilter: ((expression: string) => LogEventPredicate) | null;
  /** Whether an event matches the System Log `q` keywords. */
  matchesLogQuery: ((event: SystemLogEvent, q: string) => boolean) | null;
}

/** The engines of this build. */
export function defaultEngines(): EmulatorEngines {
  return { verifyEventHook: null, compileLogFilter: null, matchesLogQuery: null };
}
