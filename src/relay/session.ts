/**
 * One agent connection: its link (a WebSocket, or an in-process link), its mux, where it is in
 * the handshake, its endpoint and policy once welcomed, and the heartbeat that notices when the
 * agent is gone.
 *
 * Heartbeat. The relay pings every `heartbeatMs`; any frame from the agent (a pong, its own
 * ping, a message) counts as a sign of life. At each ping the relay checks the silence: past
 * 2.5 intervals the agent is dropped (`heartbeat_timeout`, then the socket is destroyed, since
 * a vanished peer never completes a closing handshake). A healthy agent is never silent for
 * more than about one interval, and a vanished one is dropped at the third ping after its last
 * frame: within 3 intervals, 30 s by default.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Logger } from "../log/index.js";
import {
  type AgentControlMessage,
  createMux,
  type EdgePolicy,
  type EdgeReport,
  type ErrorCode,
  type ErrorMessage,
  type HelloMessage,
  type LinkSocket,
  PROTOCOL_VERSION,
  type RelayMux,
} from "../protocol/index.js";

/** After sending `error`, how long the agent has to close before its socket is destroyed. */
const CLOSE_GRACE_MS = 2000;

/** Silence, in heartbeat intervals, after which an agent is dropped at the next ping. */
const SILENT_INTERVALS = 2.5;

/** What a session needs from its gateway. */
export interface AgentSessionOptions {
  /** The connection: a WebSocket's link (its transport is corked per turn) or an in-process one. */
  link: LinkSocket;
  remoteAddress: string;
  heartbeatMs: number;
  helloTimeoutMs: number;
  maxConcurrentStreams: number;
  logger: Logger;
  /** The agent's `hello` (once). A rejection closes the session with `internal_error`. */
  onHello: (session: AgentSession, hello: HelloMessage) => Promise<void>;
  /** A `policy` message after the welcome. */
  onPolicy: (session: AgentSession, policy: EdgePolicy) => void;
  /** The socket closed (once), whatever the reason. */
  onClose: (session: AgentSession) => void;
}

/**
 * One agent connection, from the link's open to its close.
 *
 * @example
 * const session = new AgentSession({ link: linkOverWebSocket(ws, tcpSocket), remoteAddress, heartbeatMs, helloTimeoutMs,
 *   maxConcurrentStreams: 256, logger, onHello, onPolicy, onClose });
 */
export class AgentSession {
  /** Identifies the connection in logs and in `welcome`. */
  readonly id = `sess_${randomUUID()}`;
  readonly mux: RelayMux;
  readonly remoteAddress: string;
  readonly #link: LinkSocket;
  readonly #options: AgentSessionOptions;
  #state: "hello" | "handshaking" | "open" | "closed" = "hello";
  #endpoint: string | null = null;
  #tokenId: string | null = null;
  #policy: EdgePolicy | null = null;
  #lastSeen = performance.now();
  readonly #heartbeat: NodeJS.Timeout;
  #helloTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;

