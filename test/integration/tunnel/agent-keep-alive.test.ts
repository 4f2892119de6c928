/**
 * The agent's keep-alive pool to the app, over real sockets: connections are reused, dropped
 * before the app's own idle timer, never cut under a slow answer, and a request sent on a
 * connection the app closed under it is retried once on a fresh one (small bodies only).
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Agent, type AgentOptions, startAgent } from "../../../src/agent/index.js";
import { FakeRelay } from "../../helpers/agent-fake-relay.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface SeenRequest {
  socket: Socket;
  /** 1 for the first request on its connection, 2 for the second… */
  nth: number;
  body: Buffer;
}

/** Decides what the app does with a request: answer it, or return false to cut its connection. */
type Behaviour = (seen: SeenRequest, res: ServerResponse) => boolean | Promise<boolean>;

interface App {
  url: string;
  server: Server;
  seen: SeenRequest[];
  sockets: Socket[];
}

const answerOk: Behaviour = (_seen, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
  return true;
};

async function app(behaviour: Behaviour = answerOk, keepAliveTimeoutMs = 5000): Promise<App> {
  const seen: SeenRequest[] = [];
  const sockets: Socket[] = [];
  const counts = new WeakMap<Socket, number>();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const nth = (counts.get(req.socket) ?? 0) + 1;
    counts.set(req.socket, nth);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { socket: req.socket, nth, body: Buffer.concat(chunks) };
    seen.push(request);
    if (!(await behaviour(request, res))) req.socket.destroy();
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.on("connection", (socket: Socket) => sockets.push(socket));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    seen,
    sockets,
  };
}

async function tunnel(upstream: string, options: Partial<AgentOptions> = {}) {
  const relay = await FakeRelay.start();
  cleanups.push(() => relay.close());
  const agent: Agent = startAgent({
    relayUrl: relay.agentUrl,
    token: "t",
    endpoint: "hooks",
    upstream,
    ...options,
  });
  cleanups.push(() => agent.close());
  await agent.ready();
  return { relay, agent };
}

const post = (body: Buffer) => ({
  method: "POST",
  target: "/hook",
  rawHeaders: [
    ["Host", "relay.test"],
    ["Content-Length", String(body.length)],
  ] as [string, string][],
});

