/**
 * The one error the agent throws or rejects with. Its `code` says which kind of failure; the
 * CLI maps `invalid_option` to a usage error and the others to a runtime failure.
 */

/**
 * - `invalid_option`: {@link startAgent} got an option it cannot use (`field` names it).
 * - `refused`: the relay refused the agent for a reason retrying cannot fix; `reason` is the
 *   protocol's error code (`bad_token`, `endpoint_taken`, …).
 * - `closed`: `close()` was called before the agent was welcomed.
 */
export type AgentErrorCode = "invalid_option" | "refused" | "closed";

/** Extra data of an {@link AgentError}. */
export interface AgentErrorOptions {
  /** For `invalid_option`: the option's name. */
  field?: string;
  /** For `refused`: the relay's error code. */
  reason?: string;
  cause?: unknown;
}

/**
 * Thrown by {@link startAgent} for a bad option (synchronously), and the rejection of
 * `agent.ready()` on a refusal or an early close.
 *
 * @example
 * try {
 *   await agent.ready();
 * } catch (error) {
 *   if (error instanceof AgentError && error.reason === "bad_token") printHint();
 * }
 */
export class AgentError extends Error {
  override readonly name = "AgentError";
  readonly code: AgentErrorCode;
  readonly field: string | undefined;
  readonly reason: string | undefined;

  constructor(code: AgentErrorCode, message: string, options: AgentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.reason = options.reason;
  }
}
