/**
 * `POST /api/exchanges/:id/replay` against a real app: the replay is an exchange of its own
 * (origin `replay`, `parentId`), sent byte-exact, returned with its response; an app that is
 * down gives a 201 with the error recorded; every refusal changes nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ExchangeDetail, ExchangeSummary } from "../../../src/inspector/index.js";
import { startInspector } from "../../../src/inspector/index.js";
import {
  callApi,
  type InspectorHarness,
  startInspectorHarness,
} from "../../helpers/inspector-harness.js";
import { closedPort, startUpstreamApp } from "../../helpers/upstream-app.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(
  ...args: Parameters<typeof startInspectorHarness>
): Promise<InspectorHarness> {
  const h = await startInspectorHarness(...args);
  cleanups.push(() => h.close());
  return h;
}

interface Replayed {
  exchange: ExchangeDetail;
  original: ExchangeSummary;
  diff: {
    equal: boolean;
    status: { before: number | null; after: number | null } | null;
    body: { equal: boolean; kind: string };
  };
}

describe("POST /api/exchanges/:id/replay", () => {
  it("sends the captured bytes again and answers 201 with the new exchange and its response", async () => {
    const h = await harness((request, res) => {
      res.writeHead(201, {
        "Content-Type": "text/plain",
        "X-Seen": String(request.body.byteLength),
      });
      res.end("replayed");
    });
    const original = h.seed();
    const res = await h.api("POST", `/api/exchanges/${original.id}/replay`);
    expect(res.status).toBe(201);
    const { exchange, original: parent, diff } = res.json as Replayed;
    expect(diff.equal).toBe(false);
    expect(diff.status).toEqual({ before: 200, after: 201 });
    expect(diff.body).toMatchObject({ equal: false, kind: "text" });
    expect(res.headers.location).toBe(`/api/exchanges/${exchange.id}`);
    expect(parent.id).toBe(original.id);
    expect(exchange).toMatchObject({
      origin: "replay",
      parentId: original.id,
      endpoint: "local",
      state: "complete",
      method: "POST",
      target: "/hooks/okta?source=test",
      status: 201,
    });
    expect(exchange.response?.body.text).toBe("replayed");
    expect(exchange.response?.headers).toContainEqual([
      "X-Seen",
      String(original.request.body.size),
    ]);
    expect(exchange.request.headers).toEqual(original.request.rawHeaders);
    expect(exchange.timing.forwardedAt).not.toBeNull();

    const [received] = h.app.requests;
    expect(received?.body.equals(Buffer.from(original.request.body.bytes))).toBe(true);
    // Stored: the list shows the replay first, linked to its original.
    const stored = h.store.get(exchange.id);
    expect(stored).toMatchObject({ origin: "replay", parentId: original.id });
    expect(stored?.response?.status).toBe(201);
    expect(h.store.list({ limit: 10 }).items.map((x) => x.id)).toEqual([exchange.id, original.id]);
  });

  it("an app that is down: 201, the new exchange records upstream_unreachable", async () => {
    const port = await closedPort();
    const inspectorHarness = await harness();
    const original = inspectorHarness.seed();
    const res = await inspectorHarness.api("POST", `/api/exchanges/${original.id}/replay`, {
      json: { to: `http://127.0.0.1:${port}` },
    });
    expect(res.status).toBe(201);
    const { exchange } = res.json as Replayed;
    expect(exchange).toMatchObject({
      state: "failed",
      status: null,
      response: null,
      error: { code: "upstream_unreachable" },
      target: `http://127.0.0.1:${port}/hooks/okta?source=test`,
    });
    expect(inspectorHarness.store.get(exchange.id)?.error?.code).toBe("upstream_unreachable");
  });

  it("to: sends to another URL (base path kept, Host rewritten) and records where it went", async () => {
    const h = await harness();
    const other = await startUpstreamApp((_request, res) => {
      res.writeHead(202).end();
    });
    cleanups.push(() => other.close());
    const original = h.seed();
    const res = await h.api("POST", `/api/exchanges/${original.id}/replay`, {
      json: { to: `${other.url}/staging/` },
    });
    expect(res.status).toBe(201);
    const { exchange } = res.json as Replayed;
    expect(exchange.target).toBe(`${other.url}/staging/hooks/okta?source=test`);
    expect(h.app.requests).toHaveLength(0);
    const [received] = other.requests;
    expect(received?.url).toBe("/staging/hooks/okta?source=test");
    expect(received?.rawHeaders.slice(0, 2)).toEqual(["Host", `127.0.0.1:${other.port}`]);
    expect(received?.rawHeaders).toContain("X-Forwarded-Host");

    // Replaying the replay goes to the same place again.
    const again = await h.api("POST", `/api/exchanges/${exchange.id}/replay`);
    expect((again.json as Replayed).exchange.target).toBe(exchange.target);
    expect(other.requests).toHaveLength(2);
  });

  it.each([
    [{ to: "ftp://example.com" }, "to"],
    [{ to: "http://user:pw@example.com" }, "to"],
    [{ to: "http://example.com/?x=1" }, "to"],
    [{ to: "not a url" }, "to"],
    [{ method: "GE T" }, "method"],
    [{ path: "no-slash" }, "path"],
    [{ headers: { set: [["Bad Name", "x"]] } }, "headers.set[0]"],
    [{ headers: { set: [["X-Ok", "line\r\nbreak"]] } }, "headers.set[0]"],
    [{ headers: { remove: "X-One" } }, "headers.remove"],
    [{ headers: { nope: [] } }, "headers.nope"],
    [{ body: 5 }, "body"],
    [{ body: "a", bodyBase64: "YQ==" }, "body"],
    [{ bodyBase64: "not base64!" }, "bodyBase64"],
    [{ jsonEdits: "a=b" }, "jsonEdits"],
  ])("%j is a 400 problem naming %s; nothing sent or stored", async (input, field) => {
    const h = await harness();
    const original = h.seed();
    const before = h.snapshot();
    const res = await h.api("POST", `/api/exchanges/${original.id}/replay`, { json: input });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: 400, code: "invalid_replay_options", field });
    expect(h.snapshot()).toBe(before);
    expect(h.app.requests).toHaveLength(0);
  });

  it("with modifications: JSON edit, header set/remove, new method; Content-Length follows", async () => {
    const h = await harness();
    const original = h.seed();
    const res = await h.api("POST", `/api/exchanges/${original.id}/replay`, {
      json: {
        method: "PUT",
        jsonEdits: ["data.events[0].target[0].alternateId=jane.doe@example.com"],
        headers: { set: [["X-Dup", "one"]], remove: ["authorization"], add: { "X-Extra": "1" } },
      },
    });
    expect(res.status).toBe(201);
    const [received] = h.app.requests;
    expect(received?.method).toBe("PUT");
    const sent = JSON.parse(received?.body.toString("utf8") ?? "{}");
    expect(sent.data.events[0].target[0].alternateId).toBe("jane.doe@example.com");
    const headers = received?.rawHeaders ?? [];
    expect(headers).not.toContain("authorization");
    expect(headers.filter((h) => h.toLowerCase() === "x-dup")).toHaveLength(1);
    expect(headers).toContain("X-Extra");
    const length = headers[headers.indexOf("Content-Length") + 1];
    expect(Number(length)).toBe(received?.body.byteLength);
    const { exchange } = res.json as Replayed;
    expect(exchange.request.method).toBe("PUT");
    expect(exchange.request.body.text).toContain("jane.doe@example.com");
  });

  it.each([
    [{ jsonEdits: ["data.nothing.here=1"] }, "path_not_found", false],
    [{ jsonEdits: ["no equals sign"] }, "invalid_edit", false],
    [{ jsonEdits: ["a=1"] }, "not_json", true],
  ])("%j is a 400 %s; nothing sent or stored", async (input, code, binaryBody) => {
    const h = await harness();
    const bytes = new Uint8Array([0xff, 0x00, 0x01]);
    const original = binaryBody
      ? h.seed({
          request: {
            method: "POST",
            target: "/bin",
            httpVersion: "1.1",
            rawHeaders: [["Content-Length", "3"]],
            body: { bytes, size: 3, truncated: false },
          },
        })
      : h.seed();
    const before = h.snapshot();
    const res = await h.api("POST", `/api/exchanges/${original.id}/replay`, { json: input });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: 400, code });
    expect(h.snapshot()).toBe(before);
    expect(h.app.requests).toHaveLength(0);
  });

  it("an unknown id is a 404; nothing sent or stored", async () => {
    const h = await harness();
    h.seed();
    const before = h.snapshot();
    const res = await h.api("POST", "/api/exchanges/01UNKNOWN/replay");
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: "exchange_not_found" });
    expect(h.snapshot()).toBe(before);
    expect(h.app.requests).toHaveLength(0);
  });

  it("a body cut by the capture limit is not replayed (409) unless a new body is given", async () => {
    const h = await harness();
    const bytes = new TextEncoder().encode('{"partial":');
    const original = h.seed({
      request: {
        method: "POST",
        target: "/big",
        httpVersion: "1.1",
        rawHeaders: [["Content-Length", "100"]],
        body: { bytes, size: 100, truncated: true },
      },
    });
    const before = h.snapshot();
    const refused = await h.api("POST", `/api/exchanges/${original.id}/replay`);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: "body_truncated" });
    expect(h.snapshot()).toBe(before);
    expect(h.app.requests).toHaveLength(0);
  });

  it("without a replayer the call is a 503 problem", async () => {
    const h = await harness();
    const inspector = await startInspector({
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
      capture: h.store,
    });
    cleanups.push(() => inspector.close());
    const original = h.seed();
    const res = await callApi(
      inspector.port,
      `127.0.0.1:${inspector.port}`,
      "POST",
      `/api/exchanges/${original.id}/replay`,
    );
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ code: "replay_unavailable" });
  });
});
