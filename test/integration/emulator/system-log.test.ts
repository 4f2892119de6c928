/**
 * `GET /api/v1/logs`: events every API call writes, Okta's shape, Link pagination, polling
 * (a `next` link even on an empty page) versus bounded queries, and bad parameters.
 */
import { get } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { OktaEmulator } from "../../../src/emulator/index.js";
import { buildLogEvent } from "../../../src/okta/index.js";
import {
  hookBody,
  orgFetch,
  sdkClient,
  startTestOrg,
  stopOrgs,
} from "../../helpers/okta-emulator.js";

afterEach(stopOrgs);

interface Page {
  events: { uuid: string; eventType: string; published: string }[];
  self: string | undefined;
  next: string | undefined;
}

function linkOf(header: string | null, rel: string): string | undefined {
  for (const part of (header ?? "").split(/,\s*(?=<)/)) {
    const m = /^<([^>]+)>;\s*rel="([^"]+)"$/.exec(part.trim());
    if (m?.[2] === rel) return m[1];
  }
  return undefined;
}

async function page(org: OktaEmulator, pathOrUrl: string): Promise<Page> {
  const path = pathOrUrl.startsWith("http") ? pathOrUrl.slice(org.url.length) : pathOrUrl;
  const res = await orgFetch(org, path);
  expect(res.status, await res.clone().text()).toBe(200);
  const link = res.headers.get("link");
  return {
    events: (await res.json()) as Page["events"],
    self: linkOf(link, "self"),
    next: linkOf(link, "next"),
  };
}

/** Appends `count` user events published one minute apart, starting at `start`. */
function appendUsers(org: OktaEmulator, count: number, start: number): string[] {
  const events = Array.from({ length: count }, (_, i) =>
    buildLogEvent("user.lifecycle.create", {
      published: new Date(start + i * 60_000).toISOString(),
    }),
  );
  org.store.appendLogEvents(events);
  return events.map((e) => e.uuid);
}

