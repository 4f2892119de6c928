/**
 * Starting a local Okta org in a test, and talking to it with Okta's Node SDK or raw fetch.
 */
import okta from "@okta/okta-sdk-nodejs";
import {
  type OktaEmulator,
  type OktaEmulatorOptions,
  startOktaEmulator,
} from "../../src/emulator/index.js";

const running = new Set<OktaEmulator>();

/** Starts an org on 127.0.0.1:0 (in memory unless `dataPath` is given); stop with {@link stopOrgs}. */
export async function startTestOrg(options: OktaEmulatorOptions = {}): Promise<OktaEmulator> {
  const org = await startOktaEmulator({ port: 0, ...options });
  running.add(org);
  return org;
}

/** Closes every org {@link startTestOrg} started and that is still open. */
export async function stopOrgs(): Promise<void> {
  const orgs = [...running];
  running.clear();
  await Promise.all(orgs.map((org) => org.close()));
}

/** Okta's SDK client for `org`, without its GET cache (the emulator changes state between calls). */
export function sdkClient(org: OktaEmulator): okta.Client {
  return new okta.Client({ orgUrl: org.url, token: org.token, cacheMiddleware: null });
}

/** `fetch` on the org with its token (unless `headers.authorization` is given). */
export function orgFetch(
  org: OktaEmulator,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization")) headers.set("authorization", `SSWS ${org.token}`);
  if (init.body !== undefined && !headers.has("content-type")) {
    headers.set("content-type", "application/json");
  }
  return fetch(`${org.url}${path}`, { ...init, headers });
}

/** A valid create body for a hook on `uri`. */
export function hookBody(
  uri = "https://example.com/hooks",
  name = "test hook",
): Record<string, unknown> {
  return {
    name,
    events: { type: "EVENT_TYPE", items: ["user.lifecycle.create", "user.lifecycle.deactivate"] },
    channel: {
      type: "HTTP",
      version: "1.0.0",
      config: {
        uri,
        headers: [{ key: "X-Other-Header", value: "some-value" }],
        authScheme: { type: "HEADER", key: "Authorization", value: "my-shared-secret" },
      },
    },
  };
}
