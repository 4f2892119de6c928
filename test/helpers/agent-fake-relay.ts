/**
 * A stand-in relay for the agent's tests: a `ws` server at `/_hooktap/agent` on 127.0.0.1 (and
 * in-process links, `connectLocal`) that answers `hello` with `welcome` (or a refusal), pings
 * like the real relay, and lets a test open request streams, send edge reports, go silent, or
 * restart on the same port.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Readable } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import {
  createLocalLinkPair,
  createMux,
  type EdgeReport,
  type ErrorCode,
  type ErrorMessage,
  type HelloMessage,
  type IncomingResponse,
  type LinkSocket,
  linkOverWebSocket,
  MAX_FRAME_BYTES,
  type OutgoingRequestStream,
  PROTOCOL_VERSION,
  type RawHeaders,
  type RelayMux,
  type RequestHead,
} from "../../src/protocol/index.js";

/** Options of {@link FakeRelay.start}. */
export interface FakeRelayOptions {
  /** @default 0 */
  port?: number;
  /** Refuse every hello with this error instead of welcoming it. */
  refuse?: { code: ErrorCode; message: string };
  /** Ping interval; null sends no pings. @default 1000 */
  heartbeatMs?: number | null;
}

/** One agent connected to the fake relay. */
export interface FakeSession {
  /** The WebSocket and its TCP socket; null on an in-process link. */
  readonly ws: WebSocket | null;
  readonly socket: Socket | null;
  readonly link: LinkSocket;
  readonly mux: RelayMux;
  readonly hello: HelloMessage;
}

/** A response as the fake relay read it, body collected. */
export interface CollectedResponse {
  status: number;
  rawHeaders: RawHeaders;
  body: Buffer;
}

const DEFAULT_HEAD: RequestHead = {
  origin: "live",
  method: "POST",
  target: "/",
  httpVersion: "1.1",
  rawHeaders: [["Host", "relay.test"]],
  remoteAddress: "203.0.113.7",
  scheme: "https",
  receivedAt: 0,
};

/**
 * A fake relay; `start()` it, `close()` it in `afterEach`.
 *
 * @example
 * const relay = await FakeRelay.start();
 * const agent = startAgent({ relayUrl: relay.agentUrl, token: "t", endpoint: "e", upstream });
 * await agent.ready();
 * const res = await relay.request({ method: "GET", target: "/x" });
 */
export class FakeRelay {
  readonly hellos: HelloMessage[] = [];
  /** `error` messages agents sent (e.g. `shutting_down` when an agent closes). */
  readonly errors: ErrorMessage[] = [];
  readonly sessions: FakeSession[] = [];
  #options: FakeRelayOptions;
  #server: Server | undefined;
  #wss: WebSocketServer | undefined;
  #port = 0;
  #waiters: ((session: FakeSession) => void)[] = [];
  #pingTimers = new Set<NodeJS.Timeout>();
  #pinging = true;

  private constructor(options: FakeRelayOptions) {
    this.#options = options;
  }

  static async start(options: FakeRelayOptions = {}): Promise<FakeRelay> {
    const relay = new FakeRelay(options);
    await relay.#listen(options.port ?? 0);
    return relay;
  }

  get port(): number {
    return this.#port;
  }

  get agentUrl(): string {
    return `ws://127.0.0.1:${this.#port}/_hooktap/agent`;
  }

  /** The latest welcomed session. */
  get session(): FakeSession {
    const session = this.sessions.at(-1);
    if (session === undefined) throw new Error("no agent has connected to the fake relay");
    return session;
  }

  /** Resolves at the next hello (or at once with the latest session, if `existing`). */
  nextSession(): Promise<FakeSession> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Opens a stream with `head` over the defaults; `body` is bytes or a stream. */
  open(
    head: Partial<RequestHead> = {},
    body: Buffer | Readable = Buffer.alloc(0),
  ): OutgoingRequestStream {
    const full = { ...DEFAULT_HEAD, receivedAt: Date.now(), ...head } as RequestHead;
    const source = body instanceof Readable ? body : Readable.from(body.length === 0 ? [] : [body]);
    return this.session.mux.openRequest(full, source);
  }