describe("System Log API", () => {
  it("the SDK lists the events of management calls, in the System Log shape", async () => {
    const org = await startTestOrg();
    const client = sdkClient(org);
    const hook = await client.eventHookApi.createEventHook({ eventHook: hookBody() as never });
    await client.eventHookApi.deactivateEventHook({ eventHookId: hook.id ?? "" });
    await client.eventHookApi.activateEventHook({ eventHookId: hook.id ?? "" });

    const seen: string[] = [];
    const collection = await client.systemLogApi.listLogEvents({
      since: new Date(Date.now() - 60_000).toISOString(),
    });
    await collection.each((event) => {
      seen.push(event.eventType ?? "");
    });
    expect(seen).toEqual(["event_hook.created", "event_hook.deactivated", "event_hook.activated"]);

    const { events } = await page(org, "/api/v1/logs");
    const raw = events[0] as unknown as Record<string, unknown>;
    expect(Object.keys(raw)).toEqual([
      "actor",
      "client",
      "device",
      "authenticationContext",
      "displayMessage",
      "eventType",
      "outcome",
      "published",
      "securityContext",
      "severity",
      "debugContext",
      "legacyEventType",
      "transaction",
      "uuid",
      "version",
      "request",
      "target",
    ]);
    expect(raw.request).toEqual({
      ipChain: [{ ip: "127.0.0.1", geographicalContext: null, version: "V4", source: null }],
    });
    expect(raw.client).not.toHaveProperty("ipChain");
    expect(raw.target).toEqual([
      {
        id: hook.id,
        type: "EventHook",
        alternateId: "test hook",
        displayName: "test hook",
        detailEntry: null,
      },
    ]);
    expect(raw.actor).toMatchObject({ type: "User", alternateId: "admin@example.com" });
    expect(raw.transaction).toMatchObject({
      type: "WEB",
      detail: { requestApiTokenId: expect.stringMatching(/^00T/) },
    });
  });

  it("polling pages follow next links, and the last next link keeps returning new events", async () => {
    const org = await startTestOrg();
    const uuids = appendUsers(org, 5, Date.now() - 10 * 60_000);

    const first = await page(org, "/api/v1/logs?limit=2");
    expect(first.self).toBe(`${org.url}/api/v1/logs?limit=2`);
    const second = await page(org, first.next ?? "");
    const third = await page(org, second.next ?? "");
    const empty = await page(org, third.next ?? "");
    expect([...first.events, ...second.events, ...third.events].map((e) => e.uuid)).toEqual(uuids);
    expect(third.events).toHaveLength(1);
    expect(empty.events).toEqual([]);
    expect(empty.next).toEqual(expect.stringContaining(`${org.url}/api/v1/logs?`));

    const [later] = appendUsers(org, 1, Date.now());
    const polled = await page(org, empty.next ?? "");
    expect(polled.events.map((e) => e.uuid)).toEqual([later]);
    expect((await page(org, polled.next ?? "")).events).toEqual([]);
  });

  it("the SDK's polling collection stops at the first empty page", async () => {
    const org = await startTestOrg();
    appendUsers(org, 3, Date.now() - 5 * 60_000);
    const seen: string[] = [];
    await (await sdkClient(org).systemLogApi.listLogEvents({ limit: 2 })).each((e) => {
      seen.push(e.uuid ?? "");
    });
    expect(seen).toHaveLength(3);
  });

  it("polling returns persistence order; bounded queries order by published", async () => {
    const org = await startTestOrg();
    const now = Date.now();
    const late = buildLogEvent("user.lifecycle.create", {
      published: new Date(now - 60_000).toISOString(),
    });
    const early = buildLogEvent("user.lifecycle.create", {
      published: new Date(now - 120_000).toISOString(),
    });
    org.store.appendLogEvents([late, early]);

    expect((await page(org, "/api/v1/logs")).events.map((e) => e.uuid)).toEqual([
      late.uuid,
      early.uuid,
    ]);
    const until = new Date(now).toISOString();
    const bounded = await page(org, `/api/v1/logs?until=${until}`);
    expect(bounded.events.map((e) => e.uuid)).toEqual([early.uuid, late.uuid]);
    expect(bounded.next).toBeUndefined();
    const descending = await page(org, "/api/v1/logs?sortOrder=DESCENDING");
    expect(descending.events.map((e) => e.uuid)).toEqual([late.uuid, early.uuid]);
  });

  it("bounded queries paginate and end without a next link; since and until bound published", async () => {
    const org = await startTestOrg();
    const start = Date.parse("2026-01-01T00:00:00Z");
    const clockOrg = await startTestOrg({ clock: () => start + 24 * 3600_000 });
    const uuids = appendUsers(clockOrg, 5, start);
    const since = new Date(start + 60_000).toISOString();
    const until = new Date(start + 4 * 60_000).toISOString();
    const first = await page(clockOrg, `/api/v1/logs?since=${since}&until=${until}&limit=2`);
    expect(first.events.map((e) => e.uuid)).toEqual(uuids.slice(1, 3));
    const second = await page(clockOrg, first.next ?? "");
    expect(second.events.map((e) => e.uuid)).toEqual(uuids.slice(3, 4));
    expect(second.next).toBeUndefined();

    const desc = await page(
      clockOrg,
      `/api/v1/logs?since=${since}&until=${until}&sortOrder=DESCENDING&limit=2`,
    );
    expect(desc.events.map((e) => e.uuid)).toEqual([uuids[3], uuids[2]]);
    const desc2 = await page(clockOrg, desc.next ?? "");
    expect(desc2.events.map((e) => e.uuid)).toEqual([uuids[1]]);
    expect(desc2.next).toBeUndefined();
    expect(org.store.logs.count()).toBe(0);
  });

  it("sends self and next as two Link header lines", async () => {
    const org = await startTestOrg();
    const rawHeaders = await new Promise<string[]>((resolve, reject) => {
      get(`${org.url}/api/v1/logs`, { headers: { authorization: `SSWS ${org.token}` } }, (res) => {
        res.resume();
        resolve(res.rawHeaders);
      }).on("error", reject);
    });
    const links = rawHeaders.filter(
      (_, i) => i % 2 === 1 && rawHeaders[i - 1]?.toLowerCase() === "link",
    );
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/; rel="self"$/);
    expect(links[1]).toMatch(/; rel="next"$/);
  });

  it.each([
    ["since=yesterday", "E0000001", /^since: The date format in your query is not recognized/],
    [`since=${encodeURIComponent(new Date().toString())}`, "E0000001", /^since: The date format/],
    ["until=2024-02-30T00:00:00Z", "E0000001", /^until: The date format/],
    ["limit=abc", "E0000001", /^limit: must be an integer from 0 to 1000, got 'abc'$/],
    ["limit=1001", "E0000001", /^limit: must be an integer from 0 to 1000/],
    ["limit=-1", "E0000001", /^limit: /],
    ["sortOrder=UP", "E0000001", /^sortOrder: must be ASCENDING or DESCENDING, got 'UP'$/],
    ["after=tomorrow", "E0000001", /^after: 'tomorrow' is not a cursor this org gave out/],
    [
      `q=${"a".repeat(41)}`,
      "E0000001",
      /^q: Freeform search cannot contain items longer than 40 characters$/,
    ],
    [
      `q=${Array.from({ length: 11 }, (_, i) => `k${i}`).join("+")}`,
      "E0000001",
      /^q: Freeform search cannot contain more than 10 items$/,
    ],
    [
      "since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z",
      "E0000001",
      /^since: must be earlier than until$/,
    ],
  ])("%s: 400 %s", async (query, code, cause) => {
    const org = await startTestOrg({ clock: () => Date.parse("2026-03-01T00:00:00Z") });
    const res = await orgFetch(org, `/api/v1/logs?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      errorCode: string;
      errorCauses: { errorSummary: string }[];
    };
    expect(body.errorCode).toBe(code);
    expect(body.errorCauses[0]?.errorSummary).toMatch(cause);
  });

  it("filter and q narrow the events, through the SDK too", async () => {
    const org = await startTestOrg();
    const client = sdkClient(org);
    const a = await client.eventHookApi.createEventHook({
      eventHook: hookBody(undefined, "alpha") as never,
    });
    await client.eventHookApi.createEventHook({ eventHook: hookBody(undefined, "beta") as never });
    await client.eventHookApi.deactivateEventHook({ eventHookId: a.id ?? "" });

    const created: string[] = [];
    await (
      await client.systemLogApi.listLogEvents({
        filter: 'eventType eq "event_hook.created" and target.displayName eq "beta"',
      })
    ).each((e) => {
      created.push(`${e.eventType} ${e.target?.[0]?.displayName}`);
    });
    expect(created).toEqual(["event_hook.created beta"]);

    const about = await page(org, "/api/v1/logs?q=alpha");
    expect(about.events.map((e) => e.eventType)).toEqual([
      "event_hook.created",
      "event_hook.deactivated",
    ]);
    const prefix = await page(
      org,
      `/api/v1/logs?filter=${encodeURIComponent('eventType sw "event_hook.de"')}`,
    );
    expect(prefix.events.map((e) => e.eventType)).toEqual(["event_hook.deactivated"]);
  });

  it("a filter that does not parse: 400 E0000053 with Okta's text", async () => {
    const org = await startTestOrg();
    const res = await orgFetch(
      org,
      `/api/v1/logs?filter=${encodeURIComponent('displayMessage eqq "Create okta user"')}`,
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errorCode: string; errorSummary: string };
    expect(body.errorCode).toBe("E0000053");
    expect(body.errorSummary).toMatch(
      /^Invalid filter 'displayMessage eqq "Create okta user"': .*'eqq'/,
    );
    expect(body.errorSummary).toContain("position 15");
  });

  it("a filter on a field LogEvents do not have: 400 E0000053 naming it", async () => {
    const org = await startTestOrg();
    const res = await orgFetch(
      org,
      `/api/v1/logs?filter=${encodeURIComponent('some_invalid_field eq "x"')}`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errorCode: "E0000053",
      errorSummary: "field is not valid: some_invalid_field",
    });
  });

  it("an operator Okta refuses on a field: 400 E0000031", async () => {
    const org = await startTestOrg();
    const res = await orgFetch(
      org,
      `/api/v1/logs?filter=${encodeURIComponent('debugContext.debugData.url co "users"')}`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: "E0000031" });
  });

  it("since more than 180 days ago: 400 E0000053", async () => {
    const org = await startTestOrg({ clock: () => Date.parse("2026-03-01T00:00:00Z") });
    const res = await orgFetch(org, "/api/v1/logs?since=2025-01-01T00:00:00Z");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errorCode: "E0000053",
      errorSummary:
        "Invalid parameter: The since parameter is over 180 days prior to the current day.",
    });
  });
});
