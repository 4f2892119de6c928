import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryCaptureStore } from "../capture/index.js";
import { startInspector } from "./server.js";
import type { Inspector, InspectorSource, SourceStatus } from "./types.js";

const running: Inspector[] = [];
afterEach(async () => {
  for (const inspector of running.splice(0)) await inspector.close();
});

const STATUS: SourceStatus = {
  state: "online",
  lastError: null,
  startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  version: "0.1.0",
  tunnels: [
    {
      name: "local",
      publicUrls: ["https://relay.example/local", "http://127.0.0.1:8080/local"],
      upstream: "http://127.0.0.1:3000",
      metrics: {
        total: 7,
        open: 1,
        rate1: 0.1,
        rate5: 0.02,
        rate15: 0.01,
        p50Ms: 12,
        p90Ms: 40,
        p95Ms: 41,
        p99Ms: 90.5,
        byStatus: { "2xx": 5, "3xx": 0, "4xx": 1, "5xx": 0, error: 0 },
      },
    },
  ],
};

async function inspector(status: SourceStatus = STATUS, host?: string): Promise<Inspector> {
  const source: InspectorSource = { status: () => status };
  const started = await startInspector({
    port: 0,
    source,
    capture: createMemoryCaptureStore(),
    ...(host === undefined ? {} : { host }),
  });
  running.push(started);
  return started;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

function get(port: number, path: string, host: string, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method, headers: { Host: host } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: text === "" ? null : JSON.parse(text),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("inspector: ngrok's agent API", () => {
  it("GET /api/tunnels lists one tunnel per public URL with ngrok's field names", async () => {
    const { port, url } = await inspector();
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const res = await get(port, "/api/tunnels", `127.0.0.1:${port}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const body = res.json as { tunnels: Record<string, unknown>[]; uri: string };
    expect(body.uri).toBe("/api/tunnels");
    expect(body.tunnels).toHaveLength(2);
    expect(body.tunnels[0]).toMatchObject({
      name: "local",
      uri: "/api/tunnels/local",
      public_url: "https://relay.example/local",
      proto: "https",
      config: { addr: "http://127.0.0.1:3000", inspect: true },
      metrics: {
        conns: { count: 7, gauge: 1, rate1: 0.1, p50: 12_000_000, p99: 90_500_000 },
        http: { count: 7, rate5: 0.02, rate15: 0.01, p90: 40_000_000, p95: 41_000_000 },
      },
    });
    expect(body.tunnels[0]?.ID).toMatch(/^[0-9a-f]{32}$/);
    expect(body.tunnels[1]).toMatchObject({
      name: "local (2)",
      uri: "/api/tunnels/local%20(2)",
      public_url: "http://127.0.0.1:8080/local",
      proto: "http",
    });
  });

  it("GET /api/tunnels/:name returns one tunnel, 404 problem for an unknown one", async () => {
    const { port } = await inspector();
    const host = `localhost:${port}`;
    const one = await get(port, "/api/tunnels/local%20(2)", host);
    expect(one.json).toMatchObject({
      name: "local (2)",
      public_url: "http://127.0.0.1:8080/local",
    });
    const missing = await get(port, "/api/tunnels/nope", host);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      detail: "no tunnel named 'nope'",
      code: "tunnel_not_found",
    });
  });

  it("lists no tunnel before the relay granted a URL", async () => {
    const { port } = await inspector({
      ...STATUS,
      state: "connecting",
      tunnels: STATUS.tunnels.map((t) => ({ ...t, publicUrls: [] })),
    });
    const res = await get(port, "/api/tunnels/", `[::1]:${port}`);
    expect(res.json).toEqual({ tunnels: [], uri: "/api/tunnels" });
  });

  it("GET /api/status reports the session, the tunnels in ms and the capture size", async () => {
    const { port } = await inspector({
      ...STATUS,
      state: "offline",
      lastError: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:8080" },
    });
    const res = await get(port, "/api/status", `127.0.0.1:${port}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      state: "offline",
      last_error: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:8080" },
      started_at: "2026-01-02T03:04:05.000Z",
      version: "0.1.0",
      tunnels: [
        {
          name: "local",
          public_url: "https://relay.example/local",
          addr: "http://127.0.0.1:3000",
          requests: { total: 7, open: 1, p50_ms: 12, p90_ms: 40, by_status: { "2xx": 5 } },
        },
      ],
      capture: { count: 0, bytes: 0 },
    });
  });
});

describe("inspector: boundaries", () => {
  it.each([
    "evil.example",
    "evil.example:PORT",
    "127.0.0.1",
    "127.0.0.1:1",
    "localhost.evil.example:PORT",
    "0.0.0.0:PORT",
  ])("refuses Host '%s' with a 403 problem", async (host) => {
    const { port } = await inspector();
    const res = await get(port, "/api/tunnels", host.replace("PORT", String(port)));
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(res.json).toMatchObject({
      type: "about:blank",
      title: "Forbidden",
      status: 403,
      code: "host_not_allowed",
    });
    expect(JSON.stringify(res.json)).not.toContain("public_url");
  });

  it("accepts the loopback names in any case", async () => {
    const { port } = await inspector();
    for (const host of [`127.0.0.1:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await get(port, "/api/status", host)).status).toBe(200);
    }
  });

  it("an unknown path is a 404 problem", async () => {
    const { port } = await inspector();
    const res = await get(port, "/api/nothing", `127.0.0.1:${port}`);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      status: 404,
      code: "not_found",
      detail: "no such resource: /api/nothing",
    });
  });

  it.each(["POST", "DELETE", "PUT"])("%s on a GET resource is a 405 with Allow", async (method) => {
    const { port } = await inspector();
    const res = await get(port, "/api/tunnels", `127.0.0.1:${port}`, method);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD");
    expect(res.json).toMatchObject({ status: 405, code: "method_not_allowed" });
  });

  it("HEAD answers like GET without a body", async () => {
    const { port } = await inspector();
    const res = await get(port, "/api/tunnels", `127.0.0.1:${port}`, "HEAD");
    expect(res.status).toBe(200);
    expect(res.json).toBeNull();
  });

  it("a failing source is a 500 problem, and the server keeps serving", async () => {
    const started = await startInspector({
      port: 0,
      source: {
        status: () => {
          throw new Error("boom");
        },
      },
    });
    running.push(started);
    const host = `127.0.0.1:${started.port}`;
    const res = await get(started.port, "/api/status", host);
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ code: "internal_error" });
    expect((await get(started.port, "/api", host)).status).toBe(200);
  });

  it("rejects with EADDRINUSE when the port is taken, and close() is idempotent", async () => {
    const first = await inspector();
    await expect(
      startInspector({ port: first.port, source: { status: () => STATUS } }),
    ).rejects.toMatchObject({
      code: "EADDRINUSE",
    });
    await first.close();
    await first.close();
  });
});
