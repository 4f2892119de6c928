/**
 * A receiver for the org's tests: an endpoint on 127.0.0.1:0 that answers Okta's verification
 * challenge and records every delivery, and an event hook on the org pointing at it, verified.
 */
import type { ServerResponse } from "node:http";
import type { OktaEmulator } from "../../src/emulator/index.js";
import type { Delivery } from "../../src/okta/index.js";
import { type HookEndpoint, headerOf, startHookEndpoint } from "./emulator-delivery.js";
import { orgFetch } from "./okta-emulator.js";
import type { RecordedRequest } from "./upstream-app.js";

/** The Basic auth the hooks of these tests send. */
export const HOOK_AUTH = "Basic YWRtaW46c3VwZXJzZWNyZXQ=";

/** An endpoint that answers the challenge, then `answer` for each delivery (default 200). */
export async function startReceiver(
  answer: (request: RecordedRequest, res: ServerResponse) => void = (_r, res) => {
    res.writeHead(200).end();
  },
): Promise<HookEndpoint & { deliveriesOnly(): Delivery[] }> {
  const endpoint = await startHookEndpoint((request, res) => {
    const challenge = headerOf(request, "x-okta-verification-challenge");
    if (request.method === "GET" && challenge !== undefined) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ verification: challenge }));
      return;
    }
    answer(request, res);
  });
  return Object.assign(endpoint, {
    deliveriesOnly: (): Delivery[] =>
      endpoint.requests
        .filter((r) => r.method === "POST")
        .map((r) => JSON.parse(r.body.toString("utf8")) as Delivery),
  });
}

/** Creates and verifies a hook on `org` for `types`, pointing at `uri`; returns its id. */
export async function createVerifiedHook(
  org: OktaEmulator,
  uri: string,
  types: readonly string[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  const created = await orgFetch(org, "/api/v1/eventHooks", {
    method: "POST",
    body: JSON.stringify({
      name: `hook ${Math.random().toString(36).slice(2, 8)}`,
      events: { type: "EVENT_TYPE", items: types },
      channel: {
        type: "HTTP",
        version: "1.0.0",
        config: {
          uri,
          headers: [{ key: "X-Test", value: "yes" }],
          authScheme: { type: "HEADER", key: "Authorization", value: HOOK_AUTH },
        },
      },
      ...extra,
    }),
  });
  if (created.status !== 200)
    throw new Error(`create hook: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const verified = await orgFetch(org, `/api/v1/eventHooks/${id}/lifecycle/verify`, {
    method: "POST",
  });
  if (verified.status !== 200)
    throw new Error(`verify: ${verified.status} ${await verified.text()}`);
  return id;
}
