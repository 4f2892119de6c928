/**
 * A small typed event emitter, one per agent: no module-level state, and a listener that throws
 * is logged instead of breaking the agent (unlike Node's EventEmitter, `error` needs no listener).
 */
import type { Logger } from "../log/index.js";

/**
 * Listeners of the events of `Events` (event name → payload type).
 *
 * @example
 * const events = new TypedEmitter<{ state: string }>(logger);
 * events.on("state", (s) => seen.push(s));
 * events.emit("state", "online");
 */
export class TypedEmitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
  }

  off<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): void {
    this.#listeners.get(event)?.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        this.#logger.warn("an agent event listener threw", {
          event: String(event),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  /** Drops every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
