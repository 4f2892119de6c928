/**
 * Bad input to the Users and Groups APIs: Okta's error objects, and nothing changes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { orgFetch, startTestOrg, stopOrgs } from "../../helpers/okta-emulator.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions
type Json = Record<string, any>;

afterEach(stopOrgs);

const jane = {
  profile: {
    firstName: "Jane",
    lastName: "Roe",
    login: "jane@example.com",
    email: "jane@example.com",
  },
};

async function call(
  org: Awaited<ReturnType<typeof startTestOrg>>,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await orgFetch(org, path, {
    method,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === "" ? null : (JSON.parse(text) as Json),
  };
}

describe("Users API bad input", () => {
  it.each([
    ["malformed JSON", "{", 400, "E0000003"],
    ["an array", "[]", 400, "E0000003"],
    ["no profile", {}, 400, "E0000001"],
    ["no login", { profile: { email: "a@example.com" } }, 400, "E0000001"],
    [
      "a login that is not an email",
      { profile: { login: "jane", email: "jane@example.com" } },
      400,
      "E0000001",
    ],
    [
      "an undefined profile property",
      { profile: { ...jane.profile, shoeSize: "42" } },
      400,
      "E0000001",
    ],
    ["a non-string attribute", { profile: { ...jane.profile, title: 5 } }, 400, "E0000001"],
    [
      "a short password",
      { ...jane, credentials: { password: { value: "short" } } },
      400,
      "E0000001",
    ],
  ])("create with %s: an Okta error, no user, no event", async (_name, body, status, code) => {
    const org = await startTestOrg();
    const result = await call(org, "POST", "/api/v1/users", body);
    expect(result.status).toBe(status);
    expect(result.body?.errorCode).toBe(code);
    expect(org.store.directory.listUsers()).toHaveLength(0);
    expect(org.store.logs.count()).toBe(0);
  });

  it("refuses a second user with the same login (case-insensitive) and a bad activate flag", async () => {
    const org = await startTestOrg();
    expect((await call(org, "POST", "/api/v1/users", jane)).status).toBe(200);
    const events = org.store.logs.count();
    const again = await call(org, "POST", "/api/v1/users", {
      profile: { ...jane.profile, login: "JANE@example.com" },
    });
    expect(again.status).toBe(400);
    expect(again.body?.errorCauses[0].errorSummary).toMatch(
      /^login: An object with this field already exists/,
    );
    const flag = await call(org, "POST", "/api/v1/users?activate=yes", {
      profile: { login: "x@example.com", email: "x@example.com" },
    });
    expect(flag.status).toBe(400);
    expect(org.store.directory.listUsers()).toHaveLength(1);
    expect(org.store.logs.count()).toBe(events);
  });

  it("answers 404 E0000007 for unknown users on every route", async () => {
    const org = await startTestOrg();
    for (const [method, path] of [
      ["GET", "/api/v1/users/00uMissing"],
      ["POST", "/api/v1/users/00uMissing"],
      ["PUT", "/api/v1/users/00uMissing"],
      ["DELETE", "/api/v1/users/00uMissing"],
      ["POST", "/api/v1/users/00uMissing/lifecycle/suspend"],
      ["GET", "/api/v1/users/00uMissing/groups"],
    ] as const) {
      const result = await call(
        org,
        method,
        path,
        method === "POST" || method === "PUT" ? jane : undefined,
      );
      expect(result.status, `${method} ${path}`).toBe(404);
      expect(result.body?.errorSummary).toBe("Not found: Resource not found: 00uMissing (User)");
    }
  });

  it("a PUT without login is refused and leaves the profile as it was", async () => {
    const org = await startTestOrg();
    const created = await call(org, "POST", "/api/v1/users", jane);
    const id = created.body?.id as string;
    const put = await call(org, "PUT", `/api/v1/users/${id}`, { profile: { firstName: "X" } });
    expect(put.status).toBe(400);
    const after = await call(org, "GET", `/api/v1/users/${id}`);
    expect(after.body?.profile).toEqual(created.body?.profile);
  });

  it("refuses a filter it does not understand, and list parameters it does not implement, with E0000031", async () => {
    const org = await startTestOrg();
    for (const path of [
      "/api/v1/users?search=profile.login%20sw%20%22a%22",
      "/api/v1/groups?search=x",
    ]) {
      const unsupported = await call(org, "GET", path);
      expect(unsupported.status, path).toBe(400);
      expect(unsupported.body?.errorCode).toBe("E0000031");
    }
    const result = await call(org, "GET", "/api/v1/users?filter=lastUpdated%20gt%20%222020%22");
    expect(result.status).toBe(400);
    expect(result.body?.errorCode).toBe("E0000031");
  });
});

describe("Groups API bad input", () => {
  it("refuses a duplicate or empty name, unknown ids, and changes to Everyone", async () => {
    const org = await startTestOrg();
    const user = await call(org, "POST", "/api/v1/users", jane);
    const userId = user.body?.id as string;
    const sales = await call(org, "POST", "/api/v1/groups", { profile: { name: "Sales" } });
    expect(sales.status).toBe(200);
    expect((await call(org, "POST", "/api/v1/groups", { profile: { name: "sales" } })).status).toBe(
      400,
    );
    expect((await call(org, "POST", "/api/v1/groups", { profile: { name: " " } })).status).toBe(
      400,
    );
    expect(
      (await call(org, "POST", "/api/v1/groups", { profile: { name: "X", color: "red" } })).status,
    ).toBe(400);
    expect((await call(org, "POST", "/api/v1/groups", "nope")).body?.errorCode).toBe("E0000003");
    const missing = await call(org, "PUT", `/api/v1/groups/00gMissing/users/${userId}`, "");
    expect(missing.status).toBe(404);
    const noUser = await call(org, "PUT", `/api/v1/groups/${sales.body?.id}/users/00uMissing`, "");
    expect(noUser.status).toBe(404);
    const everyone = org.store.directory.findGroupByName("Everyone");
    const removeEveryone = await call(
      org,
      "DELETE",
      `/api/v1/groups/${everyone?.id}/users/${userId}`,
    );
    expect(removeEveryone.status).toBe(403);
    expect((await call(org, "DELETE", `/api/v1/groups/${everyone?.id}`)).status).toBe(403);
    expect(org.store.directory.groupsOf(userId).map((g) => g.profile.name)).toEqual(["Everyone"]);
    expect(org.store.directory.listGroups()).toHaveLength(2);
  });
});

describe("sign-in bad input", () => {
  it.each([
    [{}, 400],
    [{ login: "jane@example.com", mfa: "yes" }, 400],
    [{ login: "jane@example.com", password: 5 }, 400],
    [{ login: "jane@example.com", extra: 1 }, 400],
    [{ login: "nobody@example.com" }, 401],
  ])("%j → %i, no event", async (body, status) => {
    const org = await startTestOrg();
    await call(org, "POST", "/api/v1/users", jane);
    const events = org.store.logs.count();
    const result = await call(org, "POST", "/api/v1/hooktap/sign-in", body);
    expect(result.status).toBe(status);
    expect(org.store.logs.count()).toBe(events);
  });
});
