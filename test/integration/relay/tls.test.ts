/**
 * A relay with a certificate serves https to the public and wss to agents. The certificate is
 * self-signed and made at test time with openssl; without openssl the test is skipped.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeFakeAgents, connectFakeAgent, recordingApp } from "../../helpers/relay-fake-agent.js";
import { closeTestRelays, send, startTestRelay } from "../../helpers/relay-harness.js";
import { HAS_OPENSSL, makeCertificate } from "../../helpers/relay-tls.js";

describe.skipIf(!HAS_OPENSSL)("relay: TLS (skipped: openssl is not installed)", () => {
  let dir: string;
  let pem: { cert: string; key: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hooktap-relay-tls-"));
    const files = makeCertificate(dir);
    pem = { cert: await readFile(files.cert, "utf8"), key: await readFile(files.key, "utf8") };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await closeFakeAgents();
    await closeTestRelays();
  });

  it("serves https ingress and wss agents", async () => {
    const { relay, secret } = await startTestRelay({ tls: pem });
    expect(relay.url).toBe(`https://127.0.0.1:${relay.port}`);
    expect(relay.agentUrl).toBe(`wss://127.0.0.1:${relay.port}/_hooktap/agent`);
    const app = recordingApp(() => ({ status: 202, rawHeaders: [["X-App", "yes"]], body: "ok" }));
    const agent = await connectFakeAgent({
      url: relay.agentUrl,
      token: secret,
      endpoint: "secure",
      onRequest: app.handler,
      ws: { ca: pem.cert },
    });
    expect((await agent.welcome).urls).toEqual([`https://127.0.0.1:${relay.port}/secure`]);
    const res = await send(`${relay.url}/secure/hook`, {
      method: "POST",
      body: "{}",
      rejectUnauthorized: false,
    });
    expect(res.status).toBe(202);
    expect(res.headers["x-app"]).toBe("yes");
    expect(res.body.toString()).toBe("ok");
    expect((await app.count(1))[0]?.head).toMatchObject({ scheme: "https", target: "/hook" });
  });
});
