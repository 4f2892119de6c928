/**
 * hooktap's history API over a real SQLite store: list with cursor pagination and filters,
 * one exchange in full (bodies, Okta view, lint), delete, clear — and a problem object for
 * every bad parameter or unknown id, with nothing changed.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ExchangeDetail, ExchangeSummary } from "../../../src/inspector/index.js";
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

interface Page {
  items: ExchangeSummary[];
  next: string | null;
  nextUri: string | null;
}

describe("GET /api/exchanges", () => {
  it("pages newest first with a cursor until next is null", async () => {
    const h = await harness();
    const ids = Array.from({ length: 5 }, () => h.seed().id).reverse();
    const seen: string[] = [];
    let path: string | null = "/api/exchanges?limit=2";
    let pages = 0;
    while (path !== null) {
      const res = await h.api("GET", path);
      expect(res.status).toBe(200);
      const page = res.json as Page;
      seen.push(...page.items.map((item) => item.id));
      path = page.nextUri;
      if (page.next !== null) expect(page.nextUri).toContain(`before=${page.next}`);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it("summarises each exchange without bodies, with its Okta view and lint findings", async () => {
    const h = await harness();
    const seeded = h.seed(
      {
        response: {
          status: 500,
          statusMessage: "Internal Server Error",
          rawHeaders: [],
          body: { bytes: new Uint8Array(), size: 0, truncated: false },
        },
      },
      ["user.lifecycle.create", "group.user_membership.add"],
    );
    const page = (await h.api("GET", "/api/exchanges")).json as Page;
    const item = page.items[0];
    expect(item).toMatchObject({
      id: seeded.id,
      uri: `/api/exchanges/${seeded.id}`,
      endpoint: "local",
      origin: "live",
      state: "complete",
      method: "POST",
      target: "/hooks/okta?source=test",
      status: 500,
      durationMs: 16,
      requestBytes: seeded.request.body.size,
      okta: {
        kind: "delivery",
        eventTypes: ["user.lifecycle.create", "group.user_membership.add"],
      },
    });
    expect(item?.lint.map((finding) => finding.code)).toContain("server_error");
    expect(JSON.stringify(item)).not.toContain("base64");
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=x", "limit"],
    ["status=99", "status"],
    ["status=2x", "status"],
    ["origin=elsewhere", "origin"],
    ["minDurationMs=-1", "minDurationMs"],
    ["minDurationMs=10&maxDurationMs=5", "minDurationMs"],
    ["method=GE%20T", "method"],
    ["header=%3Avalue", "header"],
    ["text=", "text"],
    ["colour=red", "colour"],
    ["method=GET&method=POST", "method"],
  ])("?%s is a 400 problem naming %s", async (query, field) => {
    const h = await harness();
    const res = await h.api("GET", `/api/exchanges?${query}`);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: 400, code: "invalid_query", field });
  });
});

describe("GET /api/exchanges/:id", () => {
  it("gives header pairs in wire order, bodies as text or base64, timing, Okta view", async () => {
    const h = await harness();
    const binary = new Uint8Array([0, 255, 1, 254]);
    const seeded = h.seed({
      response: {
        status: 200,
        statusMessage: "OK",
        rawHeaders: [["Content-Type", "application/octet-stream"]],
        body: { bytes: binary, size: 10, truncated: true },
      },
    });
    const res = await h.api("GET", `/api/exchanges/${seeded.id}`);
    expect(res.status).toBe(200);
    const detail = res.json as ExchangeDetail;
    expect(detail.request.headers).toEqual(seeded.request.rawHeaders);
    expect(detail.request.body).toEqual({
      size: seeded.request.body.size,
      truncated: false,
      kept: seeded.request.body.size,
      encoding: "utf8",
      text: Buffer.from(seeded.request.body.bytes).toString("utf8"),
      base64: null,
    });
    expect(detail.response?.body).toEqual({
      size: 10,
      truncated: true,
      kept: 4,
      encoding: "base64",
      text: null,
      base64: "AP8B/g==",
    });
    expect(detail.timing).toEqual(seeded.timing);
    expect(detail.okta.kind).toBe("delivery");
    expect(detail.lint.map((f) => f.code)).toContain("truncated");
  });

  it("an unknown id is a 404 problem", async () => {
    const h = await harness();
    const res = await h.api("GET", "/api/exchanges/01NOPE");
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: "exchange_not_found" });
  });
});

describe("DELETE /api/exchanges[/:id]", () => {
  it("deletes one (204), then 404 for it; others stay", async () => {
    const h = await harness();
    const keep = h.seed();
    const gone = h.seed();
    expect((await h.api("DELETE", `/api/exchanges/${gone.id}`)).status).toBe(204);
    expect(h.store.get(gone.id)).toBeNull();
    expect(h.store.get(keep.id)).not.toBeNull();
    const again = await h.api("DELETE", `/api/exchanges/${gone.id}`);
    expect(again.status).toBe(404);
    expect(again.json).toMatchObject({ code: "exchange_not_found" });
  });

  it("clears everything (204)", async () => {
    const h = await harness();
    h.seed();
    h.seed();
    expect((await h.api("DELETE", "/api/exchanges")).status).toBe(204);
    expect(h.store.count()).toBe(0);
  });

  it("a query on DELETE is refused, and nothing is deleted", async () => {
    const h = await harness();
    h.seed();
    const before = h.snapshot();
    const res = await h.api("DELETE", "/api/exchanges?status=500");
    expect(res.status).toBe(400);
    expect(h.snapshot()).toBe(before);
  });
});
