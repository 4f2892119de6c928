/**
 * The org's users, groups, delivery knobs and delivery log survive a restart on the same file;
 * start-time knobs override the stored ones for that run only.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { orgFetch, startTestOrg, stopOrgs } from "../../helpers/okta-emulator.js";
import { createVerifiedHook, startReceiver } from "../../helpers/okta-org-hooks.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hooktap-org-state-"));
});
afterEach(async () => {
  await stopOrgs();
  await rm(dir, { recursive: true, force: true });
});

describe("the org's state", () => {
  it("keeps users, groups, memberships, knobs and the delivery log across a restart", async () => {
    const dataPath = join(dir, "okta.db");
    const receiver = await startReceiver();
    try {
      const first = await startTestOrg({ dataPath, delivery: { batchWindowMs: 0 } });
      const hookId = await createVerifiedHook(first, receiver.url, ["user.lifecycle.create"]);
      const settings = await orgFetch(first, "/api/v1/hooktap/settings", {
        method: "POST",
        body: JSON.stringify({ delivery: { maxBatchEvents: 7 } }),
      });
      expect(settings.status).toBe(200);
      const created = await orgFetch(first, "/api/v1/users?activate=false", {
        method: "POST",
        body: JSON.stringify({ profile: { login: "kept@example.com", email: "kept@example.com" } }),
      });
      const { id } = (await created.json()) as { id: string };
      const group = await orgFetch(first, "/api/v1/groups", {
        method: "POST",
        body: JSON.stringify({ profile: { name: "Kept" } }),
      });
      const { id: groupId } = (await group.json()) as { id: string };
      await orgFetch(first, `/api/v1/groups/${groupId}/users/${id}`, { method: "PUT", body: "" });
      await receiver.waitForRequests(2);
      await first.flushDeliveries();
      await first.close();

      const second = await startTestOrg({ dataPath, delivery: { batchWindowMs: 5 } });
      const user = (await (await orgFetch(second, `/api/v1/users/${id}`)).json()) as {
        profile: { login: string };
        status: string;
      };
      expect(user).toMatchObject({ status: "STAGED", profile: { login: "kept@example.com" } });
      const groups = (await (await orgFetch(second, `/api/v1/users/${id}/groups`)).json()) as {
        profile: { name: string };
      }[];
      expect(groups.map((g) => g.profile.name)).toEqual(["Everyone", "Kept"]);
      const knobs = (await (await orgFetch(second, "/api/v1/hooktap/settings")).json()) as {
        delivery: unknown;
      };
      // The stored knobs (saved with the first run's flag in force), this run's flag on top.
      expect(knobs.delivery).toEqual({ batchWindowMs: 5, maxBatchEvents: 7 });
      const log = (await (
        await orgFetch(second, `/api/v1/hooktap/eventHooks/${hookId}/deliveries`)
      ).json()) as { eventTypes: string[] }[];
      expect(log.map((entry) => entry.eventTypes)).toEqual([["user.lifecycle.create"]]);
    } finally {
      await receiver.close();
    }
  });
});
