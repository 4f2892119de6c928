/**
 * One connection to the relay, from dial to close: `hello`, `welcome`, the mux, the heartbeat
 * watchdog, and one {@link ConnectionEnd} that says why it ended in words a person can act
 * on. Over a WebSocket or an in-process link alike (a {@link LinkSocket} either way). The agent
 * makes a new one per attempt; a connection never redials.
 */
import type { Logger } from "../log/index.js";
import {
  type AgentMux,
  createMux,
  type EdgeReport,
  type ErrorMessage,
  type FrameSocket,
  type HelloMessage,
  type IncomingRequestStream,
  type LinkSocket,
  type RelayControlMessage,
  type WelcomeMessage,
} from "../protocol/index.js";
import { systemCode } from "./upstream-errors.js";
import { HeartbeatWatchdog, type Silence } from "./watchdog.js";

/** How long a graceful close waits for the relay's close frame before cutting the link. */
const CLOSE_GRACE_MS = 2000;

/** Why a connection ended. */
export interface ConnectionEnd {
  /** A protocol `error` code (received or sent), a Node error code, or the agent's own. */
  code: string;
  /** The detail, e.g. the relay's `error` message or Node's error message. */
  message: string;
  /** One line for people: "relay closed the connection: shutting_down". */
  reason: string;
  /** True when a `welcome` was received on this connection. */
  welcomed: boolean;
}

/** What a connection tells its agent. */
export interface ConnectionHandlers {
  onWelcome: (welcome: WelcomeMessage) => void;
  onEdge: (report: EdgeReport) => void;
  onRequest: (stream: IncomingRequestStream) => void;
  /** Called exactly once, after the link closed. */
  onEnd: (end: ConnectionEnd) => void;
}

/** Options of {@link RelayConnection}. */
export interface ConnectionSettings {
  /** Opens the link: a WebSocket dial (`dialWebSocket`) or an in-process link. */
  connect: () => LinkSocket;
  hello: HelloMessage;
  heartbeatTimeoutMs: number;
  now: () => number;
  logger: Logger;
}

/**
 * Connects at once.
 *
 * @example
 * const connection = new RelayConnection(settings, { onWelcome, onEdge, onRequest, onEnd });
 * await connection.shutdown();
 */
export class RelayConnection {
  readonly #settings: ConnectionSettings;
  readonly #handlers: ConnectionHandlers;
  readonly #link: LinkSocket | undefined;
  readonly #watchdog: HeartbeatWatchdog;
  #mux: AgentMux | undefined;
  #welcomed = false;
  #welcomeTimer: NodeJS.Timeout | undefined;
  /** The first thing known to have gone wrong; later symptoms do not overwrite it. */
  #failure: Omit<ConnectionEnd, "welcomed"> | undefined;
  #ended = false;
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;

