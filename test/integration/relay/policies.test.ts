/**
 * Edge policies on a real relay: body limit, required header, Okta's challenge at the edge,
 * their order, the `edge` reports the agent gets, and the stored policy applied while the
 * agent is away.
 */
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { EdgePolicy, IncomingRequestStream } from "../../../src/protocol/index.js";
import {
  closeFakeAgents,
  connectFakeAgent,
  type FakeAgent,
  recordingApp,
} from "../../helpers/relay-fake-agent.js";
import {
  closeTestRelays,
  send,
  startTestRelay,
  type TestRelay,
  type TestResponse,
} from "../../helpers/relay-harness.js";

afterEach(async () => {
  await closeFakeAgents();
  await closeTestRelays();
});

const AUTH: [string, string] = ["Authorization", "Basic YWRtaW46c3VwZXJzZWNyZXQ="];

async function withPolicy(
  policy: Partial<EdgePolicy>,
  onRequest?: (s: IncomingRequestStream) => void | Promise<void>,
) {
  const test = await startTestRelay();
  const app = recordingApp();
  const agent = await connectFakeAgent({
    url: test.relay.agentUrl,
    token: test.secret,
    endpoint: "okta-dev",
    policy,
    onRequest: onRequest ?? app.handler,
  });
  await agent.welcome;
  return { ...test, agent, app };
}

function expectRelayError(res: TestResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers["hooktap-error-code"]).toBe(code);
  expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(res.json()).toMatchObject({ error: code, message: expect.any(String) });
}

/** Sends only the head of a request declaring `length` body bytes, and reads the answer. */
function headOnly(
  url: string,
  length: number,
): Promise<{ status: number; code: unknown; connection: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent: false,
      headers: { "Content-Length": String(length) },
    });
    req.on("response", (res) => {
      res.resume();
      resolve({
        status: res.statusCode ?? 0,
        code: res.headers["hooktap-error-code"],
        connection: res.headers.connection,
      });
      req.destroy();
    });
    req.on("error", reject);
    req.flushHeaders();
  });
}