  /** Opens a stream and collects the whole response. */
  async request(
    head: Partial<RequestHead> = {},
    body: Buffer | Readable = Buffer.alloc(0),
  ): Promise<CollectedResponse> {
    const stream = this.open(head, body);
    return collect(await stream.response);
  }

  /** Sends an edge report to the latest session. */
  edge(report: EdgeReport): void {
    this.session.mux.sendControl({ type: "edge", exchange: report });
  }

  /** Stops sending pings and stops reading every socket: the relay looks vanished. */
  freeze(): void {
    this.#pinging = false;
    for (const session of this.sessions) session.socket?.pause();
  }

  /** An in-process link to this relay, for an agent's `connect`. */
  connectLocal(): LinkSocket {
    const [agentEnd, relayEnd] = createLocalLinkPair();
    this.#onConnection(relayEnd, null, null);
    return agentEnd;
  }

  /** Ends every session with `error` `shutting_down`, as a relay going down does. */
  shutdownSessions(message = "the relay is restarting"): void {
    for (const session of this.sessions) session.mux.closeWithError("shutting_down", message);
  }

  /** Closes the listener and every connection (abruptly). */
  async close(): Promise<void> {
    for (const timer of this.#pingTimers) clearInterval(timer);
    this.#pingTimers.clear();
    for (const session of this.sessions) session.link.terminate();
    const wss = this.#wss;
    const server = this.#server;
    this.#wss = undefined;
    this.#server = undefined;
    if (wss !== undefined) await new Promise<void>((resolve) => wss.close(() => resolve()));
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Listens again on the same port, after `close()`. */
  async restart(): Promise<void> {
    this.#pinging = true;
    await this.#listen(this.#port);
  }

  async #listen(port: number): Promise<void> {
    const server = createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({
      server,
      path: "/_hooktap/agent",
      maxPayload: MAX_FRAME_BYTES,
    });
    wss.on("connection", (ws, req) =>
      this.#onConnection(linkOverWebSocket(ws, req.socket), ws, req.socket),
    );
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    this.#server = server;
    this.#wss = wss;
    this.#port = (server.address() as AddressInfo).port;
  }

  #onConnection(link: LinkSocket, ws: WebSocket | null, socket: Socket | null): void {
    const closeHandlers: (() => void)[] = [];
    const mux = createMux({
      side: "relay",
      socket: link,
      onControl: (message) => {
        if (message.type === "error") this.errors.push(message);
        if (message.type !== "hello") return;
        this.hellos.push(message);
        const refuse = this.#options.refuse;
        if (refuse !== undefined) {
          mux.closeWithError(refuse.code, refuse.message);
          return;
        }
        const session: FakeSession = { ws, socket, link, mux, hello: message };
        this.sessions.push(session);
        const heartbeatMs =
          this.#options.heartbeatMs === undefined ? 1000 : this.#options.heartbeatMs;
        mux.sendControl({
          type: "welcome",
          protocol: PROTOCOL_VERSION,
          endpoint: message.endpoint,
          urls: [`http://127.0.0.1:${this.#port}/${message.endpoint}`],
          sessionId: `sess_${this.sessions.length}`,
          heartbeatMs: heartbeatMs ?? 3_600_000,
        });
        if (heartbeatMs !== null) {
          const timer = setInterval(() => {
            if (this.#pinging) link.ping();
          }, heartbeatMs);
          this.#pingTimers.add(timer);
          closeHandlers.push(() => {
            clearInterval(timer);
            this.#pingTimers.delete(timer);
          });
        }
        for (const waiter of this.#waiters.splice(0)) waiter(session);
      },
    });
    link.attach({
      open: () => {},
      message: (frame) => mux.receive(frame),
      heartbeat: () => {},
      error: () => {},
      close: () => {
        mux.close();
        for (const handler of closeHandlers.splice(0)) handler();
      },
    });
  }
}

/** Reads a response body to its end. */
export async function collect(response: IncomingResponse): Promise<CollectedResponse> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return { status: response.status, rawHeaders: response.rawHeaders, body: Buffer.concat(chunks) };
}
