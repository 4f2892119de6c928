/**
 * One WebSocket connection to the relay, from dial to close: `hello`, `welcome`, the mux, the
 * heartbeat watchdog, and one {@link ConnectionEnd} that says why it ended in words a person
 * can act on. The agent makes a new one per attempt; a connection never redials.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, WebSocket } from "ws";
import type { Logger } from "../log/index.js";
import {
  type AgentMux,
  createMux,
  type EdgeReport,
  type ErrorMessage,
  type FrameSocket,
  type HelloMessage,
  type IncomingRequestStream,
  MAX_FRAME_BYTES,
  type RelayControlMessage,
  type WelcomeMessage,
} from "../protocol/index.js";
import { systemCode } from "./upstream-errors.js";
import { HeartbeatWatchdog, type Silence } from "./watchdog.js";

/** How long a graceful close waits for the relay's close frame before cutting the socket. */
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
  /** Called exactly once, after the socket closed. */
  onEnd: (end: ConnectionEnd) => void;
}

/** Options of {@link RelayConnection}. */
export interface ConnectionSettings {
  url: string;
  hello: HelloMessage;
  heartbeatTimeoutMs: number;
  now: () => number;
  logger: Logger;
}

/**
 * Dials the relay at once.
 *
 * @example
 * const connection = new RelayConnection(settings, { onWelcome, onEdge, onRequest, onEnd });
 * await connection.shutdown();
 */
export class RelayConnection {
  readonly #settings: ConnectionSettings;
  readonly #handlers: ConnectionHandlers;
  readonly #ws: WebSocket;
  readonly #watchdog: HeartbeatWatchdog;
  #mux: AgentMux | undefined;
  /** The TCP (or TLS) socket under the WebSocket, known at the upgrade. */
  #transport: Duplex | undefined;
  #welcomed = false;
  #welcomeTimer: NodeJS.Timeout | undefined;
  /** The first thing known to have gone wrong; later symptoms do not overwrite it. */
  #failure: Omit<ConnectionEnd, "welcomed"> | undefined;
  #closed: Promise<void>;

  constructor(settings: ConnectionSettings, handlers: ConnectionHandlers) {
    this.#settings = settings;
    this.#handlers = handlers;
    this.#watchdog = new HeartbeatWatchdog({
      timeoutMs: settings.heartbeatTimeoutMs,
      now: settings.now,
      ping: () => this.#ping(),
      onSilence: (silence) => this.#onSilence(silence),
    });
    this.#ws = new WebSocket(settings.url, {
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: settings.heartbeatTimeoutMs,
      // Bodies are often compressed already; deflate would cost CPU on the byte path.
      perMessageDeflate: false,
      headers: { "User-Agent": `${settings.hello.client.name}/${settings.hello.client.version}` },
    });
    this.#closed = new Promise((resolve) => {
      this.#ws.once("close", (code: number, reason: Buffer) => {
        this.#onClose(code, reason.toString());
        resolve();
      });
    });
    this.#ws.once("upgrade", (response: IncomingMessage) => {
      this.#transport = response.socket;
    });
    this.#ws.on("open", () => this.#onOpen());
    this.#ws.on("message", (data: RawData, isBinary: boolean) => {
      this.#watchdog.heard();
      this.#mux?.receive(isBinary ? (data as Buffer) : data.toString());
    });
    this.#ws.on("ping", () => this.#watchdog.heard());
    this.#ws.on("pong", () => this.#watchdog.heard());
    this.#ws.on("error", (error: Error) => {
      this.#fail(systemCode(error) ?? "connection_error", error.message, error.message);
    });
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
    if (this.#ws.readyState === WebSocket.CONNECTING) {
      this.#ws.terminate();
    } else if (this.#ws.readyState === WebSocket.OPEN) {
      if (this.#mux === undefined) this.#ws.close(1001, "shutting_down");
      else this.#mux.closeWithError("shutting_down", "the agent is shutting down");
      const timer = setTimeout(() => this.#ws.terminate(), CLOSE_GRACE_MS);
      void this.#closed.then(() => clearTimeout(timer));
    }
    return this.#closed;
  }

  #onOpen(): void {
    // `ws` fits FrameSocket as it is; the wrapper only notes why the mux closed the socket.
    const socket: FrameSocket = {
      send: (frame, callback) => this.#ws.send(frame, callback),
      close: (code, reason) => {
        this.#fail(
          reason,
          `the agent closed the connection: ${reason}`,
          `protocol error: ${reason}`,
        );
        this.#ws.close(code, reason);
      },
    };
    this.#mux = createMux({
      side: "agent",
      socket,
      ...(this.#transport === undefined ? {} : { transport: this.#transport }),
      onControl: (message) => this.#onControl(message),
      onRequest: (stream) => this.#handlers.onRequest(stream),
    });
    this.#watchdog.start();
    const seconds = formatSeconds(this.#settings.heartbeatTimeoutMs);
    this.#welcomeTimer = setTimeout(() => {
      this.#fail("welcome_timeout", `no welcome within ${seconds}`, `no welcome within ${seconds}`);
      this.#ws.terminate();
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

  #ping(): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    try {
      this.#ws.ping();
    } catch {
      // The socket is closing; its 'close' event carries the story.
    }
  }

  #onSilence(silence: Silence): void {
    const seconds = formatSeconds(silence.silentForMs);
    const reason = silence.slept
      ? `the clock jumped ${seconds} (the machine slept?)`
      : `no heartbeat for ${seconds}`;
    this.#fail("heartbeat_timeout", reason, reason);
    this.#ws.terminate();
  }

  #onClose(code: number, closeReason: string): void {
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
