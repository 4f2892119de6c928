/**
 * ngrok's captured-request API, held to the examples of ngrok's agent API documentation
 * ("List Captured Requests", "Captured Request Detail", "Replay Captured Request", "Delete
 * Captured Requests"): same URLs, same field names and types, same status codes.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { NgrokCapturedRequest } from "../../../src/inspector/index.js";
import { type InspectorHarness, startInspectorHarness } from "../../helpers/inspector-harness.js";

const harnesses: InspectorHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function harness(): Promise<InspectorHarness> {
  const h = await startInspectorHarness();
  harnesses.push(h);
  return h;
}

const REQUEST_KEYS = [
  "uri",
  "id",
  "tunnel_name",
  "remote_addr",
  "start",
  "duration",
  "request",
  "response",
];

describe("GET /api/requests/http (List Captured Requests)", () => {
  it("answers ngrok's shape: uri and requests, newest first, with limit and tunnel_name", async () => {
    const h = await harness();
    const first = h.seed();
    const second = h.seed({ endpoint: "other" });
    const res = await h.api("GET", "/api/requests/http?limit=50");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const body = res.json as { uri: string; requests: NgrokCapturedRequest[] };
    expect(Object.keys(body).sort()).toEqual(["requests", "uri"]);
    expect(body.uri).toBe("/api/requests/http");
    expect(body.requests.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(Object.keys(body.requests[0] ?? {})).toEqual(REQUEST_KEYS);

    const limited = (await h.api("GET", "/api/requests/http?limit=1")).json as typeof body;
    expect(limited.requests.map((r) => r.id)).toEqual([second.id]);
    const byTunnel = (await h.api("GET", "/api/requests/http?tunnel_name=local"))
      .json as typeof body;
    expect(byTunnel.requests.map((r) => r.id)).toEqual([first.id]);
    // ngrok's second URL of a tunnel is "<name> (2)": it filters like its tunnel.
    const byUrl = (await h.api("GET", "/api/requests/http?tunnel_name=local%20(2)"))
      .json as typeof body;
    expect(byUrl.requests.map((r) => r.id)).toEqual([first.id]);
  });

  it.each(["limit=0", "limit=abc", "limit=1001", "limit=1&limit=2", "tunnel=local"])(
    "?%s is a 400 problem",
    async (query) => {
      const h = await harness();
      const res = await h.api("GET", `/api/requests/http?${query}`);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ status: 400, code: "invalid_query" });
    },
  );
});

describe("GET /api/requests/http/:id (Captured Request Detail)", () => {
  it("gives ngrok's fields: canonical header map of arrays, ns duration, raw HTTP/1.1 bytes", async () => {
    const h = await harness();
    const seeded = h.seed();
    const res = await h.api("GET", `/api/requests/http/${seeded.id}`);
    expect(res.status).toBe(200);
    const r = res.json as NgrokCapturedRequest;
    expect(Object.keys(r)).toEqual(REQUEST_KEYS);
    expect(r.uri).toBe(`/api/requests/http/${seeded.id}`);
    expect(r.tunnel_name).toBe("local");
    expect(r.remote_addr).toBe("203.0.113.7");
    expect(new Date(r.start).getTime()).toBe(Math.round(seeded.timing.receivedAt));
    expect(r.duration).toBe(16_000_000);
    expect(Number.isInteger(r.duration)).toBe(true);
    expect(Object.keys(r.request)).toEqual(["method", "proto", "headers", "uri", "raw"]);
    expect(r.request).toMatchObject({
      method: "POST",
      proto: "HTTP/1.1",
      uri: "/hooks/okta?source=test",
    });
    expect(r.request.headers).toEqual({
      Host: ["relay.example"],
      "User-Agent": ["Okta Event Hooks v1.0"],
      "Content-Type": ["application/json"],
      Authorization: ["Basic b2t0YTpzZWNyZXQ="],
      "X-Dup": ["a", "b"],
      "Content-Length": [String(seeded.request.body.size)],
    });
    const raw = Buffer.from(r.request.raw, "base64");
    const body = Buffer.from(seeded.request.body.bytes);
    expect(
      raw.equals(
        Buffer.concat([
          Buffer.from(
            "POST /hooks/okta?source=test HTTP/1.1\r\nHost: relay.example\r\nUser-Agent: Okta Event Hooks v1.0\r\n" +
              "Content-Type: application/json\r\nauthorization: Basic b2t0YTpzZWNyZXQ=\r\nX-Dup: a\r\nx-dup: b\r\n" +
              `Content-Length: ${body.byteLength}\r\n\r\n`,
          ),
          body,
        ]),
      ),
    ).toBe(true);
    expect(r.response).toEqual({
      status: "200 OK",
      status_code: 200,
      proto: "HTTP/1.1",
      headers: { "Content-Type": ["application/json"], "Content-Length": ["11"] },
      raw: Buffer.from(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}',
      ).toString("base64"),
    });
  });

  it("response is null while the app has not answered", async () => {
    const h = await harness();
    const seeded = h.seed({
      response: null,
      timing: { receivedAt: Date.now(), forwardedAt: null, firstByteAt: null, doneAt: null },
    });
    const r = (await h.api("GET", `/api/requests/http/${seeded.id}`)).json as NgrokCapturedRequest;
    expect(r.response).toBeNull();
    expect(r.duration).toBe(0);
  });

  it("an unknown id is a 404 problem", async () => {
    const h = await harness();
    const res = await h.api("GET", "/api/requests/http/548fb5c700000002");
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      code: "exchange_not_found",
      detail: "no exchange with id '548fb5c700000002'",
    });
  });
});

describe("POST /api/requests/http (Replay Captured Request)", () => {
  it("ngrok's example, a form body (curl -d id=…), replays byte-exact and answers 204", async () => {
    const h = await harness();
    const seeded = h.seed();
    const received = h.app.nextRequest();
    const res = await h.api("POST", "/api/requests/http", {
      body: `id=${seeded.id}`,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    const request = await received;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/hooks/okta?source=test");
    expect(request.body.equals(Buffer.from(seeded.request.body.bytes))).toBe(true);
    expect(request.rawHeaders).toEqual([
      "Host",
      "relay.example",
      "User-Agent",
      "Okta Event Hooks v1.0",
      "Content-Type",
      "application/json",
      "authorization",
      "Basic b2t0YTpzZWNyZXQ=",
      "X-Dup",
      "a",
      "x-dup",
      "b",
      "Content-Length",
      String(seeded.request.body.size),
      "X-Forwarded-For",
      "203.0.113.7",
      "X-Forwarded-Proto",
      "https",
      "X-Forwarded-Host",
      "relay.example",
      // Node's own, for the one-off connection (as for live requests).
      "Connection",
      "close",
    ]);
    const page = h.store.list({ limit: 10 });
    expect(page.items).toHaveLength(2);
    const replay = page.items[0];
    expect(replay).toMatchObject({ origin: "replay", parentId: seeded.id, endpoint: "local" });
    expect(replay?.response?.status).toBe(200);
  });

  it("takes JSON {id, tunnel_name} too", async () => {
    const h = await harness();
    const seeded = h.seed();
    const res = await h.api("POST", "/api/requests/http", {
      json: { id: seeded.id, tunnel_name: "local" },
    });
    expect(res.status).toBe(204);
    expect(h.app.requests).toHaveLength(1);
  });

  it.each([
    [{ id: "nope" }, 404, "exchange_not_found"],
    [{}, 400, "invalid_body"],
    [{ id: 5 }, 400, "invalid_body"],
    [{ id: "SEEDED", tunnel_name: "elsewhere" }, 404, "tunnel_not_found"],
    [{ id: "SEEDED", tunnel_name: 3 }, 400, "invalid_body"],
  ])("%j is a %i %s problem, and nothing is sent or stored", async (input, status, code) => {
    const h = await harness();
    const seeded = h.seed();
    const before = h.snapshot();
    const json = JSON.parse(JSON.stringify(input).replace("SEEDED", seeded.id)) as unknown;
    const res = await h.api("POST", "/api/requests/http", { json });
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ status, code });
    expect(h.snapshot()).toBe(before);
    expect(h.app.requests).toHaveLength(0);
  });
});

describe("DELETE /api/requests/http (Delete Captured Requests)", () => {
  it("deletes every captured request: 204 with no body", async () => {
    const h = await harness();
    h.seed();
    h.seed();
    const res = await h.api("DELETE", "/api/requests/http");
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(h.store.count()).toBe(0);
  });
});
