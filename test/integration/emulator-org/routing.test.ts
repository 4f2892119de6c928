/**
 * Which hooks get the events of an action: only ACTIVE and VERIFIED hooks subscribed to the
 * type whose filter passes; and the daily quota's warning and refusal land in the System Log.
 */
import { afterEach, describe, expect, it } from "vitest";
import { orgFetch, startTestOrg, stopOrgs } from "../../helpers/okta-emulator.js";
import { createVerifiedHook, startReceiver } from "../../helpers/okta-org-hooks.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopOrgs();
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function receiver() {
  const started = await startReceiver();
  closers.push(() => started.close());
  return started;
}

async function createUser(
  org: Awaited<ReturnType<typeof startTestOrg>>,
  login: string,
  firstName = "Jane",
) {
  const res = await orgFetch(org, "/api/v1/users?activate=false", {
    method: "POST",
    body: JSON.stringify({ profile: { firstName, lastName: "Roe", login, email: login } }),
  });
  expect(res.status).toBe(200);
}

describe("routing of the org's events", () => {
  it("delivers to ACTIVE, VERIFIED, subscribed hooks whose filter passes, and to no other", async () => {
    const org = await startTestOrg({ delivery: { batchWindowMs: 0 } });
    const [verified, unverified, inactive, other, filtered] = await Promise.all([
      receiver(),
      receiver(),
      receiver(),
      receiver(),
      receiver(),
    ]);
    await createVerifiedHook(org, verified.url, ["user.lifecycle.create"]);
    const unverifiedHook = await orgFetch(org, "/api/v1/eventHooks", {
      method: "POST",
      body: JSON.stringify({
        name: "unverified",
        events: { type: "EVENT_TYPE", items: ["user.lifecycle.create"] },
        channel: { type: "HTTP", version: "1.0.0", config: { uri: unverified.url } },
      }),
    });
    expect(unverifiedHook.status).toBe(200);
    const inactiveId = await createVerifiedHook(org, inactive.url, ["user.lifecycle.create"]);
    await orgFetch(org, `/api/v1/eventHooks/${inactiveId}/lifecycle/deactivate`, {
      method: "POST",
    });
    await createVerifiedHook(org, other.url, ["user.lifecycle.deactivate"]);
    await createVerifiedHook(org, filtered.url, ["user.lifecycle.create"], {
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
                expression: "event.target.?[type eq 'User' && displayName eq 'Ana Roe'].size() > 0",
              },
            },
          ],
        },
      },
    });

    await createUser(org, "jane@example.com");
    await createUser(org, "ana@example.com", "Ana");
    await org.flushDeliveries();

    const logins = (endpoint: Awaited<ReturnType<typeof receiver>>) =>
      endpoint
        .deliveriesOnly()
        .flatMap((d) => d.data.events.map((e) => e.target?.[0]?.alternateId));
    expect(logins(verified)).toEqual(["jane@example.com", "ana@example.com"]);
    expect(logins(filtered)).toEqual(["ana@example.com"]);
    expect(unverified.requests).toHaveLength(0);
    expect(logins(inactive)).toEqual([]);
    expect(logins(other)).toEqual([]);
  });

  it("an API call's events carry its caller: address, user agent, request id, path, token id", async () => {
    const org = await startTestOrg({ delivery: { batchWindowMs: 0 } });
    const endpoint = await receiver();
    await createVerifiedHook(org, endpoint.url, [
      "user.lifecycle.create",
      "user.lifecycle.suspend",
    ]);
    const res = await orgFetch(org, "/api/v1/users?activate=false", {
      method: "POST",
      headers: { "user-agent": "my-provisioning-script/1.0" },
      body: JSON.stringify({ profile: { login: "c@example.com", email: "c@example.com" } }),
    });
    const requestId = res.headers.get("x-okta-request-id");
    await endpoint.waitForRequests(2);
    const [event] = endpoint.deliveriesOnly()[0]?.data.events ?? [];
    expect(event?.client).toMatchObject({
      ipAddress: "127.0.0.1",
      userAgent: { rawUserAgent: "my-provisioning-script/1.0" },
      ipChain: [{ ip: "127.0.0.1", version: "V4" }],
    });
    expect(event?.transaction).toMatchObject({ type: "WEB", id: requestId });
    expect(event?.transaction?.detail).toEqual({
      requestApiTokenId: expect.stringMatching(/^00T/),
    });
    expect(event?.debugContext?.debugData).toMatchObject({
      requestId,
      requestUri: "/api/v1/users",
      url: "/api/v1/users?activate=false",
    });
    expect(event?.actor?.alternateId).toBe("admin@example.com");
  });

  it("logs the quota warning and the refusal in the System Log", async () => {
    const org = await startTestOrg({ delivery: { batchWindowMs: 0, dailyQuota: 2 } });
    const endpoint = await receiver();
    await createVerifiedHook(org, endpoint.url, ["user.lifecycle.create"]);
    for (const n of [1, 2, 3]) await createUser(org, `q${n}@example.com`);
    await org.flushDeliveries();
    expect(endpoint.deliveriesOnly()).toHaveLength(2);
    const logs = await orgFetch(
      org,
      `/api/v1/logs?filter=${encodeURIComponent('eventType eq "system.operation.rate_limit.warning"')}`,
    );
    const events = (await logs.json()) as { outcome: { result: string; reason: string } }[];
    expect(events.map((e) => e.outcome.result)).toEqual(["SUCCESS", "FAILURE"]);
    expect(events[1]?.outcome.reason).toMatch(/quota reached/);
  });
});
