/**
 * How `hooktap http` and `hooktap dev` end by themselves: the agent stopped for good after it
 * was online (its token was revoked, or a newer connection with the same token took the
 * endpoint). The command then exits 1 and, once its output is done, says why on stderr.
 */
import type { Agent, AgentStateChange } from "../agent/index.js";
import { EXIT_CODES } from "./errors.js";

/** What to do about a refusal of the embedded relay, by its error code. */
const EMBEDDED_HINTS: Readonly<Record<string, string>> = {
  bad_token: "the embedded relay's local token was revoked: start hooktap again to make a new one",
};

/** What to do about a refusal, by the relay's error code. */
const HINTS: Readonly<Record<string, string>> = {
  replaced:
    "another agent with the same token and endpoint name connected, and this one stops rather than take the endpoint back",
  bad_token:
    "the relay no longer accepts this token: ask its operator for a new one ('hooktap relay token create <name>')",
};

/**
 * Watches an agent for a stop it did not ask for.
 *
 * @example
 * const stop = new TunnelStopWatch(agent);
 * // closing on a signal: stop.closing(); await agent.close();
 * return { finished: stop.finished, close };
 * // after the output closed: if (stop.message !== null) io.stderr(`hooktap: ${stop.message}`);
 */
export class TunnelStopWatch {
  /** Resolves with exit code 1 when the agent stops for good by itself. */
  readonly finished: Promise<number>;
  readonly #agent: Agent;
  readonly #embedded: boolean;
  #closing = false;
  #reason: string | null = null;
  #resolve!: (code: number) => void;

  readonly #onState = (change: AgentStateChange): void => {
    if (change.state === "closed") this.#stopped(change.reason);
  };

  /** `embedded`: the agent's relay runs in this process (its token is the local one). */
  constructor(agent: Agent, { embedded = false }: { embedded?: boolean } = {}) {
    this.#agent = agent;
    this.#embedded = embedded;
    this.finished = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    agent.on("state", this.#onState);
    if (agent.state === "closed") this.#stopped(agent.lastError?.message ?? null);
  }

  /** The command is closing the agent itself: that stop is not news. */
  closing(): void {
    this.#closing = true;
    this.#agent.off("state", this.#onState);
  }

  /** One line saying why the tunnel stopped by itself, or `null`. */
  get message(): string | null {
    if (this.#reason === null) return null;
    const code = this.#agent.lastError?.code ?? "";
    const hint = (this.#embedded ? EMBEDDED_HINTS[code] : undefined) ?? HINTS[code];
    return `the tunnel stopped: ${this.#reason}${hint === undefined ? "" : `; ${hint}`}`;
  }

  #stopped(reason: string | null): void {
    if (this.#closing || this.#reason !== null) return;
    this.#reason = reason ?? "the agent stopped";
    this.#resolve(EXIT_CODES.failure);
  }
}
