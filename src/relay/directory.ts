/**
 * The relay's view of its endpoints for `Relay.endpoints()`: every reserved name, whether its
 * agent is online, and how many requests wait in its queue. The counts are a cache refreshed
 * after each change the relay makes (enqueue, delivery, expiry), so that `endpoints()` stays
 * synchronous; they may lag a moment behind the store.
 */
import type { Logger } from "../log/index.js";
import type { RelayStore } from "./store/index.js";

/** One endpoint as `Relay.endpoints()` lists it. */
export interface EndpointStatus {
  name: string;
  /** True while an agent is connected and welcomed for it. */
  online: boolean;
  /** Requests pending in its durable queue. */
  queued: number;
}

/**
 * Cached queue depths of the endpoints.
 *
 * @example
 * const directory = new EndpointDirectory(store, logger, (name) => gateway.online(name) !== undefined);
 * await directory.load();
 * directory.list(); // [{ name: "okta-dev", online: false, queued: 3 }]
 */
export class EndpointDirectory {
  readonly #store: RelayStore;
  readonly #logger: Logger;
  readonly #isOnline: (name: string) => boolean;
  readonly #queued = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(store: RelayStore, logger: Logger, isOnline: (name: string) => boolean) {
    this.#store = store;
    this.#logger = logger;
    this.#isOnline = isOnline;
  }

  /** Reads every reservation and its queue depth. */
  async load(): Promise<void> {
    for (const { name } of await this.#store.listEndpoints()) {
      this.#queued.set(name, await this.#store.countPending(name));
    }
  }

  /** Re-reads the queue depth of `name` (in the background). */
  refresh(name: string): void {
    const done = this.#store.countPending(name).then(
      (count) => {
        this.#queued.set(name, count);
      },
      (error: unknown) => {
        this.#logger.debug("queue depth not refreshed", {
          endpoint: name,
          error: error instanceof Error ? error.message : String(error),
        });
      },
    );
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }

  /** Re-reads every known endpoint's queue depth. */
  refreshAll(): void {
    for (const name of this.#queued.keys()) this.refresh(name);
  }

  /** Every known endpoint, sorted by name. */
  list(online: readonly string[]): EndpointStatus[] {
    const names = new Set([...this.#queued.keys(), ...online]);
    return [...names].sort().map((name) => ({
      name,
      online: this.#isOnline(name),
      queued: this.#queued.get(name) ?? 0,
    }));
  }

  /** Resolves when no refresh is in flight (before the store closes). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }
}