describe("agent keep-alive pool", () => {
  it("sends consecutive requests on one connection", async () => {
    const target = await app();
    const { relay } = await tunnel(target.url);
    for (let i = 0; i < 3; i++) expect((await relay.request({ target: "/" })).status).toBe(200);
    expect(target.seen.map((s) => s.nth)).toEqual([1, 2, 3]);
    expect(target.sockets).toHaveLength(1);
  });

  it("opens a connection per request with upstreamKeepAliveMs: 0", async () => {
    const target = await app();
    const { relay } = await tunnel(target.url, { upstreamKeepAliveMs: 0 });
    for (let i = 0; i < 3; i++) expect((await relay.request({ target: "/" })).status).toBe(200);
    expect(target.seen.map((s) => s.nth)).toEqual([1, 1, 1]);
    expect(target.sockets).toHaveLength(3);
  });

  it("closes an idle connection before the app's announced Keep-Alive timeout", async () => {
    // Node's server announces `Keep-Alive: timeout=2`; the agent must let go a second earlier.
    const target = await app(answerOk, 2000);
    const { relay } = await tunnel(target.url);
    const connected = once(target.server, "connection") as Promise<[Socket]>;
    const started = performance.now();
    expect((await relay.request({ target: "/" })).status).toBe(200);
    const [socket] = await connected;
    // 'end' is the agent's FIN: had the app's timer fired first, the app would have closed it.
    await once(socket, "end");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("does not cut a slow answer that outlasts the idle timeout", async () => {
    const target = await app(async (_seen, res) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      res.writeHead(200).end("late");
      return true;
    });
    const { relay } = await tunnel(target.url, { upstreamKeepAliveMs: 50 });
    const res = await relay.request({ target: "/" });
    expect([res.status, res.body.toString()]).toEqual([200, "late"]);
  });

  it("retries once on a fresh connection when the app closes a reused one under the request", async () => {
    // The app's idle timer, made deterministic: the second request on a connection finds it closed.
    const target = await app((seen, res) => seen.nth < 2 && answerOk(seen, res));
    const { relay, agent } = await tunnel(target.url);
    const seen: string[] = [];
    agent.on("exchange", (e) => seen.push(`${e.status} ${e.error?.code ?? "-"}`));
    expect((await relay.request({ target: "/" })).status).toBe(200);
    const body = Buffer.from('{"eventType":"com.okta.event_hook"}');
    const res = await relay.request(post(body), body);
    expect([res.status, res.body.toString()]).toEqual([200, "ok"]);
    // The cut attempt and the retry both reached the app with the whole body.
    expect(target.seen.map((s) => s.nth)).toEqual([1, 2, 1]);
    expect(target.seen[2]?.body.equals(body)).toBe(true);
    expect(target.seen[2]?.socket).not.toBe(target.seen[1]?.socket);
    expect(seen).toEqual(["200 -", "200 -"]);
  });

  it("does not retry a body too large to keep: the sender gets the 502", async () => {
    const target = await app((seen, res) => seen.nth < 2 && answerOk(seen, res));
    const { relay } = await tunnel(target.url);
    expect((await relay.request({ target: "/" })).status).toBe(200);
    const body = Buffer.alloc(100_000, 0x61);
    const res = await relay.request(post(body), body);
    expect(res.status).toBe(502);
    expect(res.rawHeaders).toContainEqual(["hooktap-error-code", "upstream_error"]);
    expect(target.seen.map((s) => s.nth)).toEqual([1, 2]);
  });

  it("fails with a 502 when the retry's fresh connection is cut too", async () => {
    const target = await app(
      (seen, res) => seen.nth < 2 && target.seen.length < 3 && answerOk(seen, res),
    );
    const { relay } = await tunnel(target.url);
    expect((await relay.request({ target: "/" })).status).toBe(200);
    const res = await relay.request({ target: "/" });
    expect(res.status).toBe(502);
    expect(target.seen.map((s) => s.nth)).toEqual([1, 2, 1]);
  });

  it("survives an app whose idle timer closes connections as requests arrive", async () => {
    // A server that announces nothing and drops idle connections after 20 ms (as many
    // non-Node servers do): requests spaced around that delay race with the close.
    const target = await app((seen, res) => {
      answerOk(seen, res);
      const socket = seen.socket;
      const timer = setTimeout(() => socket.destroy(), 20);
      socket.once("data", () => clearTimeout(timer));
      return true;
    }, 0);
    const { relay } = await tunnel(target.url);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await relay.request({ target: "/" })).status);
      await new Promise((resolve) => setTimeout(resolve, 10 + (i % 7) * 3));
    }
    expect(statuses).toEqual(Array(30).fill(200));
  });

  it("cuts a connection whose request body the app did not wait for, instead of pooling it", async () => {
    // The app answers 413 at once: a half-sent request cannot be followed by another one.
    const target = await app();
    let bigSocket: Socket | undefined;
    // This app answers without reading the body, which the recording app() cannot do.
    target.server.removeAllListeners("request");
    target.server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== "/big") {
        req.resume().on("end", () => res.writeHead(200).end("ok"));
        return;
      }
      bigSocket = req.socket;
      res.writeHead(413).end("too big");
    });
    const { relay } = await tunnel(target.url);
    const big = Buffer.alloc(4 * 1024 * 1024);
    const first = await relay.request({ ...post(big), target: "/big" }, big);
    expect(first.status).toBe(413);
    const socket = bigSocket;
    if (socket === undefined) throw new Error("the app never saw /big");
    // Left alone, the connection would idle for seconds (until a timer of the app's);
    // the agent cuts it as soon as the response is over.
    const answeredAt = performance.now();
    if (!socket.destroyed) await new Promise((resolve) => socket.once("close", resolve));
    expect(performance.now() - answeredAt).toBeLessThan(3000);
    const second = await relay.request({ target: "/small" });
    expect([second.status, second.body.toString()]).toEqual([200, "ok"]);
  });
});
