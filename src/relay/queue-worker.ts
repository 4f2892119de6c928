/**
 * Delivery of one endpoint's queue to its online agent: one request at a time, strictly in
 * arrival order, until the app answers 2xx; other answers, resets and timeouts are recorded
 * and retried with backoff (the head holds back the rest, see `RelayStore.nextDue`).
 *
 * The worker sleeps when there is nothing due: it wakes on a timer set to the head's next
 * attempt, on `wake()` (a request was queued, or another process retried or dropped some), and
 * is created when the agent connects. It never polls faster than the queue needs.
 */
import { Readable } from "node:stream";
import type { Logger } from "../log/index.js";
import {
  ConnectionClosedError,
  type IncomingResponse,
  type OutgoingRequestStream,
  ProtocolError,
  type RelayMux,
  StreamLimitError,
  StreamResetError,
} from "../protocol/index.js";
import { type QueuedRequest, type RelayStore, StoreError } from "./store/index.js";

/** After a store failure or a full stream table, the worker tries again this much later. */
const RETRY_LATER_MS = 1000;

/** What a worker needs. */
export interface QueueWorkerOptions {
  endpoint: string;
  store: RelayStore;
  mux: RelayMux;
  scheme: "http" | "https";
  deliveryTimeoutMs: number;
  retryDelayMs: (attempt: number) => number;
  logger: Logger;
  now: () => number;
  /** The endpoint's queue changed (a request delivered, failed or expired). */
  onChange: () => void;
  /** Resolves when the previous worker of the endpoint is done: the two never overlap. */
  after?: Promise<void>;
}

type Outcome =
  | { kind: "delivered"; status: number }
  | { kind: "failed"; status?: number; error?: string }
  | { kind: "later" }
  | { kind: "skipped" };

/**
 * Delivers one endpoint's queue over one agent connection.
 *
 * @example
 * const worker = new QueueWorker({ endpoint, store, mux: session.mux, scheme, deliveryTimeoutMs,
 *   retryDelayMs, logger, now: Date.now, onChange });
 * worker.wake(); // after an enqueue
 * worker.stop(); // when the agent goes away
 */
export class QueueWorker {
  readonly #options: QueueWorkerOptions;
  #stopped = false;
  #running = false;
  #wakeRequested = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #started: Promise<void>;
  #current: Promise<void> = Promise.resolve();

  constructor(options: QueueWorkerOptions) {
    this.#options = options;
    const start = (): void => this.wake();
    this.#started = (options.after ?? Promise.resolve()).then(start, start);
  }

  /** Resolves once the worker has started and is not delivering (for `close` and successors). */
  async settled(): Promise<void> {
    await this.#started;
    while (this.#running) await this.#current;
  }

  /** Looks at the queue again now. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#wakeRequested = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = true;
    this.#current = this.#run().finally(() => {
      this.#running = false;
    });
  }

  /** Stops after the delivery in flight (which fails with the connection anyway). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      this.#wakeRequested = false;
      let nextAt: number | null;
      try {
        nextAt = await this.#step();
      } catch (error) {
        this.#options.logger.warn("queue delivery step failed", {
          endpoint: this.#options.endpoint,
          error: error instanceof Error ? error.message : String(error),
        });
        nextAt = this.#options.now() + RETRY_LATER_MS;
      }
      if (this.#stopped) return;
      if (nextAt === 0 || this.#wakeRequested) continue;
      if (nextAt !== null) this.#sleepUntil(nextAt);
      return;
    }
  }

  #sleepUntil(at: number): void {
    const delay = Math.min(Math.max(0, at - this.#options.now()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.wake(), delay);
  }

  /** One delivery: 0 to go on at once, the next due time, or `null` when the queue is empty. */
  async #step(): Promise<number | null> {
    const { store, endpoint, now, logger } = this.#options;
    // `nextDue` does not look at expiry: a request whose window is over must not go out.
    if ((await expireQueue(store, now(), logger)) > 0) this.#options.onChange();
    const item = await store.nextDue(endpoint, now());
    if (item === null) {
      const [head] = await store.pending(endpoint, { limit: 1 });
      return head === undefined ? null : head.nextAttemptAt;
    }
    const startedAt = now();
    const outcome = await this.#deliver(item);
    if (this.#stopped && outcome.kind === "later") return null;
    try {
      return await this.#record(item, outcome, startedAt);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      if (error.code === "not_found") {
        // Dropped (`hooktap relay queue drop`) while it was being delivered: go on with the next.
        logger.info("queued request dropped during its delivery", { endpoint, id: item.id });
      } else if (error.code === "invalid_state") {
        // Its retry window ran out during an attempt that failed: it stays failed, as it is.
        logger.info("queued request expired during its delivery", { endpoint, id: item.id });
      } else {
        throw error;
      }
      this.#options.onChange();
      return 0;
    }
  }

