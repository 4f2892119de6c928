/**
 * A minimal agent for the relay's tests, built directly on a link (a `ws` WebSocket, or an
 * in-process link from `relay.connectLocal()`) and the protocol's mux: it says hello, records what the relay sends (welcome, edge reports, error), and hands each
 * forwarded request to a handler the test chooses.
 */
import { type ClientOptions, WebSocket } from "ws";
import {
  type AgentMux,
  createMux,
  type EdgePolicy,
  type EdgeReport,
  type ErrorMessage,
  type IncomingRequestStream,
  type LinkSocket,
  linkOverWebSocket,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type RawHeaders,
  type RelayControlMessage,
  type RequestMessage,
  type WelcomeMessage,
} from "../../src/protocol/index.js";

/** The policy a fake agent announces unless told otherwise. */
export const OPEN_POLICY: EdgePolicy = {
  oktaChallenge: "app",
  requireHeader: null,
  maxBodyBytes: 10 * 1024 * 1024,
  queue: "offline",
};

/** Options of {@link connectFakeAgent}. */
export interface FakeAgentOptions {
  /** The relay's agent URL. */
  url: string;
  token: string;
  endpoint: string;
  policy?: Partial<EdgePolicy>;
  /** Each forwarded request; default: {@link echoApp}. */
  onRequest?: (stream: IncomingRequestStream) => void | Promise<void>;
  /** Extra `ws` client options (TLS, `autoPong: false` to play dead). */
  ws?: ClientOptions;
  /** Send no hello (to test the hello timeout). */
  silent?: boolean;
}

/** A request the fake agent received, with its whole body. */
export interface ReceivedRequest {
  head: RequestMessage;
  body: Buffer;
}

/** A connected fake agent, over whatever link. */
export interface LinkedFakeAgent {
  readonly link: LinkSocket;
  readonly mux: AgentMux;
  /** Resolves with the relay's welcome; rejects with the relay's error or on close. */
  readonly welcome: Promise<WelcomeMessage>;
  /** Resolves with the relay's `error` message, if it sends one. */
  readonly error: Promise<ErrorMessage>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Every edge report received, in order. */
  readonly edges: EdgeReport[];
  /** Resolves with the `n`th edge report (1-based), received already or to come. */
  edge(n: number): Promise<EdgeReport>;
  sendPolicy(policy: Partial<EdgePolicy>): void;
  /** Cuts the link (terminate) and waits for its close. */
  close(): Promise<void>;
}

/** A fake agent connected over a WebSocket. */
export interface FakeAgent extends LinkedFakeAgent {
  readonly ws: WebSocket;
}

const agents = new Set<LinkedFakeAgent>();

/**
 * Connects to a relay and says hello (unless `silent`).
 *
 * @example
 * const agent = await connectFakeAgent({ url: relay.agentUrl, token, endpoint: "okta-dev" });
 * await agent.welcome;
 */
export async function connectFakeAgent(options: FakeAgentOptions): Promise<FakeAgent> {
  const ws = new WebSocket(options.url, { maxPayload: MAX_FRAME_BYTES, ...options.ws });
  const agent = await connectOver(linkOverWebSocket(ws), options);
  return Object.assign(agent, { ws });
}

/**
 * Connects over an in-process link (a relay's `connectLocal()`) and says hello (unless
 * `silent`): the same fake agent, without a socket.
 *
 * @example
 * const agent = await connectLocalFakeAgent(relay.connectLocal(), { token, endpoint: "okta-dev" });
 */
export function connectLocalFakeAgent(
  link: LinkSocket,
  options: Omit<FakeAgentOptions, "url" | "ws">,
): Promise<LinkedFakeAgent> {
  return connectOver(link, options);
}

