/**
 * The inspector's boundaries on a real server: only local Host headers (DNS rebinding), no
 * state change asked by another web page (CSRF), bounded bodies, and bad JSON refused — each
 * with a problem object, and nothing changed in the store.
 */
import { request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startInspector } from "../../../src/inspector/index.js";
import {
  callApi,
  type InspectorHarness,
  startInspectorHarness,
} from "../../helpers/inspector-harness.js";

const harnesses: InspectorHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function harness(options: Parameters<typeof startInspectorHarness>[1] = {}) {
  const h = await startInspectorHarness(undefined, options);
  harnesses.push(h);
  return h;
}

describe("Host check (DNS rebinding)", () => {
  it.each([
    "evil.example:PORT",
    "127.0.0.1:PORT.evil.example",
    "localhost:PORT@evil.example",
    "127.0.0.1:PORT:PORT",
    "[::1]",
    "[::2]:PORT",
    "::1:PORT",
    "127.0.0.2:PORT",
    "localhost:0PORT",
    "localhost",
  ])("refuses Host '%s' on reads and writes, and changes nothing", async (hostTemplate) => {
    const h = await harness();
    h.seed();
    const before = h.snapshot();
    const host = hostTemplate.replaceAll("PORT", String(h.inspector.port));
    for (const [method, path] of [
      ["GET", "/api/exchanges"],
      ["DELETE", "/api/exchanges"],
      ["DELETE", "/api/requests/http"],
    ] as const) {
      const res = await callApi(h.inspector.port, host, method, path);
      expect(res.status).toBe(403);
      expect(res.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
      expect(res.json).toMatchObject({ status: 403, code: "host_not_allowed" });
    }
    expect(h.snapshot()).toBe(before);
  });

  it("refuses a request without Host (HTTP/1.0)", async () => {
    const h = await harness();
    const socket = connect(h.inspector.port, "127.0.0.1");
    socket.end("GET /api/exchanges HTTP/1.0\r\n\r\n");
    let text = "";
    socket.setEncoding("utf8");
    for await (const chunk of socket) text += chunk as string;
    expect(text).toMatch(/^HTTP\/1\.1 403 /);
    expect(text).toContain('"code": "host_not_allowed"');
  });

  it("accepts [::1]:port, localhost:port and 127.0.0.1:port, in any case", async () => {
    const h = await harness();
    for (const host of ["[::1]", "LocalHost", "127.0.0.1"]) {
      const res = await callApi(
        h.inspector.port,
        `${host}:${h.inspector.port}`,
        "GET",
        "/api/exchanges",
      );
      expect(res.status).toBe(200);
    }
  });

  it("an inspector bound to ::1 answers to [::1]:port over IPv6 and refuses other hosts", async () => {
    const inspector = await startInspector({
      host: "::1",
      port: 0,
      source: {
        status: () => ({
          state: "online",
          lastError: null,
          startedAt: 0,
          version: "0",
          tunnels: [],
        }),
      },
    });
    try {
      expect(inspector.url).toBe(`http://[::1]:${inspector.port}`);
      const get = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            {
              host: "::1",
              family: 6,
              port: inspector.port,
              path: "/api/status",
              headers: { Host: host },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on("error", reject);
          req.end();
        });
      expect(await get(`[::1]:${inspector.port}`)).toBe(200);
      expect(await get(`localhost:${inspector.port}`)).toBe(200);
      expect(await get(`evil.example:${inspector.port}`)).toBe(403);
    } finally {
      await inspector.close();
    }
  });
});

