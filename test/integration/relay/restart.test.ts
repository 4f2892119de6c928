/**
 * A relay closed and started again on the same SQLite file finds its reservations, policies
 * and queue, and delivers what it accepted before. (The SIGKILL variant runs the real CLI:
 * test/integration/relay-cli/.)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteRelayStore } from "../../../src/relay/index.js";
import {
  closeFakeAgents,
  connectFakeAgent,
  recordingAgent,
} from "../../helpers/relay-fake-agent.js";
import { closeTestRelays, send, startTestRelay } from "../../helpers/relay-harness.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hooktap-relay-restart-"));
});
afterEach(async () => {
  await closeFakeAgents();
  await closeTestRelays();
  await rm(dir, { recursive: true, force: true });
});

describe("relay: restart on the same file", () => {
  it("keeps reservations, policies and queued requests, and delivers them", async () => {
    const path = join(dir, "relay.db");
    const first = await startTestRelay({ store: await openSqliteRelayStore(path) });
    const agent = await connectFakeAgent({
      url: first.relay.agentUrl,
      token: first.secret,
      endpoint: "okta-dev",
      policy: { requireHeader: { name: "X-Secret", value: "s" } },
    });
    await agent.welcome;
    await agent.close();
    while (first.relay.endpoints()[0]?.online !== false) await new Promise((r) => setImmediate(r));
    const res = await send(`${first.relay.url}/okta-dev/kept`, {
      method: "POST",
      headers: [["X-Secret", "s"]],
      body: "kept",
    });
    expect(res.status).toBe(200);
    await first.close();

    const second = await startTestRelay({ store: await openSqliteRelayStore(path) });
    expect(second.relay.endpoints()).toEqual([{ name: "okta-dev", online: false, queued: 1 }]);
    expect(
      (await send(`${second.relay.url}/okta-dev/x`, { method: "POST", body: "{}" })).status,
    ).toBe(401);
    const { app } = await recordingAgent(second.relay.agentUrl, first.secret);
    const [delivered] = await app.count(1);
    expect(delivered?.head).toMatchObject({ origin: "queued", target: "/kept" });
    expect(delivered?.body.toString()).toBe("kept");
  });
});
