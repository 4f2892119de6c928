/**
 * Every bad input to the Event Hooks Management API gets Okta's error object, with the right
 * status and code, and changes nothing: no hook, no System Log event.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { OktaEmulator } from "../../../src/emulator/index.js";
import { listEventTypes } from "../../../src/okta/index.js";
import { hookBody, orgFetch, startTestOrg, stopOrgs } from "../../helpers/okta-emulator.js";

afterEach(stopOrgs);

interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

/** Everything a request could have changed. */
function snapshot(org: OktaEmulator): string {
  return JSON.stringify({ hooks: org.store.eventHooks.list(), events: org.store.logs.count() });
}

async function expectOktaError(
  res: Response,
  status: number,
  errorCode: string,
): Promise<OktaErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/json");
  expect(res.headers.get("x-okta-request-id")).toMatch(/^[A-Za-z0-9@-]{27}$/);
  expect(res.headers.get("x-rate-limit-limit")).toMatch(/^\d+$/);
  const body = JSON.parse(text) as OktaErrorBody;
  expect(Object.keys(body)).toEqual([
    "errorCode",
    "errorSummary",
    "errorLink",
    "errorId",
    "errorCauses",
  ]);
  expect(body.errorCode).toBe(errorCode);
  expect(body.errorLink).toBe(errorCode);
  expect(body.errorId).toMatch(/^oae[A-Za-z0-9]{22}$/);
  return body;
}

function withChannel(patch: Record<string, unknown>): Record<string, unknown> {
  const body = hookBody();
  const channel = body.channel as { config: Record<string, unknown> };
  Object.assign(channel.config, patch);
  return body;
}

function withItems(items: unknown, filter?: unknown): Record<string, unknown> {
  return {
    ...hookBody(),
    events: { type: "EVENT_TYPE", items, ...(filter === undefined ? {} : { filter }) },
  };
}

