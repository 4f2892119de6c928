/**
 * The real executable: `node bin/hooktap.js http <port> …` with the embedded relay, as a user
 * runs it (after `npm run build`). A request through the public URL reaches the app byte-exact,
 * the inspector API shows the public URL, and Ctrl-C (SIGINT) stops everything with exit 0.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawnHttp } from "../../helpers/http-process.js";
import { assertBuilt, stopAllProcesses } from "../../helpers/process.js";
import { rawExchange } from "../../helpers/raw-exchange.js";
import { startUpstreamApp, type UpstreamApp } from "../../helpers/upstream-app.js";

const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => assertBuilt());
afterEach(async () => {
  await stopAllProcesses();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("hooktap http (process)", () => {
  let app: UpstreamApp;

  it("tunnels a request byte-exact, shows the URL at /api/tunnels, and stops on SIGINT", async () => {
    app = await startUpstreamApp((_request, res) => {
      res.writeHead(202).end("accepted");
    });
    cleanups.push(() => app.close());
    const dir = mkdtempSync(join(tmpdir(), "hooktap-http-cli-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { proc, started } = await spawnHttp(app.port, dir);
    expect(started.relayPort).toBeGreaterThan(0);
    expect(started.inspectorPort).toBeGreaterThan(0);
    const publicUrl = started.publicUrls[0] ?? "";
    expect(publicUrl).toBe(`http://127.0.0.1:${started.relayPort}/local`);

    const body = Buffer.concat([Buffer.from([0xff, 0x00, 0xfe]), randomBytes(30_000)]);
    const headers = [
      "Host",
      `127.0.0.1:${started.relayPort}`,
      "X-Okta-Verification",
      "one",
      "x-okta-verification",
      "two",
      "Authorization",
      "Basic b2t0YTpzZWNyZXQ=",
      "Content-Type",
      "application/json",
      "Content-Length",
      String(body.length),
    ];
    const seen = app.nextRequest();
    expect((await rawExchange(`${publicUrl}/userCreated?x=%20y`, headers, body)).status).toBe(202);
    const received = await seen;
    expect(received.method).toBe("POST");
    expect(received.url).toBe("/userCreated?x=%20y");
    expect(received.rawHeaders.slice(0, headers.length)).toEqual(headers);
    expect(Buffer.compare(received.body, body)).toBe(0);
    await proc.waitForLine(/^\{.*"event":"exchange".*"status":202.*\}$/);

    const api = (await (
      await fetch(`http://127.0.0.1:${started.inspectorPort}/api/tunnels`)
    ).json()) as {
      tunnels: { public_url: string; proto: string }[];
    };
    expect(api.tunnels.map((t) => t.public_url)).toEqual([publicUrl]);

    const exit = await proc.stop("SIGINT");
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proc.stdout.at(-1)).toMatch(/"event":"stopped","total":1\}$/);
  });
});
