/**
 * The agent forwarding through a fake relay to a real local app, over real sockets: bytes in,
 * bytes out, proxy headers, and every way an exchange can fail. Every case runs twice: over a
 * WebSocket and over an in-process link (how `hooktap http` reaches its embedded relay).
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Agent, type AgentOptions, startAgent } from "../../../src/agent/index.js";
import { type CaptureStore, createMemoryCaptureStore } from "../../../src/capture/index.js";
import { StreamResetError } from "../../../src/protocol/index.js";
import { FakeRelay } from "../../helpers/agent-fake-relay.js";
import { createDeferred } from "../../helpers/receiver-deferred.js";
import {
  type AppHandler,
  closedPort,
  startUpstreamApp,
  type UpstreamApp,
} from "../../helpers/upstream-app.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TRANSPORTS = ["a WebSocket", "an in-process link"] as const;
/** How the agent of the current case reaches the fake relay. */
let transport: (typeof TRANSPORTS)[number] = "a WebSocket";

interface Tunnel {
  relay: FakeRelay;
  agent: Agent;
  capture: CaptureStore;
}

async function app(handler?: AppHandler): Promise<UpstreamApp> {
  const started = await startUpstreamApp(handler);
  cleanups.push(() => started.close());
  return started;
}

async function tunnel(upstream: string, options: Partial<AgentOptions> = {}): Promise<Tunnel> {
  const relay = await FakeRelay.start();
  cleanups.push(() => relay.close());
  const capture = createMemoryCaptureStore();
  cleanups.push(() => capture.close());
  const agent = startAgent({
    ...(transport === "a WebSocket"
      ? { relayUrl: relay.agentUrl }
      : { connect: () => relay.connectLocal() }),
    token: "t",
    endpoint: "hooks",
    upstream,
    capture,
    ...options,
  });
  cleanups.push(() => agent.close());
  await agent.ready();
  return { relay, agent, capture };
}

function header(raw: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === name.toLowerCase()) values.push(raw[i + 1] ?? "");
  }
  return values;
}

/** The raw header list without the proxy headers and Connection, which the agent owns. */
function withoutProxyHeaders(raw: readonly string[]): string[] {
  const owned = new Set(["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "connection"]);
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!owned.has(raw[i]?.toLowerCase() ?? "")) out.push(raw[i] ?? "", raw[i + 1] ?? "");
  }
  return out;
}

