/**
 * Where agents connect (`/_hooktap/agent`): the WebSocket upgrade, or an in-process link from
 * an agent in the same process (`acceptLocal`); then one handshake for both (token, endpoint
 * reservation, policy), and the table of online endpoints the ingress routes to.
 *
 * One session per endpoint. A second connection that authenticates as the endpoint's owner
 * replaces the first, which is closed with `replaced`: after a laptop sleeps, its old socket
 * is usually dead but not yet noticed (the heartbeat needs up to 30 s), and the agent that
 * woke up must not be locked out of its own endpoint meanwhile. An old session that is still
 * alive belongs to a second agent with the same token and name; `replaced` tells it to stop
 * rather than take the endpoint back. Another token gets `endpoint_taken`; the reservation is
 * permanent, so that answer does not change with time.
 *
 * Revocation. A token revoked while its agents are connected (from another process, through
 * the store) ends their sessions with `bad_token` at the relay's next store check
 * ({@link AgentGateway.recheckTokens}); a revoked token never passes the handshake again.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { Logger } from "../log/index.js";
import {
  type EdgePolicy,
  type HelloMessage,
  type LinkSocket,
  linkOverWebSocket,
  MAX_FRAME_BYTES,
} from "../protocol/index.js";
import type { RelayUrls } from "./options.js";
import { AgentSession } from "./session.js";
import { type RelayStore, StoreError } from "./store/index.js";

/** What the gateway needs from the relay. */
export interface AgentGatewayOptions {
  store: RelayStore;
  logger: Logger;
  heartbeatMs: number;
  helloTimeoutMs: number;
  maxConcurrentStreams: number;
  /** The relay's URLs (known once it listens). */
  urls: () => RelayUrls;
  /** An endpoint's agent was welcomed. */
  onOnline: (session: AgentSession) => void;
  /** A welcomed session ended (closed, failed or replaced). */
  onOffline: (session: AgentSession) => void;
}

/**
 * Accepts agent connections and knows which endpoints are online.
 *
 * @example
 * const gateway = new AgentGateway({ store, logger, heartbeatMs, helloTimeoutMs,
 *   maxConcurrentStreams: 256, urls: () => urls, onOnline, onOffline });
 * server.on("upgrade", (req, socket, head) => gateway.handleUpgrade(req, socket, head));
 */
