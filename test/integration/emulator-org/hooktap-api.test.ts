/**
 * The emulator's own API: Preview, trigger, the delivery knobs and the delivery log, against a
 * real receiver.
 */

import { afterEach, describe, expect, it } from "vitest";
import type { Delivery } from "../../../src/okta/index.js";
import { headerOf } from "../../helpers/emulator-delivery.js";
import { orgFetch, startTestOrg, stopOrgs } from "../../helpers/okta-emulator.js";
import { createVerifiedHook, HOOK_AUTH, startReceiver } from "../../helpers/okta-org-hooks.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions
type Json = Record<string, any>;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopOrgs();
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const started = await startReceiver(answer);
  closers.push(() => started.close());
  return started;
}

async function post(org: Awaited<ReturnType<typeof startTestOrg>>, path: string, body: unknown) {
  const res = await orgFetch(org, path, { method: "POST", body: JSON.stringify(body) });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Json,
  };
}

describe("POST /api/v1/hooktap/eventHooks/:id/preview", () => {
  it("delivers a built sample when the System Log has none, then the latest logged event, unfiltered", async () => {
    const org = await startTestOrg({ delivery: { batchWindowMs: 0 } });
    const endpoint = await receiver((_r, res) => {
      res.writeHead(202, { "x-receiver": "sample" }).end('{"seen":true}');
    });
    // A filter that passes nothing: Preview ignores filters.
    const hookId = await createVerifiedHook(
      org,
      `${endpoint.url}/hook`,
      ["user.lifecycle.create"],
      {
        events: {
          type: "EVENT_TYPE",
          items: ["user.lifecycle.create"],
          filter: {
            type: "EXPRESSION_LANGUAGE",
            eventFilterMap: [
              {
                event: "user.lifecycle.create",
                condition: {
                  version: null,
                  expression: "event.target.?[displayName eq 'Nobody'].size() > 0",
                },
              },
            ],
          },
        },
      },
    );
    const sample = await post(org, `/api/v1/hooktap/eventHooks/${hookId}/preview`, {
      eventType: "user.lifecycle.create",
    });
    expect(sample.status).toBe(200);
    expect(sample.body.source).toBe("sample");
    expect(sample.body.response).toMatchObject({ status: 202, body: '{"seen":true}' });
    expect(sample.body.response.headers).toContainEqual(["x-receiver", "sample"]);
    expect(sample.body.outcome).toBe("success");
    const sent = JSON.parse(sample.body.request.body) as Delivery;
    expect(sent.data.events[0]?.eventType).toBe("user.lifecycle.create");
    expect(sample.body.request.headers).toContainEqual(["Authorization", HOOK_AUTH]);

    const created = await post(org, "/api/v1/users?activate=false", {
      profile: {
        firstName: "Amara",
        lastName: "Okafor",
        login: "amara@example.com",
        email: "amara@example.com",
      },
    });
    expect(created.status).toBe(200);
    await org.flushDeliveries();
    const before = endpoint.requests.filter((r) => r.method === "POST").length;
    expect(before).toBe(1); // only the preview: the filter stopped the real delivery
    const logged = await post(org, `/api/v1/hooktap/eventHooks/${hookId}/preview`, {
      eventType: "user.lifecycle.create",
    });
    expect(logged.body.source).toBe("system_log");
    const event = (JSON.parse(logged.body.request.body) as Delivery).data.events[0];
    expect(event?.target?.[0]?.alternateId).toBe("amara@example.com");
    const request = endpoint.requests.filter((r) => r.method === "POST").at(-1);
    expect(request && headerOf(request, "user-agent")).toBe(`Okta Hook Service v1.0.0 - ${hookId}`);
  });

  it("delivers an edited event and reports a failing endpoint without retrying", async () => {
    const org = await startTestOrg();
    const endpoint = await receiver((_r, res) => {
      res.writeHead(500).end("boom");
    });
    const hookId = await createVerifiedHook(org, endpoint.url, ["user.lifecycle.deactivate"]);
    const result = await post(org, `/api/v1/hooktap/eventHooks/${hookId}/preview`, {
      eventType: "user.lifecycle.deactivate",
      event: { actor: { id: "badactor", type: "User" } },
    });
    expect(result.status).toBe(200);
    expect(result.body.source).toBe("request");
    expect(result.body.outcome).toBe("failure");
    expect(result.body.response).toMatchObject({ status: 500, body: "boom" });
    const event = (JSON.parse(result.body.request.body) as Delivery).data.events[0];
    expect(event?.actor).toEqual({ id: "badactor", type: "User" });
    expect(event?.uuid).toEqual(expect.any(String));
    expect(endpoint.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it.each([
    ["an unknown hook", "whoNOPE", { eventType: "user.lifecycle.create" }, 404, "E0000007"],
    [
      "a type the hook does not subscribe to",
      null,
      { eventType: "user.session.start" },
      400,
      "E0000001",
    ],
    ["no eventType", null, {}, 400, "E0000001"],
    ["an unknown field", null, { eventType: "user.lifecycle.create", extra: 1 }, 400, "E0000001"],
    [
      "an event of another type",
      null,
      { eventType: "user.lifecycle.create", event: { eventType: "x" } },
      400,
      "E0000001",
    ],
    [
      "an event that is not an object",
      null,
      { eventType: "user.lifecycle.create", event: [1] },
      400,
      "E0000001",
    ],
  ])("refuses %s, sending nothing", async (_name, id, body, status, code) => {
    const org = await startTestOrg();
    const endpoint = await receiver();
    const hookId = await createVerifiedHook(org, endpoint.url, ["user.lifecycle.create"]);
    const result = await post(org, `/api/v1/hooktap/eventHooks/${id ?? hookId}/preview`, body);
    expect(result.status).toBe(status);
    expect(result.body.errorCode).toBe(code);
    expect(endpoint.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  it("answers malformed JSON with E0000003", async () => {
    const org = await startTestOrg();
    const endpoint = await receiver();
    const hookId = await createVerifiedHook(org, endpoint.url, ["user.lifecycle.create"]);
    const res = await orgFetch(org, `/api/v1/hooktap/eventHooks/${hookId}/preview`, {
      method: "POST",
      body: "{nope",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: "E0000003" });
  });
});

describe("POST /api/v1/hooktap/trigger", () => {
  it("performs the action (create-then-deactivate), delivers to subscribed hooks and answers with their responses", async () => {
    const org = await startTestOrg({ delivery: { batchWindowMs: 0 } });
    const endpoint = await receiver((_r, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":1}');
    });
    const hookId = await createVerifiedHook(org, endpoint.url, ["user.lifecycle.deactivate"]);
    const other = await receiver();
    await createVerifiedHook(org, other.url, ["user.session.start"]);
    const result = await post(org, "/api/v1/hooktap/trigger", {
      eventType: "user.lifecycle.deactivate",
      set: [{ path: "target[0].displayName", value: "Edited Name" }],
      count: 2,
    });
    expect(result.status).toBe(200);
    expect(result.body.mode).toBe("action");
    expect(result.body.runs).toHaveLength(2);
    for (const run of result.body.runs) {
      expect(run.action).toMatch(/^deactivate [a-z]+\.[a-z]+\.[0-9a-f]{4}@example\.com$/);
      expect(run.eventTypes).toEqual(["user.lifecycle.deactivate"]);
      expect(run.deliveries).toHaveLength(1);
      expect(run.deliveries[0]).toMatchObject({
        hookId,
        response: { status: 200, body: '{"ok":1}' },
      });
    }
    const delivered = endpoint.deliveriesOnly().flatMap((d) => d.data.events);
    expect(delivered.map((e) => [e.eventType, e.target?.[0]?.displayName])).toEqual([
      ["user.lifecycle.deactivate", "Edited Name"],
      ["user.lifecycle.deactivate", "Edited Name"],
    ]);
    // The System Log keeps what happened: the real names.
    const logs = await orgFetch(
      org,
      "/api/v1/logs?filter=eventType%20eq%20%22user.lifecycle.deactivate%22",
    );
    const logged = (await logs.json()) as { target: { displayName: string }[] }[];
    expect(logged).toHaveLength(2);
    expect(logged.every((e) => e.target[0]?.displayName !== "Edited Name")).toBe(true);
    await org.flushDeliveries();
    expect(other.deliveriesOnly()).toHaveLength(0);
  });

  it("synthesizes a type without an action and logs it", async () => {
    const org = await startTestOrg();
    const endpoint = await receiver();
    await createVerifiedHook(org, endpoint.url, ["application.lifecycle.create"]);
    const result = await post(org, "/api/v1/hooktap/trigger", {
      eventType: "application.lifecycle.create",
    });
    expect(result.body.mode).toBe("synthesized");
    expect(result.body.runs[0].deliveries[0].outcome).toBe("success");
    expect(endpoint.deliveriesOnly()[0]?.data.events[0]?.eventType).toBe(
      "application.lifecycle.create",
    );
  });

  it.each([
    [{ eventType: "not.a.type" }],
    [{ eventType: "user.lifecycle.create", count: 0 }],
    [{ eventType: "user.lifecycle.create", count: 101 }],
    [{ eventType: "user.lifecycle.create", set: "x=1" }],
    [{ eventType: "user.lifecycle.create", set: [{ path: "a..b", value: 1 }] }],
    [{ eventType: "user.lifecycle.create", set: [{ path: "eventType", value: "x" }] }],
    [{ eventType: "user.lifecycle.create", extra: true }],
  ])("refuses %j with E0000001, changing nothing", async (body) => {
    const org = await startTestOrg();
    const result = await post(org, "/api/v1/hooktap/trigger", body);
    expect(result.status).toBe(400);
    expect(result.body.errorCode).toBe("E0000001");
    expect(org.store.directory.listUsers()).toHaveLength(0);
  });
});

describe("delivery knobs and the delivery log", () => {
  it("changes batching through /api/v1/hooktap/settings and lists each request in the delivery log", async () => {
    const org = await startTestOrg({ delivery: { batchWindowMs: 0 } });
    const endpoint = await receiver();
    const hookId = await createVerifiedHook(org, endpoint.url, [
      "user.lifecycle.create",
      "user.lifecycle.activate",
    ]);
    const settings = await post(org, "/api/v1/hooktap/settings", {
      delivery: { batchWindowMs: 60_000, maxBatchEvents: 2 },
    });
    expect(settings.status).toBe(200);
    expect(settings.body.delivery).toMatchObject({ batchWindowMs: 60_000, maxBatchEvents: 2 });
    // create + activate: two events, one full batch of 2 goes at once.
    await post(org, "/api/v1/users?activate=true", {
      profile: { firstName: "A", lastName: "B", login: "ab@example.com", email: "ab@example.com" },
    });
    await endpoint.waitForRequests(2);
    expect(endpoint.deliveriesOnly()[0]?.data.events.map((e) => e.eventType)).toEqual([
      "user.lifecycle.create",
      "user.lifecycle.activate",
    ]);
    await org.flushDeliveries();
    const log = await orgFetch(org, `/api/v1/hooktap/eventHooks/${hookId}/deliveries`);
    const entries = (await log.json()) as Json[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      hookId,
      status: 200,
      outcome: "success",
      attempt: 1,
      eventTypes: ["user.lifecycle.create", "user.lifecycle.activate"],
    });
    const reset = await post(org, "/api/v1/hooktap/settings", {
      delivery: { batchWindowMs: null },
    });
    expect(reset.body.delivery).toEqual({ maxBatchEvents: 2 });
  });

  it("injects duplicates when asked", async () => {
    const org = await startTestOrg({ delivery: { batchWindowMs: 0, chaos: { duplicateRate: 1 } } });
    const endpoint = await receiver();
    await createVerifiedHook(org, endpoint.url, ["user.lifecycle.create"]);
    await post(org, "/api/v1/users?activate=false", {
      profile: { login: "d@example.com", email: "d@example.com" },
    });
    await endpoint.waitForRequests(3);
    await org.flushDeliveries();
    const [first, second] = endpoint.deliveriesOnly();
    expect(second?.eventId).toBe(first?.eventId);
  });

  it("logs a delivery given up as event_hook.delivery in the System Log", async () => {
    const org = await startTestOrg({ delivery: { batchWindowMs: 0, retryDelayMs: 0 } });
    const endpoint = await receiver((_r, res) => {
      res.writeHead(404).end();
    });
    const hookId = await createVerifiedHook(org, endpoint.url, ["user.lifecycle.create"]);
    await post(org, "/api/v1/users?activate=false", {
      profile: { login: "e@example.com", email: "e@example.com" },
    });
    await endpoint.waitForRequests(2);
    await org.flushDeliveries();
    const logs = await orgFetch(
      org,
      "/api/v1/logs?filter=eventType%20eq%20%22event_hook.delivery%22",
    );
    const [failure] = (await logs.json()) as Json[];
    expect(failure?.outcome).toEqual({ result: "FAILURE", reason: "the endpoint answered 404" });
    expect(failure?.target[0]).toMatchObject({ id: hookId, type: "EventHook" });
  });

  it.each([
    [{ delivery: { batchWindowMs: -1 } }, "batchWindowMs"],
    [{ delivery: { chaos: { duplicateRate: 2 } } }, "chaos.duplicateRate"],
    [{ delivery: { chaos: { nope: 1 } } }, "chaos.nope"],
    [{ delivery: { speed: 1 } }, "speed"],
    [{ other: 1 }, "other"],
  ])("refuses %j, changing nothing", async (body, field) => {
    const org = await startTestOrg();
    const result = await post(org, "/api/v1/hooktap/settings", body);
    expect(result.status).toBe(400);
    expect(result.body.errorCode).toBe("E0000001");
    expect(JSON.stringify(result.body.errorCauses)).toContain(field);
    const after = await orgFetch(org, "/api/v1/hooktap/settings");
    expect(((await after.json()) as { delivery: unknown }).delivery).toEqual({});
  });

  it("answers 404 for the delivery log of an unknown hook and 400 for a bad cursor", async () => {
    const org = await startTestOrg();
    const missing = await orgFetch(org, "/api/v1/hooktap/eventHooks/whoMissing/deliveries");
    expect(missing.status).toBe(404);
    const endpoint = await receiver();
    const hookId = await createVerifiedHook(org, endpoint.url, ["user.lifecycle.create"]);
    const bad = await orgFetch(org, `/api/v1/hooktap/eventHooks/${hookId}/deliveries?before=x`);
    expect(bad.status).toBe(400);
    const badLimit = await orgFetch(org, `/api/v1/hooktap/eventHooks/${hookId}/deliveries?limit=0`);
    expect(badLimit.status).toBe(400);
  });
});