describe.each(TRANSPORTS)("over %s", (over) => {
  beforeEach(() => {
    transport = over;
  });

  describe("agent forwarding: the request reaches the app byte-exact", () => {
    it("keeps method, target, header case, order and repeats, and a binary non-UTF-8 body", async () => {
      const target = await app();
      const { relay } = await tunnel(target.url);
      const body = Buffer.concat([
        Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]),
        randomBytes(200_000),
      ]);
      const rawHeaders: [string, string][] = [
        ["Host", "relay.example"],
        ["content-TYPE", "application/octet-stream"],
        ["X-Dup", "one"],
        ["x-dup", "two"],
        ["X-Dup", "three"],
        ["Authorization", "Bearer s3cr3t"],
        ["Content-Length", String(body.length)],
      ];
      const seen = target.nextRequest();
      const res = await relay.request(
        { method: "PATCH", target: "/hooks/a%20b?x=1&x=2&y=%E2%9C%93", rawHeaders },
        body,
      );
      const request = await seen;
      expect(res.status).toBe(200);
      expect(request.method).toBe("PATCH");
      expect(request.url).toBe("/hooks/a%20b?x=1&x=2&y=%E2%9C%93");
      expect(withoutProxyHeaders(request.rawHeaders)).toEqual(rawHeaders.flat());
      expect(Buffer.compare(request.body, body)).toBe(0);
    });

    it("keeps a form body exactly, '+' and percent-escapes included", async () => {
      const target = await app();
      const { relay } = await tunnel(target.url);
      const form = Buffer.from("name=Ren%C3%A9e+O%27Hara&tags=a&tags=b&empty=&plus=%2B");
      const seen = target.nextRequest();
      await relay.request(
        {
          rawHeaders: [
            ["Host", "relay.example"],
            ["Content-Type", "application/x-www-form-urlencoded"],
            ["Content-Length", String(form.length)],
          ],
        },
        form,
      );
      expect((await seen).body.toString("latin1")).toBe(form.toString("latin1"));
    });

    it("streams a body sent without Content-Length (chunked) unchanged", async () => {
      const target = await app();
      const { relay } = await tunnel(target.url);
      const source = new PassThrough();
      const parts = [randomBytes(70_000), randomBytes(1), randomBytes(300_000)];
      const seen = target.nextRequest();
      const response = relay.request(
        {
          rawHeaders: [
            ["Host", "relay.example"],
            ["Transfer-Encoding", "chunked"],
          ],
        },
        source,
      );
      for (const part of parts) source.write(part);
      source.end();
      await response;
      expect(Buffer.compare((await seen).body, Buffer.concat(parts))).toBe(0);
    });

    it("appends the client to an existing X-Forwarded-For and sets -Proto and -Host", async () => {
      const target = await app();
      const { relay } = await tunnel(target.url);
      const seen = target.nextRequest();
      await relay.request({
        method: "GET",
        rawHeaders: [
          ["Host", "relay.example:8443"],
          ["x-forwarded-for", "198.51.100.1, 198.51.100.2"],
          ["X-Forwarded-Proto", "gopher"],
        ],
        remoteAddress: "203.0.113.9",
        scheme: "https",
      });
      const raw = (await seen).rawHeaders;
      expect(header(raw, "x-forwarded-for")).toEqual(["198.51.100.1, 198.51.100.2, 203.0.113.9"]);
      expect(raw).toContain("x-forwarded-for");
      expect(header(raw, "x-forwarded-proto")).toEqual(["https"]);
      expect(header(raw, "x-forwarded-host")).toEqual(["relay.example:8443"]);
      expect(header(raw, "host")).toEqual(["relay.example:8443"]);
    });

    it("--host-header rewrite sends the upstream's host and keeps the public one in X-Forwarded-Host", async () => {
      const target = await app();
      const { relay } = await tunnel(target.url, { hostHeader: "rewrite" });
      const seen = target.nextRequest();
      await relay.request({ method: "GET", rawHeaders: [["HOST", "relay.example"]] });
      const raw = (await seen).rawHeaders;
      expect(raw.slice(0, 2)).toEqual(["HOST", `127.0.0.1:${target.port}`]);
      expect(header(raw, "x-forwarded-host")).toEqual(["relay.example"]);
    });

    it("prefixes the upstream's base path", async () => {
      const target = await app();
      const { relay } = await tunnel(`${target.url}/api/`);
      const seen = target.nextRequest();
      await relay.request({ method: "GET", target: "/okta/hook?a=1" });
      expect((await seen).url).toBe("/api/okta/hook?a=1");
    });
  });

  describe("agent forwarding: the response comes back as the app sent it", () => {
    it("keeps status, header case, order and repeats, and a binary body", async () => {
      const payload = Buffer.concat([Buffer.from([0x80, 0x81, 0xff]), randomBytes(500_000)]);
      const target = await app((_request, res) => {
        res.writeHead(207, [
          "X-Custom-Case",
          "A",
          "Set-Cookie",
          "a=1; Path=/",
          "set-cookie",
          "b=2",
          "Content-Type",
          "application/octet-stream",
          "Content-Length",
          String(payload.length),
        ]);
        res.end(payload);
      });
      const { relay } = await tunnel(target.url);
      const res = await relay.request({ method: "GET" });
      expect(res.status).toBe(207);
      expect(res.rawHeaders.slice(0, 5)).toEqual([
        ["X-Custom-Case", "A"],
        ["Set-Cookie", "a=1; Path=/"],
        ["set-cookie", "b=2"],
        ["Content-Type", "application/octet-stream"],
        ["Content-Length", String(payload.length)],
      ]);
      expect(Buffer.compare(res.body, payload)).toBe(0);
    });

    it("drops the app's hop-by-hop headers on the way back; the capture keeps them", async () => {
      const target = await app((_request, res) => {
        res.writeHead(200, [
          "Connection",
          "close, X-Hop",
          "X-Hop",
          "1",
          "Keep-Alive",
          "timeout=9",
          "X-End",
          "e",
        ]);
        res.end("ok");
      });
      const { relay, capture } = await tunnel(target.url);
      const res = await relay.request({ method: "GET" });
      const names = res.rawHeaders.map(([name]) => name.toLowerCase());
      expect(names).toContain("x-end");
      expect(names).not.toContain("connection");
      expect(names).not.toContain("x-hop");
      expect(names).not.toContain("keep-alive");
      await until(() => (capture.list().items[0]?.response ?? null) !== null);
      expect(capture.list().items[0]?.response?.rawHeaders.slice(0, 4)).toEqual([
        ["Connection", "close, X-Hop"],
        ["X-Hop", "1"],
        ["Keep-Alive", "timeout=9"],
        ["X-End", "e"],
      ]);
    });

    it("20 concurrent exchanges each get their own answer", async () => {
      const target = await app((request, res) => {
        res.writeHead(200).end(request.body);
      });
      const { relay, agent } = await tunnel(target.url);
      const bodies = Array.from({ length: 20 }, (_, i) => randomBytes(1000 * i));
      const answers = await Promise.all(bodies.map((body) => relay.request({}, body)));
      for (const [i, answer] of answers.entries()) {
        expect(Buffer.compare(answer.body, bodies[i] as Buffer)).toBe(0);
      }
      expect(agent.stats).toMatchObject({ total: 20, open: 0, byStatus: { "2xx": 20 } });
    });
  });

  describe("agent forwarding: failures", () => {
    it("upstream down → 502 JSON with hooktap-error-code, recorded as upstream_unreachable", async () => {
      const port = await closedPort();
      const { relay, agent, capture } = await tunnel(`http://127.0.0.1:${port}`);
      const res = await relay.request({}, Buffer.from("{}"));
      expect(res.status).toBe(502);
      expect(res.rawHeaders).toContainEqual(["hooktap-error-code", "upstream_unreachable"]);
      const json = JSON.parse(res.body.toString()) as { error: string; message: string };
      expect(json.error).toBe("upstream_unreachable");
      expect(json.message).toContain(`127.0.0.1:${port}`);
      expect(json.message).toContain("ECONNREFUSED");
      expect(agent.stats.byStatus.error).toBe(1);
      const [row] = capture.list().items;
      expect(row?.error?.code).toBe("upstream_unreachable");
      expect(row?.response?.status).toBe(502);
    });

    it("upstreamTimeoutMs → 504 upstream_timeout while the app stays silent", async () => {
      const target = await app(() => {});
      const { relay } = await tunnel(target.url, { upstreamTimeoutMs: 100 });
      const res = await relay.request({ method: "GET" });
      expect(res.status).toBe(504);
      expect(res.rawHeaders).toContainEqual(["hooktap-error-code", "upstream_timeout"]);
    });

    it("a slow app is waited for by default, and counted open meanwhile", async () => {
      const gate = createDeferred<void>();
      const target = await app(async (_request, res) => {
        await gate.promise;
        res.writeHead(201).end("late");
      });
      const { relay, agent } = await tunnel(target.url);
      const arrived = target.nextRequest();
      const response = relay.request({ method: "GET" });
      await arrived;
      expect(agent.stats.open).toBe(1);
      gate.resolve();
      const res = await response;
      expect([res.status, res.body.toString()]).toEqual([201, "late"]);
      expect(agent.stats.open).toBe(0);
    });

    it("the public client leaving aborts the request to the app", async () => {
      const target = await app(() => {});
      const { relay, capture } = await tunnel(target.url);
      const arrived = target.nextRequest();
      const stream = relay.open({ method: "GET" });
      const request = await arrived;
      const closed = once(request.req.socket, "close");
      stream.reset("aborted", "the public client disconnected");
      await closed;
      await expect(stream.done).rejects.toBeInstanceOf(StreamResetError);
      await until(() => capture.list().items[0]?.timing.doneAt != null);
      expect(capture.list().items[0]?.error).toMatchObject({ code: "aborted" });
    });

    it("an app that dies mid-body resets the stream with upstream_error", async () => {
      const target = await app((_request, res) => {
        res.writeHead(200, { "Content-Length": "1000" });
        res.write("partial", () => res.socket?.destroy());
      });
      const { relay } = await tunnel(target.url);
      const response = await relay.open({ method: "GET" }).response;
      const chunks: Buffer[] = [];
      const error = await (async () => {
        try {
          for await (const chunk of response.body) chunks.push(chunk as Buffer);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(StreamResetError);
      expect(error).toMatchObject({ code: "upstream_error", remote: true });
      expect(Buffer.concat(chunks).toString()).toBe("partial");
    });
  });

  /** Polls a condition on each macrotask; the test's timeout bounds it. */
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => setImmediate(resolve));
  }
});