describe("cross-origin refusal (CSRF)", () => {
  it.each([
    ["Origin", "https://evil.example"],
    ["Origin", "null"],
    ["Origin", "http://localhost:3000"],
    ["Origin", "http://127.0.0.1:PORT.evil.example"],
    ["Sec-Fetch-Site", "cross-site"],
    ["Sec-Fetch-Site", "same-site"],
  ])("%s: %s is refused on every state-changing call, and nothing changes", async (name, value) => {
    const h = await harness();
    const seeded = h.seed();
    const before = h.snapshot();
    const headers = { [name]: value.replace("PORT", String(h.inspector.port)) };
    const calls: [string, string, unknown][] = [
      ["POST", `/api/exchanges/${seeded.id}/replay`, {}],
      ["POST", "/api/requests/http", { id: seeded.id }],
      ["DELETE", `/api/exchanges/${seeded.id}`, undefined],
      ["DELETE", "/api/exchanges", undefined],
      ["DELETE", "/api/requests/http", undefined],
      ["PUT", "/api/exchanges", undefined],
      ["PATCH", `/api/exchanges/${seeded.id}`, undefined],
    ];
    for (const [method, path, json] of calls) {
      const res = await h.api(method, path, { headers, ...(json === undefined ? {} : { json }) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json).toMatchObject({ status: 403, code: "cross_origin_refused" });
    }
    expect(h.snapshot()).toBe(before);
    expect(h.app.requests).toHaveLength(0);
  });

  it("allows the inspector's own origin, same-origin fetches, and clients without Origin", async () => {
    const h = await harness();
    const own = `http://${h.host}`;
    for (const headers of [
      { Origin: own },
      { Origin: `http://localhost:${h.inspector.port}`, "Sec-Fetch-Site": "same-origin" },
      { "Sec-Fetch-Site": "none" },
      {},
    ]) {
      const seeded = h.seed();
      const res = await h.api("DELETE", `/api/exchanges/${seeded.id}`, { headers });
      expect(res.status).toBe(204);
      expect(h.store.get(seeded.id)).toBeNull();
    }
  });

  it("reads are not refused for their Origin (a cross-origin page cannot read them: no CORS)", async () => {
    const h = await harness();
    const res = await h.api("GET", "/api/exchanges", {
      headers: { Origin: "https://evil.example" },
    });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("request bodies", () => {
  it("a declared body over the limit is a 413 before it is read; nothing is replayed", async () => {
    const h = await harness({ maxRequestBodyBytes: 1024 });
    const seeded = h.seed();
    const before = h.snapshot();
    const res = await h.api("POST", `/api/exchanges/${seeded.id}/replay`, {
      json: { body: "x".repeat(2000) },
    });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ status: 413, code: "body_too_large" });
    expect(h.snapshot()).toBe(before);
    expect(h.app.requests).toHaveLength(0);
  });

  it("a chunked body is cut off at the limit with a 413", async () => {
    const h = await harness({ maxRequestBodyBytes: 1024 });
    const seeded = h.seed();
    const before = h.snapshot();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: h.inspector.port,
          method: "POST",
          path: `/api/exchanges/${seeded.id}/replay`,
          headers: {
            Host: h.host,
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write(`{"body":"${"y".repeat(800)}`);
      req.write(`${"y".repeat(800)}"}`);
      req.end();
    });
    expect(status).toBe(413);
    expect(h.snapshot()).toBe(before);
  });

  it.each([
    ["{", "invalid_json"],
    ['{"method": "POST",}', "invalid_json"],
    ["[1, 2]", "invalid_body"],
    ['"text"', "invalid_body"],
    ["null", "invalid_body"],
    ['{"nope": 1}', "invalid_replay_options"],
  ])("replay body %s is a 400 %s problem, and nothing is sent or stored", async (body, code) => {
    const h = await harness();
    const seeded = h.seed();
    const before = h.snapshot();
    const res = await h.api("POST", `/api/exchanges/${seeded.id}/replay`, {
      body,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(res.json).toMatchObject({
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      code,
    });
    expect((res.json as { detail: string }).detail.length).toBeGreaterThan(10);
    expect(h.snapshot()).toBe(before);
    expect(h.app.requests).toHaveLength(0);
  });

  it("invalid UTF-8 is a 400 invalid_json problem", async () => {
    const h = await harness();
    const seeded = h.seed();
    const res = await h.api("POST", `/api/exchanges/${seeded.id}/replay`, {
      body: Buffer.from([0x7b, 0xff, 0x7d]),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      code: "invalid_json",
      detail: "the request body is not valid UTF-8",
    });
  });
});
