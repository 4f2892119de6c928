/**
 * One {@link QueueWorker} per online endpoint: started when its agent is welcomed, stopped
 * when it leaves, woken when a request is queued. A new worker for an endpoint waits for the
 * previous one to settle, so two never deliver the same head at once.
 */
import type { Logger } from "../log/index.js";
import { QueueWorker } from "./queue-worker.js";
import type { AgentSession } from "./session.js";
import type { RelayStore } from "./store/index.js";

/** What every worker shares. */
export interface QueueWorkersOptions {
  store: RelayStore;
  scheme: "http" | "https";
  deliveryTimeoutMs: number;
  retryDelayMs: (attempt: number) => number;
  logger: Logger;
  now: () => number;
  /** The queue of `endpoint` changed. */
  onChange: (endpoint: string) => void;
}

/**
 * The delivery workers of a relay.
 *
 * @example
 * const workers = new QueueWorkers({ store, scheme, deliveryTimeoutMs, retryDelayMs, logger, now, onChange });
 * workers.start(session); // on welcome
 * workers.wake("okta-dev"); // after an enqueue
 */
export class QueueWorkers {
  readonly #options: QueueWorkersOptions;
  readonly #workers = new Map<string, { session: AgentSession; worker: QueueWorker }>();
  readonly #retired = new Set<QueueWorker>();
  /** The latest worker of each endpoint, running or retired: the one a new worker waits for. */
  readonly #latest = new Map<string, QueueWorker>();

  constructor(options: QueueWorkersOptions) {
    this.#options = options;
  }

  /** Starts delivering `session`'s endpoint queue over its connection. */
  start(session: AgentSession): void {
    const endpoint = session.endpoint;
    if (endpoint === null) return;
    const running = this.#workers.get(endpoint);
    if (running !== undefined) this.#retire(running.worker);
    const previous = this.#latest.get(endpoint);
    const worker = new QueueWorker({
      ...this.#options,
      endpoint,
      mux: session.mux,
      onChange: () => this.#options.onChange(endpoint),
      ...(previous === undefined ? {} : { after: previous.settled() }),
    });
    this.#workers.set(endpoint, { session, worker });
    this.#latest.set(endpoint, worker);
  }

  /** Stops the worker of `session` (not a newer one of the same endpoint). */
  stop(session: AgentSession): void {
    const endpoint = session.endpoint;
    if (endpoint === null) return;
    const entry = this.#workers.get(endpoint);
    if (entry?.session !== session) return;
    this.#workers.delete(endpoint);
    this.#retire(entry.worker);
  }

  /** A request was queued for `endpoint`: deliver it now if its agent is online. */
  wake(endpoint: string): void {
    this.#workers.get(endpoint)?.worker.wake();
  }

  /** Every worker looks at its queue again (another process changed the store). */
  wakeAll(): void {
    for (const { worker } of this.#workers.values()) worker.wake();
  }

  /** Stops every worker; resolves when none is delivering. */
  async close(): Promise<void> {
    for (const { worker } of this.#workers.values()) this.#retire(worker);
    this.#workers.clear();
    await Promise.all([...this.#retired].map((worker) => worker.settled()));
  }

  #retire(worker: QueueWorker): void {
    worker.stop();
    this.#retired.add(worker);
    void worker.settled().then(() => {
      this.#retired.delete(worker);
      for (const [endpoint, latest] of this.#latest) {
        if (latest === worker) this.#latest.delete(endpoint);
      }
    });
  }
}