export class AgentGateway {
  readonly #options: AgentGatewayOptions;
  readonly #wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    // Bodies are mostly JSON, but compressing every frame costs CPU and memory per socket, and
    // a tunnel carries whatever the app sends (often already compressed).
    perMessageDeflate: false,
    clientTracking: false,
  });
  readonly #online = new Map<string, AgentSession>();
  readonly #sessions = new Set<AgentSession>();
  /** Resolvers of `close()`, called when each session's socket has closed. */
  readonly #waiters = new Map<AgentSession, () => void>();
  #closing = false;

  constructor(options: AgentGatewayOptions) {
    this.#options = options;
  }

  /** The open session of endpoint `name`, if its agent is online. */
  online(name: string): AgentSession | undefined {
    const session = this.#online.get(name);
    return session?.isOpen === true ? session : undefined;
  }

  /** Names of the endpoints whose agent is online. */
  onlineNames(): string[] {
    return [...this.#online.keys()];
  }

  /** Completes a WebSocket upgrade on the agent path (ws answers a bad upgrade with a 400). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#accept(linkOverWebSocket(ws, socket), req.socket.remoteAddress ?? "");
    });
  }

  /**
   * Takes the relay's end of an in-process link as an agent connection: the same session,
   * handshake and heartbeats as a WebSocket's. Its remote address is the loopback's, as the
   * agent is on this machine.
   */
  acceptLocal(link: LinkSocket): void {
    this.#accept(link, "127.0.0.1");
  }

  #accept(link: LinkSocket, remoteAddress: string): void {
    const session = new AgentSession({
      link,
      remoteAddress,
      heartbeatMs: this.#options.heartbeatMs,
      helloTimeoutMs: this.#options.helloTimeoutMs,
      maxConcurrentStreams: this.#options.maxConcurrentStreams,
      logger: this.#options.logger,
      onHello: (s, hello) => this.#hello(s, hello),
      onPolicy: (s, policy) => this.#policy(s, policy),
      onClose: (s) => this.#closed(s),
    });
    this.#sessions.add(session);
    if (this.#closing) session.fail("shutting_down", "the relay is shutting down");
  }

  /** Closes every session with `shutting_down`; resolves when their sockets are closed. */
  async close(): Promise<void> {
    this.#closing = true;
    const sessions = [...this.#sessions];
    const closed = sessions.map(
      (session) =>
        new Promise<void>((resolve) => {
          if (!this.#sessions.has(session)) resolve();
          else this.#waiters.set(session, resolve);
        }),
    );
    for (const session of sessions) session.fail("shutting_down", "the relay is shutting down");
    await Promise.all(closed);
    this.#wss.close();
  }

  /**
   * Closes, with `bad_token`, every session whose token was revoked (or deleted) since it
   * authenticated: one store read per token in use. The relay calls it when the store changed.
   */
  async recheckTokens(): Promise<void> {
    const byToken = new Map<string, AgentSession[]>();
    for (const session of this.#sessions) {
      const id = session.tokenId;
      if (id === null || session.isClosed) continue;
      byToken.set(id, [...(byToken.get(id) ?? []), session]);
    }
    for (const [id, sessions] of byToken) {
      const token = await this.#options.store.getToken(id);
      if (token !== null && token.revokedAt === null) continue;
      for (const session of sessions) {
        if (session.isClosed) continue;
        this.#options.logger.info("agent disconnected: its token was revoked", {
          endpoint: session.endpoint,
          session: session.id,
          token: token?.name ?? id,
        });
        session.fail("bad_token", "the token was revoked");
      }
    }
  }

  async #hello(session: AgentSession, hello: HelloMessage): Promise<void> {
    const { store, logger } = this.#options;
    const name = hello.endpoint;
    const token = await store.authenticate(hello.token);
    if (session.isClosed) return;
    if (token === null) {
      logger.warn("agent refused: bad token", { session: session.id, endpoint: name });
      session.fail("bad_token", "the token is unknown or revoked");
      return;
    }
    session.authenticated(token.id);
    let result: Awaited<ReturnType<RelayStore["reserveEndpoint"]>>;
    try {
      result = await store.reserveEndpoint(name, token.id);
    } catch (error) {
      if (!(error instanceof StoreError && error.code === "token_revoked")) throw error;
      session.fail("bad_token", "the token is unknown or revoked");
      return;
    }
    if (result === "taken") {
      logger.warn("agent refused: endpoint taken", { session: session.id, endpoint: name });
      session.fail("endpoint_taken", `the endpoint ${name} is reserved by another token`);
      return;
    }
    await store.setEndpointPolicy(name, hello.policy);
    if (session.isClosed || this.#closing) return;
    const previous = this.#online.get(name);
    if (previous !== undefined && previous !== session) {
      logger.info("agent replaced by a new connection", { endpoint: name, session: previous.id });
      previous.fail("replaced", `replaced by a newer connection for endpoint ${name}`);
      this.#options.onOffline(previous);
    }
    this.#online.set(name, session);
    session.welcome(name, hello.policy, this.#options.urls().endpointUrls(name));
    logger.info("agent connected", {
      endpoint: name,
      session: session.id,
      token: token.name,
      client: `${hello.client.name}/${hello.client.version}`,
      remote: session.remoteAddress,
      reserved: result === "reserved",
    });
    this.#options.onOnline(session);
  }

  #policy(session: AgentSession, policy: EdgePolicy): void {
    const name = session.endpoint;
    if (name === null) return;
    session.updatePolicy(policy);
    this.#options.store.setEndpointPolicy(name, policy).catch((error: unknown) => {
      this.#options.logger.warn("edge policy not stored", {
        endpoint: name,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }

  #closed(session: AgentSession): void {
    this.#sessions.delete(session);
    this.#waiters.get(session)?.();
    this.#waiters.delete(session);
    const name = session.endpoint;
    if (name === null || this.#online.get(name) !== session) return;
    this.#online.delete(name);
    this.#options.logger.info("agent disconnected", { endpoint: name, session: session.id });
    this.#options.onOffline(session);
  }
}