describe("relay: edge policies", () => {
  it("answers 413 from the declared length without reading the body, and reports it", async () => {
    const { relay, agent, app } = await withPolicy({ maxBodyBytes: 1000 });
    const answer = await headOnly(`${relay.url}/okta-dev/hook`, 50_000_000);
    expect(answer).toEqual({ status: 413, code: "body_too_large", connection: "close" });
    const report = await agent.edge(1);
    expect(report).toMatchObject({
      reason: "too_large",
      request: {
        method: "POST",
        target: "/hook",
        body: { base64: "", truncated: true, size: 50_000_000 },
      },
      response: { status: 413 },
    });
    expect(report.response.rawHeaders).toContainEqual(["hooktap-error-code", "body_too_large"]);
    expect(app.requests).toEqual([]);
  });

  it("resets a live stream and answers 413 when a chunked body grows past the limit", async () => {
    let seen!: (code: unknown) => void;
    const appSaw = new Promise<unknown>((resolve) => {
      seen = resolve;
    });
    const { relay } = await withPolicy({ maxBodyBytes: 64 * 1024 }, (stream) => {
      stream.body.on("error", (error: Error & { code?: unknown }) => seen(error.code));
      stream.body.resume();
    });
    const res = await new Promise<{ status: number; code: unknown }>((resolve, reject) => {
      const req = request(`${relay.url}/okta-dev/upload`, { method: "POST", agent: false });
      req.on("response", (r) => {
        r.resume();
        resolve({ status: r.statusCode ?? 0, code: r.headers["hooktap-error-code"] });
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(16 * 1024, 7);
      let sent = 0;
      const pump = (): void => {
        while (sent < 20 && req.write(chunk)) sent++;
        if (sent < 20) req.once("drain", pump);
      };
      pump();
    });
    expect(res).toEqual({ status: 413, code: "body_too_large" });
    expect(await appSaw).toBe("body_too_large");
  });

  it("answers 401 when the required header is missing, wrong, of another length or repeated", async () => {
    const { relay, agent, app } = await withPolicy({
      requireHeader: { name: AUTH[0], value: AUTH[1] },
    });
    const url = `${relay.url}/okta-dev/hook`;
    const bad: [string, string][][] = [
      [],
      [["Authorization", "Basic YWRtaW46c3VwZXJzZWNyZXR="]],
      [["Authorization", "Basic x"]],
      [AUTH, AUTH],
      [["X-Authorization", AUTH[1]]],
    ];
    for (const headers of bad) {
      expectRelayError(
        await send(url, { method: "POST", headers, body: "{}" }),
        401,
        "unauthorized",
      );
    }
    expect(app.requests).toEqual([]);
    const ok = await send(url, {
      method: "POST",
      headers: [["authorization", AUTH[1]]],
      body: "{}",
    });
    expect(ok.status).toBe(200);
    expect(app.requests).toHaveLength(1);
    const first = await agent.edge(1);
    expect(first).toMatchObject({ reason: "unauthorized", response: { status: 401 } });
    expect(agent.edges).toHaveLength(bad.length);
    expect(agent.edges[3]?.request.rawHeaders.filter(([n]) => n === "Authorization")).toEqual([
      AUTH,
      AUTH,
    ]);
  });

  it("answers Okta's challenge at the edge with the verification JSON, and reports it", async () => {
    const { relay, agent, app } = await withPolicy({ oktaChallenge: "edge" });
    const res = await send(`${relay.url}/okta-dev/userCreated`, {
      headers: [["x-okta-verification-challenge", "chal-123"]],
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json()).toEqual({ verification: "chal-123" });
    expect(app.requests).toEqual([]);
    const report = await agent.edge(1);
    expect(report).toMatchObject({
      reason: "challenge",
      request: { method: "GET", target: "/userCreated" },
    });
    expect(Buffer.from(report.response.body.base64, "base64").toString()).toBe(
      '{"verification":"chal-123"}',
    );
    // A POST with the header is no challenge; it goes to the app.
    expect(
      (
        await send(`${relay.url}/okta-dev/x`, {
          method: "POST",
          headers: [["x-okta-verification-challenge", "c"]],
        })
      ).status,
    ).toBe(200);
    expect(app.requests).toHaveLength(1);
  });

  it("leaves the challenge to the app when oktaChallenge is app", async () => {
    const { relay, app, agent } = await withPolicy({ oktaChallenge: "app" });
    const res = await send(`${relay.url}/okta-dev/x`, {
      headers: [["x-okta-verification-challenge", "c"]],
    });
    expect(res.status).toBe(200);
    expect(app.requests).toHaveLength(1);
    expect(agent.edges).toEqual([]);
  });

  it("applies the policies in order: body limit, then required header, then challenge", async () => {
    const { relay } = await withPolicy({
      oktaChallenge: "edge",
      requireHeader: { name: AUTH[0], value: AUTH[1] },
      maxBodyBytes: 10,
    });
    const url = `${relay.url}/okta-dev/x`;
    expectRelayError(
      await send(url, { method: "POST", body: "x".repeat(11) }),
      413,
      "body_too_large",
    );
    expectRelayError(
      await send(url, { headers: [["x-okta-verification-challenge", "c"]] }),
      401,
      "unauthorized",
    );
    const ok = await send(url, { headers: [AUTH, ["x-okta-verification-challenge", "c"]] });
    expect(ok.json()).toEqual({ verification: "c" });
  });

  it("takes a new policy from a policy message, and stores it", async () => {
    const { relay, agent, store, app } = await withPolicy({});
    expect((await send(`${relay.url}/okta-dev/a`)).status).toBe(200);
    agent.sendPolicy({ requireHeader: { name: "X-Secret", value: "s" } });
    const stored = async () => (await store.endpointPolicy("okta-dev"))?.requireHeader?.name;
    while ((await stored()) !== "X-Secret") await new Promise((r) => setImmediate(r));
    expectRelayError(await send(`${relay.url}/okta-dev/b`), 401, "unauthorized");
    expect((await send(`${relay.url}/okta-dev/c`, { headers: [["x-secret", "s"]] })).status).toBe(
      200,
    );
    expect(app.requests.map((r) => r.head.target)).toEqual(["/a", "/c"]);
  });

  it("applies the stored policy while the agent is away, and drops the reports", async () => {
    const test: TestRelay = await startTestRelay();
    const agent: FakeAgent = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "okta-dev",
      policy: { requireHeader: { name: AUTH[0], value: AUTH[1] }, oktaChallenge: "edge" },
    });
    await agent.welcome;
    await agent.close();
    const url = `${test.relay.url}/okta-dev/hook`;
    while (test.relay.endpoints().some((e) => e.online)) await new Promise((r) => setImmediate(r));
    expectRelayError(await send(url, { method: "POST", body: "{}" }), 401, "unauthorized");
    const challenge = await send(url, { headers: [AUTH, ["x-okta-verification-challenge", "v"]] });
    expect(challenge.json()).toEqual({ verification: "v" });
    expect(test.logs).toContainEqual(
      expect.objectContaining({
        level: "debug",
        message: "edge report dropped: the endpoint's agent is offline",
      }),
    );
  });
});
