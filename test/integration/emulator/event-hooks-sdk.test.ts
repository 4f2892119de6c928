/**
 * Okta's Node SDK drives every Event Hooks Management operation against the emulator.
 */
import type okta from "@okta/okta-sdk-nodejs";
import { afterEach, describe, expect, it } from "vitest";
import { hookBody, sdkClient, startTestOrg, stopOrgs } from "../../helpers/okta-emulator.js";

afterEach(stopOrgs);

function hookOf(body: Record<string, unknown>): okta.EventHook {
  return body as unknown as okta.EventHook;
}

describe("Event Hooks Management API through @okta/okta-sdk-nodejs", () => {
  it("creates, reads, lists, replaces, deactivates, activates and deletes a hook", async () => {
    const org = await startTestOrg();
    const client = sdkClient(org);

    const created = await client.eventHookApi.createEventHook({ eventHook: hookOf(hookBody()) });
    expect(created.id).toMatch(/^who[A-Za-z0-9]{17}$/);
    expect(created.status).toBe("ACTIVE");
    expect(created.verificationStatus).toBe("UNVERIFIED");
    expect(created.description).toBeNull();
    expect(created.channel.config.authScheme).toEqual({ type: "HEADER", key: "Authorization" });
    expect(created.channel.config.headers).toEqual([
      { key: "X-Other-Header", value: "some-value" },
    ]);
    expect(created.channel.config.method).toBe("POST");
    expect(created.created).toBeInstanceOf(Date);
    expect(created.created?.getUTCMilliseconds()).toBe(0);
    expect(created._links?.self?.href).toBe(`${org.url}/api/v1/eventHooks/${created.id}`);
    expect(created._links?.verify?.hints?.allow).toEqual(["POST"]);
    expect(created._links?.deactivate?.href).toBe(
      `${org.url}/api/v1/eventHooks/${created.id}/lifecycle/deactivate`,
    );
    const id = created.id ?? "";

    const fetched = await client.eventHookApi.getEventHook({ eventHookId: id });
    expect(fetched.name).toBe("test hook");

    const listed: okta.EventHook[] = [];
    for await (const hook of await client.eventHookApi.listEventHooks())
      if (hook) listed.push(hook);
    expect(listed.map((h) => h.id)).toEqual([id]);

    const replaced = await client.eventHookApi.replaceEventHook({
      eventHookId: id,
      eventHook: hookOf({
        ...hookBody("https://example.com/hooks", "renamed"),
        description: "now with a description",
      }),
    });
    expect(replaced.name).toBe("renamed");
    expect(replaced.description).toBe("now with a description");

    const inactive = await client.eventHookApi.deactivateEventHook({ eventHookId: id });
    expect(inactive.status).toBe("INACTIVE");
    const active = await client.eventHookApi.activateEventHook({ eventHookId: id });
    expect(active.status).toBe("ACTIVE");

    await expect(client.eventHookApi.deleteEventHook({ eventHookId: id })).rejects.toMatchObject({
      status: 400,
      errorCode: "E0000001",
    });
    await client.eventHookApi.deactivateEventHook({ eventHookId: id });
    await client.eventHookApi.deleteEventHook({ eventHookId: id });
    await expect(client.eventHookApi.getEventHook({ eventHookId: id })).rejects.toMatchObject({
      status: 404,
      errorCode: "E0000007",
      errorSummary: `Not found: Resource not found: ${id} (EventHook)`,
    });
  });

  it("a PUT that changes the channel resets verification; the write-only secret is kept when omitted", async () => {
    const org = await startTestOrg();
    const client = sdkClient(org);
    const created = await client.eventHookApi.createEventHook({ eventHook: hookOf(hookBody()) });
    const id = created.id ?? "";
    // Pretend a verification happened (the verification route is tested on its own).
    const stored = org.store.eventHooks.get(id);
    if (stored === undefined) throw new Error("hook not stored");
    org.store.eventHooks.replace({ ...stored, verificationStatus: "VERIFIED" });

    const body = hookBody();
    (body.channel as { config: { authScheme: Record<string, unknown> } }).config.authScheme = {
      type: "HEADER",
      key: "Authorization",
    };
    const same = await client.eventHookApi.replaceEventHook({
      eventHookId: id,
      eventHook: hookOf(body),
    });
    expect(same.verificationStatus).toBe("VERIFIED");
    expect(org.store.eventHooks.get(id)?.channel.config.authScheme?.value).toBe("my-shared-secret");

    const moved = await client.eventHookApi.replaceEventHook({
      eventHookId: id,
      eventHook: hookOf(hookBody("https://example.com/elsewhere")),
    });
    expect(moved.verificationStatus).toBe("UNVERIFIED");
    expect(moved.channel.config.uri).toBe("https://example.com/elsewhere");
  });
});
