import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../../src/log/index.js";
import {
  basicAuthHeader,
  GUIDE_BASIC_AUTH,
  NO_USER_LINE,
  type SampleServer,
  type SampleServerOptions,
  sampleDelivery,
  startSampleServer,
} from "../../../src/sample/index.js";
import { REPO_ROOT } from "../../helpers/process.js";

const AUTH = { authorization: GUIDE_BASIC_AUTH.value };
const JSON_HEADERS = { ...AUTH, "content-type": "application/json" };

let server: SampleServer | undefined;
let printed: string[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  printed = [];
});

async function start(options: Partial<SampleServerOptions> = {}): Promise<SampleServer> {
  server = await startSampleServer({
    port: 0,
    auth: GUIDE_BASIC_AUTH,
    print: (line) => printed.push(line),
    ...options,
  });
  return server;
}

/** POSTs `body` and waits until the handlers it started have printed. */
async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = JSON_HEADERS,
): Promise<Response> {
  if (server === undefined) throw new Error("server not started");
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body: text });
  await response.arrayBuffer();
  await server.idle();
  return response;
}

function verify(path: string, headers: Record<string, string> = AUTH): Promise<Response> {
  if (server === undefined) throw new Error("server not started");
  return fetch(`${server.url}${path}`, {
    headers: { ...headers, "x-okta-verification-challenge": "chal-123" },
  });
}

describe("sample server: /userCreated (Okta 'Event hooks with ngrok' guide)", () => {
  it("answers the verification GET with the challenge", async () => {
    await start();
    const response = await verify("/userCreated");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ verification: "chal-123" });
  });

  it("prints the guide's line for a user.lifecycle.create delivery", async () => {
    await start();
    const response = await post("/userCreated", sampleDelivery({ users: ["ada@example.com"] }));
    expect(response.status).toBe(200);
    expect(printed).toEqual(["The user ada@example.com has been added to the Okta org!"]);
  });

  it("prints one line per event of a batch, in order, not only events[0]", async () => {
    await start();
    const users = ["a@example.com", "b@example.com", "c@example.com", "d@example.com"];
    await post("/userCreated", sampleDelivery({ users }));
    expect(printed).toEqual(users.map((u) => `The user ${u} has been added to the Okta org!`));
  });

  it("ignores other event types of the batch", async () => {
    await start();
    const delivery = sampleDelivery({ users: ["a@example.com", "b@example.com"] });
    const second = delivery.data.events[1];
    if (second === undefined) throw new Error("fixture");
    second.eventType = "user.session.start";
    await post("/userCreated", delivery);
    expect(printed).toEqual(["The user a@example.com has been added to the Okta org!"]);
  });

  it("finds the User target by type, not by position", async () => {
    await start();
    const delivery = sampleDelivery({ users: ["ada@example.com"] });
    const event = delivery.data.events[0];
    if (event?.target == null) throw new Error("fixture");
    event.target.unshift({
      id: "0oaz9fj21WKqTeaqs1d6",
      type: "AppInstance",
      alternateId: "Okta Admin Console",
      displayName: "Okta Admin Console",
      detailEntry: null,
    });
    await post("/userCreated", delivery);
    expect(printed).toEqual(["The user ada@example.com has been added to the Okta org!"]);
  });

  it("prints the no-user line for a missing, null or empty target, or no alternateId, and keeps serving", async () => {
    await start();
    const delivery = sampleDelivery({ users: ["1@x.io", "2@x.io", "3@x.io", "4@x.io", "5@x.io"] });
    const [noKey, nullTarget, empty, noId] = delivery.data.events as unknown as Record<
      string,
      unknown
    >[];
    if (
      noKey === undefined ||
      nullTarget === undefined ||
      empty === undefined ||
      noId === undefined
    ) {
      throw new Error("fixture");
    }
    delete noKey.target;
    nullTarget.target = null;
    empty.target = [];
    noId.target = [{ id: "00u1", type: "User", displayName: "No Login" }];
    const response = await post("/userCreated", delivery);
    expect(response.status).toBe(200);
    expect(printed).toEqual([
      NO_USER_LINE,
      NO_USER_LINE,
      NO_USER_LINE,
      NO_USER_LINE,
      "The user 5@x.io has been added to the Okta org!",
    ]);
    printed = [];
    await post("/userCreated", sampleDelivery({ users: ["after@x.io"] }));
    expect(printed).toEqual(["The user after@x.io has been added to the Okta org!"]);
  });

  it("prints the user of a real Okta capture (CruGlobal/okta-hooks, 2019)", async () => {
    await start();
    const file = join(
      REPO_ROOT,
      "test/fixtures/okta/okta-deliveries/alb-event-user-lifecycle-create.json",
    );
    const capture = JSON.parse(readFileSync(file, "utf8")) as { body: string };
    await post("/userCreated", capture.body);
    expect(printed).toEqual(["The user ironman@stark.com has been added to the Okta org!"]);
  });

  it("matches the path like Express: case-insensitive, optional trailing slash, query ignored", async () => {
    await start();
    await post("/usercreated/?x=1", sampleDelivery({ users: ["q@x.io"] }));
    expect(printed).toEqual(["The user q@x.io has been added to the Okta org!"]);
  });
});

