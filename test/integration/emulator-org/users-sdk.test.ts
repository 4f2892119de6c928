/**
 * Okta's Node SDK drives the Users and Groups APIs; each action's events reach a real receiver
 * through a verified hook, with Okta's headers and shapes.
 */
import type okta from "@okta/okta-sdk-nodejs";
import { afterEach, describe, expect, it } from "vitest";
import { headerOf } from "../../helpers/emulator-delivery.js";
import { orgFetch, sdkClient, startTestOrg, stopOrgs } from "../../helpers/okta-emulator.js";
import { createVerifiedHook, HOOK_AUTH, startReceiver } from "../../helpers/okta-org-hooks.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopOrgs();
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function setup(types: string[]) {
  const org = await startTestOrg({ delivery: { batchWindowMs: 0 } });
  const receiver = await startReceiver();
  closers.push(() => receiver.close());
  const hookId = await createVerifiedHook(org, `${receiver.url}/hook`, types);
  return { org, receiver, hookId, client: sdkClient(org) };
}

const person = (login: string): okta.CreateUserRequest => ({
  profile: { firstName: "Jane", lastName: "Roe", email: login, login },
});

describe("Users API through @okta/okta-sdk-nodejs", () => {
  it("creates a user (STAGED, then activated) and delivers user.lifecycle.create with Okta's headers", async () => {
    const { org, receiver, hookId, client } = await setup([
      "user.lifecycle.create",
      "user.lifecycle.activate",
    ]);
    const staged = await client.userApi.createUser({
      body: person("jane.roe@example.com"),
      activate: false,
    });
    expect(staged.id).toMatch(/^00u[A-Za-z0-9]{17}$/);
    expect(staged.status).toBe("STAGED");
    expect(staged.profile?.login).toBe("jane.roe@example.com");
    expect(staged._links?.activate?.href).toBe(
      `${org.url}/api/v1/users/${staged.id}/lifecycle/activate`,
    );
    const [request] = await receiver.waitForRequests(2); // verification GET + the delivery
    const post = receiver.requests.find((r) => r.method === "POST");
    expect(request?.method).toBe("GET");
    expect(post).toBeDefined();
    if (post === undefined) return;
    expect(headerOf(post, "authorization")).toBe(HOOK_AUTH);
    expect(headerOf(post, "user-agent")).toBe(`Okta Hook Service v1.0.0 - ${hookId}`);
    expect(headerOf(post, "x-test")).toBe("yes");
    expect(headerOf(post, "content-type")).toBe("application/json");
    const [delivery] = receiver.deliveriesOnly();
    expect(delivery?.eventType).toBe("com.okta.event_hook");
    expect(delivery?.source).toBe(`${org.url}/api/v1/eventHooks/${hookId}`);
    const event = delivery?.data.events[0];
    expect(event?.eventType).toBe("user.lifecycle.create");
    expect(event?.target?.[0]).toMatchObject({
      id: staged.id,
      type: "User",
      alternateId: "jane.roe@example.com",
      displayName: "Jane Roe",
    });
    expect(event).toHaveProperty("client.ipChain");

    const activation = await client.userApi.activateUser({
      userId: staged.id ?? "",
      sendEmail: false,
    });
    expect(activation.activationToken).toEqual(expect.any(String));
    const active = await client.userApi.getUser({ userId: staged.id ?? "" });
    expect(active.status).toBe("PROVISIONED"); // no password: Okta provisions
    await receiver.waitForRequests(3);
    expect(receiver.deliveriesOnly()[1]?.data.events[0]?.eventType).toBe("user.lifecycle.activate");
  });

  it("runs the lifecycle with Okta's statuses and errors, and delivers each subscribed event", async () => {
    const types = [
      "user.lifecycle.deactivate",
      "user.lifecycle.reactivate",
      "user.lifecycle.suspend",
      "user.lifecycle.unsuspend",
      "user.lifecycle.delete.initiated",
      "user.account.update_profile",
    ];
    const { org, receiver, client } = await setup(types);
    const user = await client.userApi.createUser({
      body: {
        ...person("lars.berg@example.com"),
        credentials: { password: { value: "Passw0rd!x" } },
      },
      activate: true,
    });
    expect(user.status).toBe("ACTIVE");
    const userId = user.id ?? "";

    await expect(client.userApi.activateUser({ userId, sendEmail: false })).rejects.toMatchObject({
      status: 403,
      errorCode: "E0000016",
    });
    await expect(client.userApi.unsuspendUser({ userId })).rejects.toMatchObject({
      status: 400,
      errorCode: "E0000001",
    });
    await expect(client.userApi.reactivateUser({ userId })).rejects.toMatchObject({
      status: 403,
      errorCode: "E0000038",
    });
    await client.userApi.suspendUser({ userId });
    expect((await client.userApi.getUser({ userId })).status).toBe("SUSPENDED");
    await client.userApi.unsuspendUser({ userId });
    expect((await client.userApi.getUser({ userId })).status).toBe("ACTIVE");

    const updated = await client.userApi.updateUser({
      userId,
      user: { profile: { title: "Engineer" } } as okta.UpdateUserRequest,
    });
    expect(updated.profile?.title).toBe("Engineer");
    expect(updated.profile?.firstName).toBe("Jane");
    const replaced = await client.userApi.replaceUser({
      userId,
      user: { profile: { login: "lars.berg@example.com", email: "lars@example.com" } },
    });
    expect(replaced.profile?.firstName).toBeNull();
    expect(replaced.profile?.email).toBe("lars@example.com");

    await client.userApi.deactivateUser({ userId });
    expect((await client.userApi.getUser({ userId })).status).toBe("DEPROVISIONED");
    await expect(client.userApi.suspendUser({ userId })).rejects.toMatchObject({ status: 400 });
    await client.userApi.deleteUser({ userId });
    await expect(client.userApi.getUser({ userId })).rejects.toMatchObject({
      status: 404,
      errorCode: "E0000007",
    });

    await org.flushDeliveries();
    const delivered = receiver
      .deliveriesOnly()
      .flatMap((d) => d.data.events.map((e) => e.eventType));
    expect(delivered).toEqual([
      "user.lifecycle.suspend",
      "user.lifecycle.unsuspend",
      "user.account.update_profile",
      "user.account.update_profile",
      "user.lifecycle.deactivate",
      "user.lifecycle.delete.initiated",
    ]);
    const profileEvent = receiver.deliveriesOnly()[2]?.data.events[0];
    expect(profileEvent?.debugContext?.debugData?.changedAttributes).toBe("title");
  });

  it("DELETE on a user who is not DEPROVISIONED deactivates it first, as Okta does", async () => {
    const { client } = await setup(["user.lifecycle.deactivate"]);
    const user = await client.userApi.createUser({ body: person("kenji.sato@example.com") });
    const userId = user.id ?? "";
    await client.userApi.deleteUser({ userId });
    expect((await client.userApi.getUser({ userId })).status).toBe("DEPROVISIONED");
    await client.userApi.deleteUser({ userId });
    await expect(client.userApi.getUser({ userId })).rejects.toMatchObject({ status: 404 });
  });

  it("lists users, finds them by login, and filters by status", async () => {
    const { client } = await setup(["user.lifecycle.create"]);
    await client.userApi.createUser({ body: person("a.one@example.com"), activate: false });
    const b = await client.userApi.createUser({ body: person("b.two@example.com") });
    const all: okta.User[] = [];
    for await (const u of await client.userApi.listUsers({})) if (u) all.push(u);
    expect(all.map((u) => u.profile?.login)).toEqual(["a.one@example.com", "b.two@example.com"]);
    const staged: okta.User[] = [];
    for await (const u of await client.userApi.listUsers({ filter: 'status eq "STAGED"' }))
      if (u) staged.push(u);
    expect(staged.map((u) => u.profile?.login)).toEqual(["a.one@example.com"]);
    const byLogin = await client.userApi.getUser({ userId: "B.Two@example.com" });
    expect(byLogin.id).toBe(b.id);
  });
});