async function connectOver(
  link: LinkSocket,
  options: Omit<FakeAgentOptions, "url" | "ws">,
): Promise<LinkedFakeAgent> {
  const edges: EdgeReport[] = [];
  const edgeWaiters: (() => void)[] = [];
  let settleWelcome!: { resolve: (w: WelcomeMessage) => void; reject: (e: Error) => void };
  const welcome = new Promise<WelcomeMessage>((resolve, reject) => {
    settleWelcome = { resolve, reject };
  });
  welcome.catch(() => {});
  let resolveError!: (m: ErrorMessage) => void;
  const error = new Promise<ErrorMessage>((resolve) => {
    resolveError = resolve;
  });
  const onControl = (message: RelayControlMessage | ErrorMessage): void => {
    if (message.type === "welcome") settleWelcome.resolve(message);
    else if (message.type === "edge") {
      edges.push(message.exchange);
      for (const wake of edgeWaiters.splice(0)) wake();
    } else {
      resolveError(message);
      settleWelcome.reject(new Error(`relay error ${message.code}: ${message.message}`));
    }
  };
  const mux = createMux({
    side: "agent",
    socket: link,
    onControl,
    onRequest: options.onRequest ?? echoApp,
  });
  let opened!: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    link.attach({
      open: () => opened(),
      message: (frame) => mux.receive(frame),
      heartbeat: () => {},
      error: () => {},
      close: (code, reason) => {
        mux.close();
        settleWelcome.reject(new Error(`closed ${code} ${reason}`));
        resolve({ code, reason });
      },
    });
  });
  if (link.state === "connecting") await Promise.race([open, closed]);
  if (options.silent !== true && link.state === "open") {
    link.send(
      JSON.stringify({
        type: "hello",
        protocol: PROTOCOL_VERSION,
        token: options.token,
        endpoint: options.endpoint,
        policy: { ...OPEN_POLICY, ...options.policy },
        client: { name: "fake-agent", version: "0.0.0" },
      }),
      () => {},
    );
  }
  const agent: LinkedFakeAgent = {
    link,
    mux,
    welcome,
    error,
    closed,
    edges,
    edge(n) {
      return new Promise((resolve) => {
        const check = (): void => {
          const report = edges[n - 1];
          if (report !== undefined) resolve(report);
          else edgeWaiters.push(check);
        };
        check();
      });
    },
    sendPolicy(policy) {
      mux.sendControl({ type: "policy", policy: { ...OPEN_POLICY, ...policy } });
    },
    async close() {
      agents.delete(agent);
      if (link.state !== "closed") link.terminate();
      await closed;
    },
  };
  agents.add(agent);
  return agent;
}

/** Terminates every fake agent still connected (for `afterEach`). */
export async function closeFakeAgents(): Promise<void> {
  await Promise.all([...agents].map((agent) => agent.close()));
}

/** Reads a stream's request body to its end. */
export async function readRequestBody(stream: IncomingRequestStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The default app behind a fake agent: answers 200 with a JSON echo of the request head
 * and the body's base64.
 */
export async function echoApp(stream: IncomingRequestStream): Promise<void> {
  const body = await readRequestBody(stream);
  const { method, target, rawHeaders, origin } = stream.head;
  const json = JSON.stringify({
    method,
    target,
    rawHeaders,
    origin,
    body: body.toString("base64"),
  });
  const out = stream.respond(200, [
    ["Content-Type", "application/json"],
    ["Content-Length", String(Buffer.byteLength(json))],
  ]);
  out.end(json);
}

/**
 * An app that records every request and answers with `answer(request, index)` (default 200).
 *
 * @example
 * const app = recordingApp(() => ({ status: 500 }));
 * connectFakeAgent({ …, onRequest: app.handler });
 */
export function recordingApp(
  answer: (
    request: ReceivedRequest,
    index: number,
  ) => {
    status: number;
    rawHeaders?: RawHeaders;
    body?: string;
  } = () => ({ status: 200 }),
): {
  requests: ReceivedRequest[];
  handler: (stream: IncomingRequestStream) => Promise<void>;
  /** Resolves once `n` requests have arrived. */
  count(n: number): Promise<ReceivedRequest[]>;
} {
  const requests: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  return {
    requests,
    async handler(stream) {
      const body = await readRequestBody(stream);
      const received = { head: stream.head, body };
      requests.push(received);
      for (const wake of waiters.splice(0)) wake();
      const { status, rawHeaders = [], body: text = "" } = answer(received, requests.length - 1);
      stream.respond(status, rawHeaders).end(text);
    },
    count(n) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (requests.length >= n) resolve(requests.slice(0, n));
          else waiters.push(check);
        };
        check();
      });
    },
  };
}

/**
 * A fake agent whose app is a {@link recordingApp} (answering 200), connected as `endpoint`.
 *
 * @example
 * const { app } = await recordingAgent(relay.agentUrl, secret);
 * const [first] = await app.count(1);
 */
export async function recordingAgent(
  url: string,
  token: string,
  endpoint = "okta-dev",
): Promise<{ app: ReturnType<typeof recordingApp>; agent: FakeAgent }> {
  const app = recordingApp();
  const agent = await connectFakeAgent({ url, token, endpoint, onRequest: app.handler });
  return { app, agent };
}
