/**
 * `POST …/lifecycle/verify` against real receivers on 127.0.0.1: the GET Okta sends, VERIFIED
 * on a correct answer, 400 E0000001 with the cause otherwise, one `event_hook.verified` System
 * Log event per attempt.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { OktaEmulator } from "../../../src/emulator/index.js";
import {
  hookBody,
  orgFetch,
  sdkClient,
  startTestOrg,
  stopOrgs,
} from "../../helpers/okta-emulator.js";
import { type AppHandler, startUpstreamApp, type UpstreamApp } from "../../helpers/upstream-app.js";

const apps: UpstreamApp[] = [];
afterEach(async () => {
  await stopOrgs();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function receiver(handler: AppHandler): Promise<UpstreamApp> {
  const app = await startUpstreamApp(handler);
  apps.push(app);
  return app;
}

function header(rawHeaders: string[], name: string): string | undefined {
  const i = rawHeaders.findIndex((h, k) => k % 2 === 0 && h.toLowerCase() === name);
  return i === -1 ? undefined : rawHeaders[i + 1];
}

const ANSWER_CHALLENGE: AppHandler = (request, res) => {
  const challenge = header(request.rawHeaders, "x-okta-verification-challenge");
  res
    .writeHead(200, { "Content-Type": "application/json" })
    .end(JSON.stringify({ verification: challenge }));
};

async function createHook(org: OktaEmulator, uri: string): Promise<string> {
  const res = await orgFetch(org, "/api/v1/eventHooks", {
    method: "POST",
    body: JSON.stringify(hookBody(uri)),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

function verifiedEvents(
  org: OktaEmulator,
): { outcome: { result: string; reason: string | null } }[] {
  return [...org.store.logs.scan({ order: "persisted" })]
    .map((s) => s.event)
    .filter((e) => e.eventType === "event_hook.verified") as never;
}

describe("event hook verification", () => {
  it("sends Okta's GET with the auth and custom headers and marks the hook VERIFIED", async () => {
    const app = await receiver(ANSWER_CHALLENGE);
    const org = await startTestOrg();
    const id = await createHook(org, `${app.url}/hooks/okta`);

    const verified = await sdkClient(org).eventHookApi.verifyEventHook({ eventHookId: id });
    expect(verified.verificationStatus).toBe("VERIFIED");

    expect(app.requests).toHaveLength(1);
    const [request] = app.requests;
    expect(request?.method).toBe("GET");
    expect(request?.url).toBe("/hooks/okta");
    expect(header(request?.rawHeaders ?? [], "authorization")).toBe("my-shared-secret");
    expect(header(request?.rawHeaders ?? [], "x-other-header")).toBe("some-value");
    expect(header(request?.rawHeaders ?? [], "user-agent")).toBe(
      `Okta Hook Service v1.0.0 - ${id}`,
    );
    expect(header(request?.rawHeaders ?? [], "x-okta-verification-challenge")).toMatch(/^\S{16,}$/);
    expect(verifiedEvents(org).map((e) => e.outcome.result)).toEqual(["SUCCESS"]);
    const stored = org.store.eventHooks.get(id);
    expect(stored?.verificationStatus).toBe("VERIFIED");
  });

  it("a wrong answer is 400 E0000001 naming what was wrong, and the hook stays UNVERIFIED", async () => {
    const app = await receiver((_request, res) => {
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"verification":"nope"}');
    });
    const org = await startTestOrg();
    const id = await createHook(org, `${app.url}/hooks`);

    const res = await orgFetch(org, `/api/v1/eventHooks/${id}/lifecycle/verify`, {
      method: "POST",
      headers: { "content-length": "0" },
    });
    expect(res.status).toBe(400);
    const error = (await res.json()) as {
      errorCode: string;
      errorCauses: { errorSummary: string }[];
    };
    expect(error.errorCode).toBe("E0000001");
    expect(error.errorCauses[0]?.errorSummary).toMatch(
      /^verification: Unable to verify event hook who\w+: "verification" is "nope", expected the challenge/,
    );
    expect(org.store.eventHooks.get(id)?.verificationStatus).toBe("UNVERIFIED");
    expect(app.requests).toHaveLength(1);
    const events = verifiedEvents(org);
    expect(events).toHaveLength(1);
    expect(events[0]?.outcome).toMatchObject({ result: "FAILURE" });
    expect(events[0]?.outcome.reason).toContain('"verification" is "nope"');
  });

  it("a 5xx is retried once; both attempts are in the System Log", async () => {
    const app = await receiver((_request, res) => {
      res.writeHead(503).end("busy");
    });
    const org = await startTestOrg();
    const id = await createHook(org, `${app.url}/hooks`);
    await expect(
      sdkClient(org).eventHookApi.verifyEventHook({ eventHookId: id }),
    ).rejects.toMatchObject({
      status: 400,
      errorCode: "E0000001",
    });
    expect(app.requests).toHaveLength(2);
    expect(verifiedEvents(org).map((e) => e.outcome.result)).toEqual(["FAILURE", "FAILURE"]);
  });

  it("an endpoint that never answers fails with a timeout after one retry", async () => {
    const app = await receiver(() => {
      // Never answers.
    });
    const org = await startTestOrg({ verificationTimeoutMs: 300 });
    const id = await createHook(org, `${app.url}/hooks`);
    const res = await orgFetch(org, `/api/v1/eventHooks/${id}/lifecycle/verify`, {
      method: "POST",
      headers: { "content-length": "0" },
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain("sent no complete response within 300 ms");
    expect(app.requests).toHaveLength(2);
    expect(verifiedEvents(org)).toHaveLength(2);
  });

  it("close() ends an in-flight verification at once", async () => {
    const app = await receiver(() => {
      // Never answers.
    });
    const org = await startTestOrg();
    const id = await createHook(org, `${app.url}/hooks`);
    const pending = orgFetch(org, `/api/v1/eventHooks/${id}/lifecycle/verify`, {
      method: "POST",
      headers: { "content-length": "0" },
    }).catch((error: unknown) => error);
    await app.nextRequest();
    const started = Date.now();
    await org.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it("an unknown id is 404 E0000007 and sends nothing", async () => {
    const org = await startTestOrg();
    await expect(
      sdkClient(org).eventHookApi.verifyEventHook({ eventHookId: "whoAAAAAAAAAAAAAAAAA" }),
    ).rejects.toMatchObject({ status: 404, errorCode: "E0000007" });
    expect(org.store.logs.count()).toBe(0);
  });
});
