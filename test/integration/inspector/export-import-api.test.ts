/**
 * Export (HAR, curl, hooktap JSON; by ids or by filter) and import (hooktap JSON, HAR) over
 * the API: a round trip keeps the bytes and the origin, and a bad file changes nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
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

interface Har {
  log: {
    version: string;
    creator: { name: string };
    entries: { request: { url: string; method: string } }[];
  };
}

describe("GET /api/exports", () => {
  it("exports chosen ids as HAR 1.2, in the order given, with the tunnel's public URL", async () => {
    const h = await harness();
    const a = h.seed();
    const b = h.seed();
    const res = await h.api("GET", `/api/exports?format=har&ids=${a.id},${b.id}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="hooktap-\d{8}T\d{6}\.har"$/,
    );
    const har = res.json as Har;
    expect(har.log.version).toBe("1.2");
    expect(har.log.entries.map((e) => e.request.url)).toEqual([
      "https://relay.example/local/hooks/okta?source=test",
      "https://relay.example/local/hooks/okta?source=test",
    ]);
  });

  it("exports a filtered list oldest first, as curl commands aimed at the upstream", async () => {
    const h = await harness();
    h.seed({}, ["user.account.lock"]);
    const wanted = h.seed({}, ["user.lifecycle.create"]);
    const res = await h.api("GET", "/api/exports?format=curl&oktaEventType=user.lifecycle.create");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const commands = res.text.trim().split("\n\n");
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^curl /);
    expect(commands[0]).toContain(`${h.app.url}/hooks/okta?source=test`);
    expect(commands[0]).toContain(
      JSON.parse(Buffer.from(wanted.request.body.bytes).toString()).eventId,
    );
  });

  it.each([
    ["format=xml", 400, "format"],
    ["ids=", 400, "ids"],
    ["ids=a,,b", 400, "ids"],
    ["ids=x&status=200", 400, "ids"],
    ["limit=100001", 400, "limit"],
    ["baseUrl=ftp://x", 400, "baseUrl"],
    ["status=nope", 400, "status"],
  ])("?%s is a %i problem naming %s", async (query, status, field) => {
    const h = await harness();
    const res = await h.api("GET", `/api/exports?${query}`);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ status, field });
  });

  it("an unknown id is a 404 naming it, and nothing is exported", async () => {
    const h = await harness();
    const a = h.seed();
    const res = await h.api("GET", `/api/exports?format=json&ids=${a.id},01MISSING`);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      code: "exchange_not_found",
      detail: "no exchange with id '01MISSING'",
    });
  });
});

describe("POST /api/imports", () => {
  it("a hooktap JSON export round-trips: same bytes, origin and parent link, new ids", async () => {
    const h = await harness();
    const original = h.seed();
    await h.api("POST", `/api/exchanges/${original.id}/replay`);
    const exported = await h.api("GET", "/api/exports?format=json");
    h.store.clear();
    const res = await h.api("POST", "/api/imports", { body: exported.text });
    expect(res.status).toBe(201);
    const body = res.json as {
      count: number;
      ids: string[];
      items: { origin: string; parentId: string | null }[];
    };
    expect(body.count).toBe(2);
    const [first, second] = body.ids.map((id) => h.store.get(id));
    expect(first?.origin).toBe("live");
    expect(second).toMatchObject({ origin: "replay", parentId: first?.id });
    expect(
      Buffer.from(first?.request.body.bytes ?? []).equals(Buffer.from(original.request.body.bytes)),
    ).toBe(true);
    expect(first?.request.rawHeaders).toEqual(original.request.rawHeaders);
    expect(body.ids).not.toContain(original.id);
  });

  it("a HAR file imports under the endpoint given, and can be replayed", async () => {
    const h = await harness();
    const original = h.seed();
    const har = JSON.parse((await h.api("GET", "/api/exports?format=har")).text) as {
      log: { entries: Record<string, unknown>[] };
    };
    for (const entry of har.log.entries) delete entry._hooktap;
    h.store.clear();
    const res = await h.api("POST", "/api/imports?endpoint=fixture", { body: JSON.stringify(har) });
    expect(res.status).toBe(201);
    const [id] = (res.json as { ids: string[] }).ids;
    expect(h.store.get(id ?? "")).toMatchObject({ endpoint: "fixture", origin: "live" });
    const replay = await h.api("POST", `/api/exchanges/${id}/replay`);
    expect(replay.status).toBe(201);
    expect(h.app.requests[0]?.body.equals(Buffer.from(original.request.body.bytes))).toBe(true);
  });

  it.each([
    ["not json at all", "invalid_import"],
    ['{"log": {"entries": "nope"}}', "invalid_import"],
    ['{"format": "hooktap", "version": 99, "exchanges": []}', "invalid_import"],
    ["[]", "invalid_import"],
    ["", "invalid_import"],
  ])("%j is a 400 problem, and the store is unchanged", async (body, code) => {
    const h = await harness();
    h.seed();
    const before = h.snapshot();
    const res = await h.api("POST", "/api/imports", { body });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: 400, code });
    expect((res.json as { detail: string }).detail.length).toBeGreaterThan(10);
    expect(h.snapshot()).toBe(before);
  });

  it("a file over the import limit is a 413 and imports nothing", async () => {
    const h = await startInspectorHarness(undefined, { maxImportBytes: 100 });
    harnesses.push(h);
    const before = h.snapshot();
    const res = await h.api("POST", "/api/imports", { body: "x".repeat(200) });
    expect(res.status).toBe(413);
    expect(h.snapshot()).toBe(before);
  });
});

describe("filters on the list and the stream", () => {
  it("list filters by origin, status class, event type, target user, text and header", async () => {
    const h = await harness();
    const locked = h.seed({}, ["user.account.lock"]);
    const created = h.seed({}, ["user.lifecycle.create"]);
    await h.api("POST", `/api/exchanges/${created.id}/replay`);
    const ids = async (query: string) =>
      (
        (await h.api("GET", `/api/exchanges?${query}`)).json as { items: { id: string }[] }
      ).items.map((i) => i.id);
    expect(await ids("oktaEventType=user.account.lock")).toEqual([locked.id]);
    expect(await ids(`parentId=${created.id}`)).toHaveLength(1);
    expect(await ids("origin=live")).toEqual([created.id, locked.id]);
    expect(await ids("status=2xx&origin=live")).toEqual([created.id, locked.id]);
    expect(await ids("status=404")).toEqual([]);
    expect(await ids("header=X-Dup%3A%20b&origin=live")).toHaveLength(2);
    expect(await ids("text=user.account.lock")).toEqual([locked.id]);
  });
});