const INVALID_BODIES: [string, unknown, RegExp][] = [
  ["unknown top-level field", { ...hookBody(), colour: "blue" }, /^colour: unknown property/],
  [
    "unknown nested field",
    withChannel({ retries: 3 }),
    /^channel\.config\.retries: unknown property/,
  ],
  ["no name", { ...hookBody(), name: "" }, /^name: The field cannot be left blank$/],
  ["a name too long", { ...hookBody(), name: "x".repeat(256) }, /^name: must be at most 255/],
  [
    "a URI that is not a URL",
    withChannel({ uri: "not a url" }),
    /^channel\.config\.uri: must not contain white space$/,
  ],
  [
    "a URI without scheme",
    withChannel({ uri: "example.com/hooks" }),
    /^channel\.config\.uri: 'example\.com\/hooks' is not a valid URL$/,
  ],
  [
    "an http:// URI on the internet",
    withChannel({ uri: "http://example.com/hooks" }),
    /^channel\.config\.uri: must use https:\/\//,
  ],
  [
    "an ftp:// URI",
    withChannel({ uri: "ftp://127.0.0.1/hooks" }),
    /^channel\.config\.uri: must use https:\/\/ \(got ftp:\/\/\)$/,
  ],
  [
    "credentials in the URI",
    withChannel({ uri: "https://u:p@example.com/" }),
    /must not carry credentials/,
  ],
  [
    "a URI over 1024 characters",
    withChannel({ uri: `https://example.com/${"a".repeat(1010)}` }),
    /at most 1024 characters/,
  ],
  [
    "an ineligible event type",
    withItems(["user.lifecycle.delete.completed"]),
    /^events\.items\[0\]: 'user\.lifecycle\.delete\.completed' is not an event type event hooks can subscribe to/,
  ],
  [
    "an unknown event type",
    withItems(["user.lifecycle.create", "no.such.type"]),
    /^events\.items\[1\]: 'no\.such\.type'/,
  ],
  ["no event types", withItems([]), /^events\.items: must name at least one event type$/],
  [
    "items that are not an array",
    withItems("user.lifecycle.create"),
    /^events\.items: must be an array/,
  ],
  [
    "more than 300 event types",
    withItems(
      listEventTypes()
        .slice(0, 301)
        .map((t) => t.id),
    ),
    /^events\.items: must name at most 300 event types, got 301$/,
  ],
  [
    "a filter that does not parse",
    withItems(["group.user_membership.add"], {
      type: "EXPRESSION_LANGUAGE",
      eventFilterMap: [
        {
          event: "group.user_membership.add",
          condition: {
            expression: "event.target.?[type eqq 'UserGroup'].size() > 0",
            version: null,
          },
        },
      ],
    }),
    /^events\.filter\.eventFilterMap\[0\]\.condition\.expression: invalid filter expression 'event\.target\.\?\[type eqq 'UserGroup'\]\.size\(\) > 0': .*position 20/,
  ],
  [
    "a filter for a type the hook does not subscribe to",
    withItems(["user.lifecycle.create"], {
      eventFilterMap: [
        { event: "user.session.start", condition: { expression: "event.eventType eq 'x'" } },
      ],
    }),
    /^events\.filter\.eventFilterMap\[0\]\.event: 'user\.session\.start' is not one of events\.items$/,
  ],
  [
    "a wrong channel type",
    { ...hookBody(), channel: { ...(hookBody().channel as object), type: "SMTP" } },
    /^channel\.type: must be 'HTTP'$/,
  ],
  [
    "a wrong channel version",
    { ...hookBody(), channel: { ...(hookBody().channel as object), version: "2.0.0" } },
    /^channel\.version: must be '1\.0\.0'$/,
  ],
  [
    "no channel",
    { ...hookBody(), channel: undefined },
    /^channel: The field cannot be left blank$/,
  ],
  [
    "a reserved custom header",
    withChannel({ headers: [{ key: "Content-Type", value: "text/plain" }] }),
    /^channel\.config\.headers\[0\]\.key: 'Content-Type' is reserved/,
  ],
  [
    "a custom header with a line break",
    withChannel({ headers: [{ key: "X-A", value: "a\r\nInjected: 1" }] }),
    /must not contain control characters/,
  ],
  [
    "a custom header with a control character Node would not send",
    withChannel({ headers: [{ key: "X-A", value: "a\u0001b" }] }),
    /^channel\.config\.headers\[0\]\.value: must not contain control characters/,
  ],
  [
    "an auth scheme without secret",
    withChannel({ authScheme: { type: "HEADER", key: "Authorization" } }),
    /^channel\.config\.authScheme\.value: The field cannot be left blank$/,
  ],
  [
    "an auth scheme of another type",
    withChannel({ authScheme: { type: "OAUTH", key: "Authorization", value: "x" } }),
    /^channel\.config\.authScheme\.type: must be 'HEADER'$/,
  ],
  ["a bad status", { ...hookBody(), status: "PAUSED" }, /^status: must be 'ACTIVE' or 'INACTIVE'$/],
];