describe("Groups API through @okta/okta-sdk-nodejs", () => {
  it("creates a group, adds and removes a member, and delivers the membership events with both targets", async () => {
    const { receiver, client, org } = await setup([
      "group.user_membership.add",
      "group.user_membership.remove",
    ]);
    const user = await client.userApi.createUser({ body: person("ana.silva@example.com") });
    const group = await client.groupApi.createGroup({
      group: { profile: { name: "Sales", description: "The sales team" } },
    });
    expect(group.id).toMatch(/^00g[A-Za-z0-9]{17}$/);
    expect(group.type).toBe("OKTA_GROUP");
    await client.groupApi.assignUserToGroup({ groupId: group.id ?? "", userId: user.id ?? "" });
    const members: okta.User[] = [];
    for await (const u of await client.groupApi.listGroupUsers({ groupId: group.id ?? "" }))
      if (u) members.push(u);
    expect(members.map((m) => m.id)).toEqual([user.id]);
    const userGroups: okta.Group[] = [];
    for await (const g of await client.userApi.listUserGroups({ userId: user.id ?? "" }))
      if (g) userGroups.push(g);
    expect(userGroups.map((g) => g.profile?.name)).toEqual(["Everyone", "Sales"]);
    await client.groupApi.unassignUserFromGroup({ groupId: group.id ?? "", userId: user.id ?? "" });

    const groups: okta.Group[] = [];
    for await (const g of await client.groupApi.listGroups({})) if (g) groups.push(g);
    expect(groups.map((g) => g.profile?.name)).toEqual(["Everyone", "Sales"]);
    await client.groupApi.deleteGroup({ groupId: group.id ?? "" });
    await expect(client.groupApi.getGroup({ groupId: group.id ?? "" })).rejects.toMatchObject({
      status: 404,
    });

    await org.flushDeliveries();
    const events = receiver.deliveriesOnly().flatMap((d) => d.data.events);
    // The create's membership of Everyone, then Sales add and remove.
    expect(events.map((e) => e.eventType)).toEqual([
      "group.user_membership.add",
      "group.user_membership.add",
      "group.user_membership.remove",
    ]);
    expect(events[1]?.target?.map((t) => [t.type, t.displayName])).toEqual([
      ["User", "Jane Roe"],
      ["UserGroup", "Sales"],
    ]);
  });
});

describe("sign-in", () => {
  it("POST /api/v1/hooktap/sign-in starts a session (user.session.start) or logs a failure", async () => {
    const { org, receiver, client } = await setup(["user.session.start"]);
    await client.userApi.createUser({
      body: {
        ...person("chen.wei@example.com"),
        credentials: { password: { value: "Passw0rd!x" } },
      },
    });
    const ok = await orgFetch(org, "/api/v1/hooktap/sign-in", {
      method: "POST",
      body: JSON.stringify({ login: "chen.wei@example.com", password: "Passw0rd!x" }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ result: "SUCCESS" });
    const bad = await orgFetch(org, "/api/v1/hooktap/sign-in", {
      method: "POST",
      body: JSON.stringify({ login: "chen.wei@example.com", password: "wrong-password" }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ errorCode: "E0000004" });
    await org.flushDeliveries();
    const events = receiver.deliveriesOnly().flatMap((d) => d.data.events);
    expect(events.map((e) => [e.eventType, e.outcome?.result])).toEqual([
      ["user.session.start", "SUCCESS"],
      ["user.session.start", "FAILURE"],
    ]);
    expect(events[0]?.actor?.alternateId).toBe("chen.wei@example.com");
  });
});