  constructor(options: AgentSessionOptions) {
    this.#options = options;
    this.#link = options.link;
    this.remoteAddress = options.remoteAddress;
    this.mux = createMux({
      side: "relay",
      socket: options.link,
      transport: options.link.transport,
      maxConcurrentStreams: options.maxConcurrentStreams,
      onControl: (message) => this.#onControl(message),
    });
    options.link.attach({
      open: () => {},
      message: (frame) => {
        this.#lastSeen = performance.now();
        this.mux.receive(frame);
      },
      heartbeat: () => {
        this.#lastSeen = performance.now();
      },
      error: (error) => {
        options.logger.debug("agent socket error", { session: this.id, error: error.message });
      },
      close: () => this.#closed(),
    });
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#helloTimer = setTimeout(() => {
      if (this.#state === "hello") {
        this.fail("heartbeat_timeout", `no hello within ${options.helloTimeoutMs} ms`);
      }
    }, options.helloTimeoutMs);
  }

  /** The endpoint granted by the welcome; `null` before. */
  get endpoint(): string | null {
    return this.#endpoint;
  }

  /** The id of the token the agent authenticated with; `null` before that. */
  get tokenId(): string | null {
    return this.#tokenId;
  }

  /** Records the token the agent's `hello` authenticated with. */
  authenticated(tokenId: string): void {
    this.#tokenId = tokenId;
  }

  /** The endpoint's current policy; `null` before the welcome. */
  get policy(): EdgePolicy | null {
    return this.#policy;
  }

  /** True between the welcome and the close: the session takes requests. */
  get isOpen(): boolean {
    return this.#state === "open" && !this.mux.closed;
  }

  /** True once the socket closed or the session was failed. */
  get isClosed(): boolean {
    return this.#state === "closed" || this.mux.closed;
  }

  /** Sends `welcome`: from now on the session takes requests for `endpoint`. */
  welcome(endpoint: string, policy: EdgePolicy, urls: string[]): void {
    this.#endpoint = endpoint;
    this.#policy = policy;
    this.#state = "open";
    this.mux.sendControl({
      type: "welcome",
      protocol: PROTOCOL_VERSION,
      endpoint,
      urls,
      sessionId: this.id,
      heartbeatMs: this.#options.heartbeatMs,
    });
  }

  /** Applies a new policy to the requests that arrive from now on. */
  updatePolicy(policy: EdgePolicy): void {
    this.#policy = policy;
  }

  /** Reports an exchange the relay answered itself; false when it could not be sent. */
  sendEdge(report: EdgeReport): boolean {
    if (!this.isOpen) return false;
    try {
      return this.mux.sendControl({ type: "edge", exchange: report });
    } catch (error) {
      this.#options.logger.warn("edge report not sent", {
        session: this.id,
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  /**
   * Ends the session with an `error` message and a close; destroys the socket if the agent
   * does not close within a grace period.
   */
  fail(code: ErrorCode, message: string): void {
    this.mux.closeWithError(code, message);
    if (this.#graceTimer === undefined && this.#state !== "closed") {
      this.#graceTimer = setTimeout(() => this.#link.terminate(), CLOSE_GRACE_MS);
    }
  }

  /** Destroys the link at once (the `close` event follows). */
  terminate(): void {
    this.#link.terminate();
  }

  #onControl(message: AgentControlMessage | ErrorMessage): void {
    switch (message.type) {
      case "hello":
        if (this.#state !== "hello") {
          this.fail("unexpected_message", "hello was already received on this connection");
          return;
        }
        this.#state = "handshaking";
        clearTimeout(this.#helloTimer);
        this.#options.onHello(this, message).catch((error: unknown) => {
          this.#options.logger.error("agent handshake failed", {
            session: this.id,
            error: error instanceof Error ? error.message : String(error),
          });
          this.fail("internal_error", "the relay could not complete the handshake");
        });
        return;
      case "policy":
        if (this.#state !== "open") {
          this.fail("unexpected_message", "policy before the welcome");
          return;
        }
        this.#options.onPolicy(this, message.policy);
        return;
      case "error":
        this.#options.logger.info("agent ended the connection", {
          session: this.id,
          code: message.code,
          message: message.message,
        });
        return;
    }
  }

  #beat(): void {
    const silentMs = performance.now() - this.#lastSeen;
    if (silentMs > SILENT_INTERVALS * this.#options.heartbeatMs) {
      this.#options.logger.warn("agent silent, dropping it", {
        session: this.id,
        endpoint: this.#endpoint,
        silentMs: Math.round(silentMs),
      });
      this.mux.closeWithError("heartbeat_timeout", `no frame for ${Math.round(silentMs)} ms`);
      this.#link.terminate();
      return;
    }
    this.#link.ping();
  }

  #closed(): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    clearInterval(this.#heartbeat);
    clearTimeout(this.#helloTimer);
    clearTimeout(this.#graceTimer);
    this.mux.close();
    this.#options.onClose(this);
  }
}
