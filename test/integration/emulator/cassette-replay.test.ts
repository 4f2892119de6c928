/**
 * Replays every request of the recorded Okta Management API traffic against the emulator and
 * compares each answer with Okta's: the same status, the same keys in the same order, the same
 * value types, and the same state (status, verification, subscriptions, headers, links).
 * Verification requests go to a local receiver that answers the challenge, in place of the
 * public endpoints the recordings used.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cassetteNames, readCassette } from "../../helpers/okta-cassettes.js";
import { startTestOrg, stopOrgs } from "../../helpers/okta-emulator.js";
import { startUpstreamApp, type UpstreamApp } from "../../helpers/upstream-app.js";

const apps: UpstreamApp[] = [];
afterEach(async () => {
  await stopOrgs();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A JSON value's structure: key order and value types, not values. */
function shapeOf(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shapeOf(v)]);
  }
  return typeof value;
}

interface HookJson {
  status: string;
  verificationStatus: string;
  name: string;
  description: string | null;
  events: { type: string; items: string[]; filter: unknown };
  channel: { config: { headers: unknown; method: string; authScheme: unknown } };
  _links: Record<string, { hints?: unknown }>;
}

/** What must be equal, not only alike: the hook's state as Okta reported it. */
function stateOf(hook: HookJson): unknown {
  return {
    status: hook.status,
    verificationStatus: hook.verificationStatus,
    name: hook.name,
    description: hook.description,
    eventsType: hook.events.type,
    items: [...hook.events.items].sort(),
    filter: hook.events.filter,
    headers: hook.channel.config.headers,
    method: hook.channel.config.method,
    authScheme: hook.channel.config.authScheme,
    links: Object.entries(hook._links).map(([name, link]) => [name, link.hints ?? null]),
  };
}

describe.each(cassetteNames())("replaying %s", (name) => {
  it("answers every request as Okta did", async () => {
    const interactions = readCassette(name);
    const receiver = await startUpstreamApp((request, res) => {
      const i = request.rawHeaders.findIndex(
        (h) => h.toLowerCase() === "x-okta-verification-challenge",
      );
      res
        .writeHead(200, { "Content-Type": "application/json" })
        .end(JSON.stringify({ verification: request.rawHeaders[i + 1] }));
    });
    apps.push(receiver);
    const org = await startTestOrg();
    const recordedOrigin = new URL(interactions[0]?.request.url ?? "").origin;
    const ids = new Map<string, string>();
    const localUri = (uri: string): string =>
      uri.includes(".pipedream.net") ? `${receiver.url}/${new URL(uri).host}` : uri;

    for (const interaction of interactions) {
      const { request, response } = interaction;
      let path = request.url.slice(recordedOrigin.length);
      for (const [recorded, actual] of ids) path = path.replaceAll(recorded, actual);
      let body: string | undefined;
      if (request.body !== "") {
        const parsed = JSON.parse(request.body) as { channel: { config: { uri: string } } };
        parsed.channel.config.uri = localUri(parsed.channel.config.uri);
        body = JSON.stringify(parsed);
      } else if (request.method === "POST" || request.method === "PUT") {
        body = "";
      }
      const headers: Record<string, string> = { authorization: `SSWS ${org.token}` };
      for (const [header, values] of Object.entries(request.headers)) {
        if (header.toLowerCase() !== "authorization") headers[header] = values.join(", ");
      }
      const res = await fetch(`${org.url}${path}`, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.text();
      const where = `${name} #${interaction.id} ${request.method} ${path}`;
      expect(res.status, where).toBe(response.code);
      if (response.body === "") {
        expect(text, where).toBe("");
        expect(res.headers.get("content-type"), where).toBeNull();
        continue;
      }
      expect(res.headers.get("content-type"), where).toBe(response.headers["Content-Type"]?.[0]);
      const recorded = JSON.parse(response.body) as HookJson & { id: string };
      const actual = JSON.parse(text) as HookJson & { id: string };
      if (!ids.has(recorded.id)) ids.set(recorded.id, actual.id);
      expect(shapeOf(actual), where).toEqual(shapeOf(recorded));
      expect(stateOf(actual), where).toEqual(stateOf(recorded));
    }
    // The recordings verify at most once per hook, and each verification reached the receiver.
    const verifications = interactions.filter((i) => i.request.url.endsWith("/lifecycle/verify"));
    expect(receiver.requests).toHaveLength(verifications.length);
  });
});