describe("sample server: /userDeactivated (Okta 'Event hook implementation' guide)", () => {
  it("answers the verification GET", async () => {
    await start();
    const response = await verify("/userDeactivated");
    expect(await response.json()).toEqual({ verification: "chal-123" });
  });

  it("prints the guide's line for every user.lifecycle.deactivate event, and not for creates", async () => {
    await start();
    const users = ["a@example.com", "b@example.com"];
    await post(
      "/userDeactivated",
      sampleDelivery({ eventType: "user.lifecycle.deactivate", users }),
    );
    await post("/userDeactivated", sampleDelivery({ users: ["created@example.com"] }));
    expect(printed).toEqual(
      users.map((u) => `The user ${u} has been deactivated on the Okta org!`),
    );
  });
});

describe("sample server: any other path (ngrok's Okta sample)", () => {
  it("answers the verification GET on any path", async () => {
    await start();
    const response = await verify("/okta/events/anything");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ verification: "chal-123" });
  });

  it("prints the headers and the body of a delivery once, then answers 200", async () => {
    await start();
    const delivery = sampleDelivery({ users: ["x@example.com", "y@example.com"] });
    const response = await post("/hooks/okta", delivery, { ...JSON_HEADERS, "x-custom": "v1" });
    expect(response.status).toBe(200);
    expect(printed[0]).toBe("-------------- New Request POST /hooks/okta --------------");
    expect(printed.filter((l) => l.startsWith("-------------- New Request"))).toHaveLength(1);
    const text = printed.join("\n");
    expect(text).toContain('"x-custom": "v1"');
    expect(text).toContain(`"authorization": "${GUIDE_BASIC_AUTH.value}"`);
    const body = text.slice(text.indexOf("Body: ") + "Body: ".length);
    expect(JSON.parse(body)).toEqual(delivery);
  });

  it("does not print user lines on other paths", async () => {
    await start();
    await post("/elsewhere", sampleDelivery());
    expect(printed.some((l) => l.includes("has been added"))).toBe(false);
  });
});

describe("sample server: auth", () => {
  for (const path of ["/userCreated", "/userDeactivated", "/any/path"]) {
    it(`rejects a GET and a POST to ${path} without the auth header, printing nothing`, async () => {
      const logger = createMemoryLogger();
      await start({ logger });
      expect((await verify(path, {})).status).toBe(401);
      const wrong = { authorization: "Basic d3Jvbmc6d3Jvbmc=", "content-type": "application/json" };
      expect((await post(path, sampleDelivery(), wrong)).status).toBe(401);
      expect(printed).toEqual([]);
      expect(logger.records.filter((r) => r.level === "warn")).toHaveLength(2);
    });
  }

  it("accepts other credentials when given", async () => {
    const auth = basicAuthHeader("okta", "s3cret:with:colons");
    await start({ auth });
    expect((await verify("/userCreated")).status).toBe(401);
    const response = await verify("/userCreated", { authorization: auth.value });
    expect(response.status).toBe(200);
  });

  it("accepts everything with auth: null", async () => {
    await start({ auth: null });
    expect((await verify("/userCreated", {})).status).toBe(200);
    await post("/userCreated", sampleDelivery(), { "content-type": "application/json" });
    expect(printed).toEqual(["The user john.doe@example.com has been added to the Okta org!"]);
  });
});

describe("sample server: bad input and lifecycle", () => {
  it("answers 4xx to bad requests and keeps serving", async () => {
    await start();
    expect((await post("/userCreated", "{not json")).status).toBe(400);
    expect((await post("/userCreated", { hello: "world" })).status).toBe(400);
    expect((await post("/userCreated", "\u0000\u00ff")).status).toBe(400);
    const put = await fetch(`${server?.url}/userCreated`, { method: "PUT", headers: AUTH });
    expect(put.status).toBe(405);
    expect((await fetch(`${server?.url}/userCreated`, { headers: AUTH })).status).toBe(400);
    expect(printed).toEqual([]);
    await post("/userCreated", sampleDelivery({ users: ["ok@x.io"] }));
    expect(printed).toEqual(["The user ok@x.io has been added to the Okta org!"]);
  });

  it("prints a re-sent delivery again by default, and not with dedupe", async () => {
    await start();
    const body = JSON.stringify(sampleDelivery());
    await post("/userCreated", body);
    await post("/userCreated", body);
    expect(printed).toHaveLength(2);
    await server?.close();
    printed = [];
    await start({ dedupe: true });
    await post("/userCreated", body);
    await post("/userCreated", body);
    expect(printed).toHaveLength(1);
  });

  it("sends printed lines to logger.info when no print function is given", async () => {
    const logger = createMemoryLogger();
    server = await startSampleServer({ port: 0, auth: null, logger });
    await post("/userCreated", sampleDelivery({ users: ["log@x.io"] }), {});
    expect(logger.records.map((r) => r.message)).toContain(
      "The user log@x.io has been added to the Okta org!",
    );
  });

  it("reports its URL and port, listens on 127.0.0.1 by default, and closes idempotently", async () => {
    const running = await start();
    expect(running.host).toBe("127.0.0.1");
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    expect(running.port).toBeGreaterThan(0);
    await Promise.all([running.close(), running.close()]);
    await expect(fetch(`${running.url}/userCreated`)).rejects.toThrow();
  });

  it("rejects with EADDRINUSE when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = blocker.address() as { port: number };
      await expect(startSampleServer({ port, auth: null })).rejects.toMatchObject({
        code: "EADDRINUSE",
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("rejects a port outside 0-65535", async () => {
    await expect(startSampleServer({ port: 70_000, auth: null })).rejects.toThrow(RangeError);
  });
});