  constructor(settings: ConnectionSettings, handlers: ConnectionHandlers) {
    this.#settings = settings;
    this.#handlers = handlers;
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#watchdog = new HeartbeatWatchdog({
      timeoutMs: settings.heartbeatTimeoutMs,
      now: settings.now,
      ping: () => this.#link?.ping(),
      onSilence: (silence) => this.#onSilence(silence),
    });
    let link: LinkSocket;
    try {
      link = settings.connect();
    } catch (error) {
      // Reported like a dial that failed: after the constructor, as a connection that ended.
      const message = error instanceof Error ? error.message : String(error);
      this.#fail(systemCode(error) ?? "connection_error", message, message);
      setImmediate(() => this.#onClose(1006, ""));
      return;
    }
    this.#link = link;
    link.attach({
      open: () => this.#onOpen(),
      message: (frame) => {
        this.#watchdog.heard();
        this.#mux?.receive(frame);
      },
      heartbeat: () => this.#watchdog.heard(),
      error: (error) => {
        this.#fail(systemCode(error) ?? "connection_error", error.message, error.message);
      },
      close: (code, reason) => this.#onClose(code, reason),
    });
    // An in-process link is open from the start: no `open` event will come.
    if (link.state === "open") this.#onOpen();
  }

  /** Streams in flight on this connection. */
  get openStreams(): number {
    return this.#mux?.openStreams ?? 0;
  }

  /**
   * Ends the connection on purpose: `error` `shutting_down` to the relay (so it stops routing
   * here at once), then the closing handshake, cut short after 2 s. Resolves once closed.
   */
  shutdown(): Promise<void> {
    this.#fail("closed", "closed by the agent", "closed by the agent");
    const link = this.#link;
    if (link?.state === "connecting") {
      link.terminate();
    } else if (link?.state === "open") {
      if (this.#mux === undefined) link.close(1001, "shutting_down");
      else this.#mux.closeWithError("shutting_down", "the agent is shutting down");
      const timer = setTimeout(() => link.terminate(), CLOSE_GRACE_MS);
      void this.#closed.then(() => clearTimeout(timer));
    }
    return this.#closed;
  }

  #onOpen(): void {
    const link = this.#link;
    if (link === undefined || this.#mux !== undefined) return;
    // The link is a FrameSocket as it is; the wrapper only notes why the mux closed it.
    const socket: FrameSocket = {
      send: (frame, callback) => link.send(frame, callback),
      close: (code, reason) => {
        this.#fail(
          reason,
          `the agent closed the connection: ${reason}`,
          `protocol error: ${reason}`,
        );
        link.close(code, reason);
      },
    };
    this.#mux = createMux({
      side: "agent",
      socket,
      transport: link.transport,
      onControl: (message) => this.#onControl(message),
      onRequest: (stream) => this.#handlers.onRequest(stream),
    });
    this.#watchdog.start();
    const seconds = formatSeconds(this.#settings.heartbeatTimeoutMs);
    this.#welcomeTimer = setTimeout(() => {
      this.#fail("welcome_timeout", `no welcome within ${seconds}`, `no welcome within ${seconds}`);
      link.terminate();
    }, this.#settings.heartbeatTimeoutMs);
    this.#mux.sendControl(this.#settings.hello);
  }

  #onControl(message: RelayControlMessage | ErrorMessage): void {
    switch (message.type) {
      case "welcome":
        if (this.#welcomed) return;
        this.#welcomed = true;
        clearTimeout(this.#welcomeTimer);
        this.#handlers.onWelcome(message);
        return;
      case "edge":
        this.#handlers.onEdge(message.exchange);
        return;
      case "error":
        this.#fail(
          message.code,
          message.message,
          `relay closed the connection: ${message.code} (${message.message})`,
        );
        return;
    }
  }

  #onSilence(silence: Silence): void {
    const seconds = formatSeconds(silence.silentForMs);
    const reason = silence.slept
      ? `the clock jumped ${seconds} (the machine slept?)`
      : `no heartbeat for ${seconds}`;
    this.#fail("heartbeat_timeout", reason, reason);
    this.#link?.terminate();
  }

  #onClose(code: number, closeReason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#watchdog.stop();
    clearTimeout(this.#welcomeTimer);
    this.#mux?.close();
    const end = this.#failure ?? describeClose(code, closeReason);
    this.#settings.logger.debug("relay connection closed", {
      code: end.code,
      reason: end.reason,
      closeCode: code,
    });
    this.#handlers.onEnd({ ...end, welcomed: this.#welcomed });
    this.#resolveClosed();
  }

  #fail(code: string, message: string, reason: string): void {
    this.#failure ??= { code, message, reason };
  }
}

/** Why the relay closed the socket, from the close frame alone. */
function describeClose(code: number, reason: string): Omit<ConnectionEnd, "welcomed"> {
  if (reason !== "") {
    return { code: reason, message: reason, reason: `relay closed the connection: ${reason}` };
  }
  if (code === 1006) {
    return {
      code: "connection_lost",
      message: "the connection dropped without a close frame",
      reason: "connection lost (no close frame)",
    };
  }
  return {
    code: "connection_closed",
    message: `close code ${code}`,
    reason: `relay closed the connection (close code ${code})`,
  };
}

/**
 * "30 s", "0.2 s", "1 h 5 min": a duration as people read it in a status line.
 *
 * @example
 * formatSeconds(30_000); // "30 s"
 */
export function formatSeconds(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