describe("bad input to the Event Hooks Management API", () => {
  it.each(INVALID_BODIES)(
    "create with %s: 400 E0000001 naming it, nothing created",
    async (_what, body, cause) => {
      const org = await startTestOrg();
      const before = snapshot(org);
      const res = await orgFetch(org, "/api/v1/eventHooks", {
        method: "POST",
        body: JSON.stringify(body),
      });
      const error = await expectOktaError(res, 400, "E0000001");
      expect(error.errorSummary).toMatch(/^Api validation failed: /);
      expect(error.errorCauses.map((c) => c.errorSummary)).toContainEqual(
        expect.stringMatching(cause),
      );
      expect(snapshot(org)).toBe(before);
    },
  );

  it("a replace with a bad body changes nothing", async () => {
    const org = await startTestOrg();
    const created = await orgFetch(org, "/api/v1/eventHooks", {
      method: "POST",
      body: JSON.stringify(hookBody()),
    });
    const { id } = (await created.json()) as { id: string };
    const before = snapshot(org);
    const res = await orgFetch(org, `/api/v1/eventHooks/${id}`, {
      method: "PUT",
      body: JSON.stringify(withChannel({ uri: "http://example.com/x" })),
    });
    await expectOktaError(res, 400, "E0000001");
    expect(snapshot(org)).toBe(before);
  });

  it.each([
    ["not JSON", "{name: 'x'"],
    ["truncated JSON", '{"name":"x",'],
    ["a JSON array", "[]"],
    ["a JSON string", '"hook"'],
    ["an empty body", ""],
  ])("create with %s: 400 E0000003", async (_what, text) => {
    const org = await startTestOrg();
    const before = snapshot(org);
    const res = await orgFetch(org, "/api/v1/eventHooks", { method: "POST", body: text });
    const error = await expectOktaError(res, 400, "E0000003");
    expect(error.errorSummary).toBe("The request body was not well-formed.");
    expect(snapshot(org)).toBe(before);
  });

  it("a body over 1 MiB: 413, nothing created", async () => {
    const org = await startTestOrg();
    const res = await orgFetch(org, "/api/v1/eventHooks", {
      method: "POST",
      body: JSON.stringify({ ...hookBody(), description: "x".repeat(1024 * 1024) }),
    });
    await expectOktaError(res, 413, "E0000003");
    expect(org.store.eventHooks.count()).toBe(0);
  });

  it.each([
    ["GET", ""],
    ["PUT", ""],
    ["DELETE", ""],
    ["POST", "/lifecycle/activate"],
    ["POST", "/lifecycle/deactivate"],
    ["POST", "/lifecycle/verify"],
  ])("%s on an unknown hook id%s: 404 E0000007", async (method, suffix) => {
    const org = await startTestOrg();
    const id = "whoNoSuchHook0000000";
    const res = await orgFetch(org, `/api/v1/eventHooks/${id}${suffix}`, {
      method,
      ...(method === "PUT"
        ? { body: JSON.stringify(hookBody()) }
        : method === "POST"
          ? { body: "" }
          : {}),
    });
    const error = await expectOktaError(res, 404, "E0000007");
    expect(error.errorSummary).toBe(`Not found: Resource not found: ${id} (EventHook)`);
    expect(org.store.logs.count()).toBe(0);
  });

  it.each([
    ["no Authorization header", undefined],
    ["a wrong token", "SSWS 00wrongwrongwrong"],
    ["an empty token", "SSWS "],
    ["Basic auth", "Basic YWRtaW46c3VwZXJzZWNyZXQ="],
  ])("%s: 401 E0000011 and nothing created", async (_what, authorization) => {
    const org = await startTestOrg();
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (authorization !== undefined) headers.authorization = authorization;
    const res = await fetch(`${org.url}/api/v1/eventHooks`, {
      method: "POST",
      headers,
      body: JSON.stringify(hookBody()),
    });
    const error = await expectOktaError(res, 401, "E0000011");
    expect(error.errorSummary).toBe("Invalid token provided");
    expect(org.store.eventHooks.count()).toBe(0);
  });

  it("accepts the token as Bearer too", async () => {
    const org = await startTestOrg();
    const res = await fetch(`${org.url}/api/v1/eventHooks`, {
      headers: { authorization: `Bearer ${org.token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it("a method the path does not support: 405 E0000022 with Allow", async () => {
    const org = await startTestOrg();
    const res = await orgFetch(org, "/api/v1/eventHooks/whoAny", { method: "PATCH", body: "{}" });
    const error = await expectOktaError(res, 405, "E0000022");
    expect(error.errorSummary).toBe("The endpoint does not support the provided HTTP method");
    expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD, PUT");
  });

  it("an unknown path: 404 E0000007", async () => {
    const org = await startTestOrg();
    const res = await orgFetch(org, "/api/v1/eventHook");
    await expectOktaError(res, 404, "E0000007");
  });

  it("a POST without Content-Length: 411, and the hook is not activated", async () => {
    const org = await startTestOrg();
    const created = await orgFetch(org, "/api/v1/eventHooks", {
      method: "POST",
      body: JSON.stringify({ ...hookBody(), status: "INACTIVE" }),
    });
    const { id } = (await created.json()) as { id: string };
    const answer = await rawRequest(
      org,
      `POST /api/v1/eventHooks/${id}/lifecycle/activate HTTP/1.1\r\nHost: 127.0.0.1:${org.port}\r\nAuthorization: SSWS ${org.token}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 411 Length Required\r\n/);
    expect(answer).toContain('"errorCode":"E0000003"');
    expect(org.store.eventHooks.get(id)?.status).toBe("INACTIVE");
  });

  it.each(["evil.example", `evil.example:${0}`, "127.0.0.1.nip.io"])(
    "a hostile Host '%s': 403 E0000006",
    async (host) => {
      const org = await startTestOrg();
      const answer = await rawRequest(
        org,
        `GET /api/v1/eventHooks HTTP/1.1\r\nHost: ${host}\r\nAuthorization: SSWS ${org.token}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
      expect(answer).toContain('"errorCode":"E0000006"');
      expect(answer).toContain("DNS rebinding");
    },
  );

  it("localhost names are accepted as Host", async () => {
    const org = await startTestOrg();
    for (const host of [
      `localhost:${org.port}`,
      `127.0.0.1:${org.port}`,
      `LOCALHOST:${org.port}`,
    ]) {
      const answer = await rawRequest(
        org,
        `GET /api/v1/eventHooks HTTP/1.1\r\nHost: ${host}\r\nAuthorization: SSWS ${org.token}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    }
  });

  it("the 26th hook is refused: Okta's limit is 25 per org", async () => {
    const org = await startTestOrg();
    for (let i = 0; i < 25; i++) {
      const res = await orgFetch(org, "/api/v1/eventHooks", {
        method: "POST",
        body: JSON.stringify(hookBody(undefined, `hook ${i}`)),
      });
      expect(res.status).toBe(200);
    }
    const before = snapshot(org);
    const res = await orgFetch(org, "/api/v1/eventHooks", {
      method: "POST",
      body: JSON.stringify(hookBody()),
    });
    const error = await expectOktaError(res, 400, "E0000001");
    expect(error.errorCauses[0]?.errorSummary).toMatch(/already has 25 event hooks/);
    expect(snapshot(org)).toBe(before);
  });

  it("deleting an ACTIVE hook is refused and keeps it", async () => {
    const org = await startTestOrg();
    const created = await orgFetch(org, "/api/v1/eventHooks", {
      method: "POST",
      body: JSON.stringify(hookBody()),
    });
    const { id } = (await created.json()) as { id: string };
    const before = snapshot(org);
    const res = await orgFetch(org, `/api/v1/eventHooks/${id}`, { method: "DELETE" });
    const error = await expectOktaError(res, 400, "E0000001");
    expect(error.errorCauses[0]?.errorSummary).toMatch(
      /only an INACTIVE event hook can be deleted/,
    );
    expect(snapshot(org)).toBe(before);
  });

  it("http:// on loopback and private addresses is accepted, refused with requireHttps", async () => {
    const org = await startTestOrg();
    for (const uri of [
      "http://127.0.0.1:3000/h",
      "http://localhost/h",
      "http://10.1.2.3/h",
      "http://192.168.1.5:8080/h",
      "http://[::1]:3000/h",
    ]) {
      const res = await orgFetch(org, "/api/v1/eventHooks", {
        method: "POST",
        body: JSON.stringify(hookBody(uri)),
      });
      expect(res.status, uri).toBe(200);
    }
    const strict = await startTestOrg({ requireHttps: true });
    const res = await orgFetch(strict, "/api/v1/eventHooks", {
      method: "POST",
      body: JSON.stringify(hookBody("http://127.0.0.1:3000/h")),
    });
    const error = await expectOktaError(res, 400, "E0000001");
    expect(error.errorCauses[0]?.errorSummary).toMatch(/this org requires HTTPS/);
    expect(strict.store.eventHooks.count()).toBe(0);
  });
});

/** Sends raw bytes and returns everything the server answered before closing. */
function rawRequest(org: OktaEmulator, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(org.port, "127.0.0.1", () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}