  async #record(item: QueuedRequest, outcome: Outcome, startedAt: number): Promise<number> {
    const { store, now, logger, endpoint } = this.#options;
    const at = now();
    switch (outcome.kind) {
      case "later":
        return at + RETRY_LATER_MS;
      case "skipped":
        return 0;
      case "delivered":
        // Delivered even if another sweep expired it meanwhile: the app has it.
        await store.markDelivered(item.id, outcome.status, at, { attemptStartedAt: startedAt });
        logger.debug("queued request delivered", { endpoint, id: item.id, status: outcome.status });
        this.#options.onChange();
        return 0;
      case "failed": {
        const attempt = item.attempts + 1;
        await store.recordAttempt(item.id, {
          ...(outcome.status === undefined ? {} : { status: outcome.status }),
          ...(outcome.error === undefined ? {} : { error: outcome.error }),
          nextAttemptAt: at + this.#options.retryDelayMs(attempt),
          at,
        });
        logger.info("queued delivery failed, will retry", {
          endpoint,
          id: item.id,
          attempt,
          status: outcome.status,
          error: outcome.error,
        });
        return 0;
      }
    }
  }

  async #deliver(item: QueuedRequest): Promise<Outcome> {
    const { mux, scheme, deliveryTimeoutMs } = this.#options;
    let stream: OutgoingRequestStream;
    try {
      stream = mux.openRequest(
        {
          method: item.method,
          target: item.target,
          httpVersion: item.httpVersion,
          rawHeaders: item.rawHeaders,
          remoteAddress: item.remoteAddress,
          scheme,
          receivedAt: item.receivedAt,
          origin: "queued",
          queueId: item.id,
          attempt: item.attempts + 1,
        },
        bodyOf(item.body),
      );
    } catch (error) {
      if (error instanceof StreamLimitError || error instanceof ConnectionClosedError) {
        return { kind: "later" };
      }
      if (error instanceof ProtocolError) {
        await this.#options.store.markFailed(
          item.id,
          `the request cannot be forwarded: ${error.message}`,
          this.#options.now(),
        );
        this.#options.onChange();
        return { kind: "skipped" };
      }
      throw error;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), deliveryTimeoutMs);
    });
    try {
      const response: IncomingResponse | "timeout" = await Promise.race([stream.response, timeout]);
      if (response === "timeout") {
        const message = `no response within ${deliveryTimeoutMs} ms`;
        stream.reset("upstream_timeout", message);
        return { kind: "failed", error: message };
      }
      response.body.resume();
      response.body.on("error", () => {});
      if (response.status >= 200 && response.status < 300) {
        return { kind: "delivered", status: response.status };
      }
      return { kind: "failed", status: response.status };
    } catch (error) {
      return { kind: "failed", error: describeFailure(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function bodyOf(body: Uint8Array): Readable {
  const chunks =
    body.byteLength === 0 ? [] : [Buffer.from(body.buffer, body.byteOffset, body.byteLength)];
  return Readable.from(chunks, { objectMode: false });
}

/**
 * Fails every pending request whose retry window is over (any endpoint's) and logs how many;
 * resolves with that count. The relay's sweep and each worker, before it picks a request.
 */
export async function expireQueue(
  store: Pick<RelayStore, "expire">,
  now: number,
  logger: Logger,
): Promise<number> {
  const count = await store.expire(now);
  if (count > 0) logger.info("queued requests failed: their retry window is over", { count });
  return count;
}

function describeFailure(error: unknown): string {
  if (error instanceof StreamResetError) return `${error.code}: ${error.message}`;
  if (error instanceof ConnectionClosedError) return `the agent disconnected: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
