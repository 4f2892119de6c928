/**
 * Notices changes that other processes make to the relay's store: `hooktap relay token revoke`
 * (and the queue commands) edit the file while the relay runs. Every `intervalMs` the watch
 * reads the store's revision, one indexed read; when it moved, it calls `onChange`, which
 * re-checks what may have changed. A change is therefore acted on within one interval.
 */
import type { Logger } from "../log/index.js";
import type { RelayStore } from "./store/index.js";

/** What a {@link StoreWatch} needs. */
export interface StoreWatchOptions {
  store: RelayStore;
  intervalMs: number;
  logger: Logger;
  /** The revision moved. Awaited before the next read, so two reactions never overlap. */
  onChange: () => Promise<void>;
}

/**
 * Polls the store's revision.
 *
 * @example
 * const watch = new StoreWatch({ store, intervalMs: 2000, logger, onChange });
 * await watch.start();
 * // …
 * await watch.close();
 */
export class StoreWatch {
  readonly #options: StoreWatchOptions;
  #revision: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> = Promise.resolve();
  #busy = false;
  #failing = false;

  constructor(options: StoreWatchOptions) {
    this.#options = options;
  }

  /** Reads the current revision, then starts the timer. */
  async start(): Promise<void> {
    this.#revision = await this.#options.store.revision();
    this.#timer = setInterval(() => {
      if (this.#busy) return;
      this.#busy = true;
      this.#tick = this.#check().finally(() => {
        this.#busy = false;
      });
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer; resolves once a check in progress is done (before the store closes). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#tick;
  }

  async #check(): Promise<void> {
    const { store, logger, onChange } = this.#options;
    try {
      const revision = await store.revision();
      if (revision !== this.#revision) {
        await onChange();
        // Only once handled: a reaction that failed is tried again at the next tick.
        this.#revision = revision;
      }
      this.#failing = false;
    } catch (error) {
      // Logged once per outage, not at every tick.
      if (this.#failing) return;
      this.#failing = true;
      logger.warn("relay store changes not checked", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
