/**
 * Liveness of one connection, both ways. The relay pings (`welcome.heartbeatMs`); the agent
 * pings too, every third of its timeout, so that even a relay pinging rarely answers in time.
 * Anything heard (frame, ping, pong) counts. Silence for `timeoutMs` ends the connection.
 *
 * Sleep. Node's timers run on a monotonic clock that stands still while the machine sleeps,
 * so after a long sleep a silence timer would wait out its remainder against a socket that is
 * long dead. Each ping tick also compares the wall clock: when it says more than `timeoutMs`
 * passed without a word, the connection is dropped at once.
 */

/** Why the watchdog gave up on a connection. */
export interface Silence {
  /** Silence by the wall clock, in ms. */
  silentForMs: number;
  /** True when the wall clock jumped past the timeout while the monotonic one did not: sleep. */
  slept: boolean;
}

/** Options of {@link HeartbeatWatchdog}. */
export interface WatchdogOptions {
  timeoutMs: number;
  /** Wall clock, epoch ms. */
  now: () => number;
  /** Sends a ping; called every third of `timeoutMs`. */
  ping: () => void;
  /** Called once, when the connection is deemed gone. */
  onSilence: (silence: Silence) => void;
}

/**
 * Watches one connection from `start()` to `stop()`.
 *
 * @example
 * const watchdog = new HeartbeatWatchdog({ timeoutMs: 30_000, now: Date.now, ping: () => ws.ping(), onSilence: () => ws.terminate() });
 * ws.on("open", () => watchdog.start());
 * ws.on("message", () => watchdog.heard());
 * ws.on("close", () => watchdog.stop());
 */
export class HeartbeatWatchdog {
  readonly #options: WatchdogOptions;
  #lastHeardMono = 0;
  #lastHeardWall = 0;
  #silenceTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(options: WatchdogOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.heard();
    this.#armSilence(this.#options.timeoutMs);
    const every = Math.max(1, Math.floor(this.#options.timeoutMs / 3));
    this.#pingTimer = setInterval(() => this.#tick(), every);
    this.#pingTimer.unref();
  }

  /** Something arrived: cheap (two clock reads), so it may run per frame. */
  heard(): void {
    this.#lastHeardMono = performance.now();
    this.#lastHeardWall = this.#options.now();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#silenceTimer);
    clearInterval(this.#pingTimer);
  }

  /** Re-armed lazily: `heard()` only stamps the time, the timer checks it when it fires. */
  #armSilence(delayMs: number): void {
    this.#silenceTimer = setTimeout(() => {
      if (!this.#running) return;
      const silent = performance.now() - this.#lastHeardMono;
      if (silent >= this.#options.timeoutMs) {
        this.#fire({ silentForMs: this.#options.now() - this.#lastHeardWall, slept: false });
      } else {
        this.#armSilence(this.#options.timeoutMs - silent);
      }
    }, delayMs);
    this.#silenceTimer.unref();
  }

  #tick(): void {
    if (!this.#running) return;
    const { timeoutMs } = this.#options;
    const wallSilence = this.#options.now() - this.#lastHeardWall;
    if (wallSilence >= timeoutMs) {
      // The two clocks drift apart by a millisecond now and then; sleep opens a real gap.
      const gap = wallSilence - (performance.now() - this.#lastHeardMono);
      this.#fire({ silentForMs: wallSilence, slept: gap > Math.max(1000, timeoutMs / 3) });
      return;
    }
    this.#options.ping();
  }

  #fire(silence: Silence): void {
    this.stop();
    this.#options.onSilence(silence);
  }
}
