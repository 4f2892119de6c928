/**
 * `hooktap http` with its embedded relay, as a process: its agent reaches the relay over the
 * in-process link. An exchange comes back byte-exact both ways, a 12 MB body goes through in
 * both directions (above the 10 MiB capture limit and many frames long), SIGINT ends the session cleanly (the relay hears `shutting_down`) with
 * exit 0, a newer agent with the same token ends it with `replaced` (exit 1, saying why), and a
 * new run on the same data directory takes the endpoint back.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StartedInfo } from "../../../src/cli/http-output.js";
import { spawnHttp } from "../../helpers/http-process.js";
import { assertBuilt, type RunningProcess, stopAllProcesses } from "../../helpers/process.js";
import { rawExchange } from "../../helpers/raw-exchange.js";
import { closeFakeAgents, connectFakeAgent } from "../../helpers/relay-fake-agent.js";
import { startUpstreamApp, type UpstreamApp } from "../../helpers/upstream-app.js";

const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => assertBuilt());
afterEach(async () => {
  await closeFakeAgents();
  await stopAllProcesses();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

/** `hooktap http` with its embedded relay, no inspector, bodies up to 64 MB; in `dataDir` or a new one. */
async function startEmbedded(
  app: UpstreamApp,
  dataDir?: string,
): Promise<{ proc: RunningProcess; started: StartedInfo; dir: string }> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "hooktap-http-link-"));
  if (dataDir === undefined) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const { proc, started } = await spawnHttp(app.port, dir, {
    flags: ["--no-inspect", "--max-body", "64mb"],
  });
  return { proc, started, dir };
}

describe("hooktap http (process): the embedded relay over the in-process link", () => {
  it("exchanges byte-exact, carries 12 MB both ways, and ends the session cleanly on SIGINT", async () => {
    const app = await startUpstreamApp((received, res) => {
      res
        .writeHead(201, [
          "X-Body-Sha256",
          sha256(received.body),
          "x-dup",
          "1",
          "X-Dup",
          "2",
          "Content-Type",
          "application/octet-stream",
        ])
        .end(received.body);
    });
    cleanups.push(() => app.close());
    const { proc, started } = await startEmbedded(app);
    const publicUrl = started.publicUrls[0] ?? "";
    expect(publicUrl).toBe(`http://127.0.0.1:${started.relayPort}/local`);
    expect(started.agentUrl).toBe(`ws://127.0.0.1:${started.relayPort}/_hooktap/agent`);

    // Byte-exact: raw header pairs (case, order, repeats), a binary body, the answer as sent.
    const small = Buffer.concat([Buffer.from([0xff, 0x00, 0xfe, 0x0d, 0x0a]), randomBytes(9000)]);
    const headers = [
      "Host",
      `127.0.0.1:${started.relayPort}`,
      "X-Okta-Verification",
      "one",
      "x-okta-verification",
      "two",
      "Content-Type",
      "application/json",
      "Content-Length",
      String(small.length),
    ];
    const seen = app.nextRequest();
    const answer = await rawExchange(`${publicUrl}/userCreated?x=%20y&z`, headers, small);
    const received = await seen;
    expect(received.url).toBe("/userCreated?x=%20y&z");
    expect(received.rawHeaders.slice(0, headers.length)).toEqual(headers);
    expect(Buffer.compare(received.body, small)).toBe(0);
    expect(answer.status).toBe(201);
    expect(answer.rawHeaders.slice(0, 8)).toEqual([
      "X-Body-Sha256",
      sha256(small),
      "x-dup",
      "1",
      "X-Dup",
      "2",
      "Content-Type",
      "application/octet-stream",
    ]);
    expect(Buffer.compare(answer.body, small)).toBe(0);

    // 12 MB up and the same 12 MB back, whole.
    const big = randomBytes(12 * 1024 * 1024);
    const bigAnswer = await rawExchange(`${publicUrl}/upload`, ["Host", "relay.test"], big);
    expect(bigAnswer.status).toBe(201);
    expect(bigAnswer.rawHeaders[1]).toBe(sha256(big));
    expect(bigAnswer.body.length).toBe(big.length);
    expect(sha256(bigAnswer.body)).toBe(sha256(big));
    await proc.waitForLine(/"event":"exchange".*"target":"\/upload".*"status":201/);

    // SIGINT: the agent tells the relay it is leaving, the session ends, exit 0.
    const exit = await proc.stop("SIGINT");
    expect(exit).toEqual({ code: 0, signal: null });
    const logs = proc.stdout.filter((l) => l.includes('"event":"log"'));
    // The relay logged the agent's `error` (its fields' message is the agent's sentence).
    expect(logs.at(-2)).toMatch(/"message":"the agent is shutting down".*"code":"shutting_down"/);
    expect(logs.at(-1)).toMatch(/"message":"agent disconnected","endpoint":"local"/);
    expect(proc.stdout.at(-1)).toMatch(/"event":"stopped","total":2\}$/);
    expect(proc.stderr).toEqual([]);
  }, 60_000);

  it("a newer agent with the local token ends the session (exit 1, saying why); a new run reconnects", async () => {
    const app = await startUpstreamApp((received, res) => {
      res.end(`app ${received.url}`);
    });
    cleanups.push(() => app.close());
    const first = await startEmbedded(app);
    const token = readFileSync(join(first.dir, "agent-token"), "utf8").trim();
    const intruder = await connectFakeAgent({
      url: first.started.agentUrl,
      token,
      endpoint: "local",
    });
    await intruder.welcome;
    expect(await first.proc.exited).toEqual({ code: 1, signal: null });
    expect(first.proc.stderr.at(-1)).toMatch(
      /^hooktap: the tunnel stopped: replaced by a newer connection for endpoint local; /,
    );
    await intruder.close();

    // The same data directory: the kept token claims `local` again, over a new in-process link.
    const second = await startEmbedded(app, first.dir);
    const publicUrl = second.started.publicUrls[0] ?? "";
    expect(publicUrl).toBe(`http://127.0.0.1:${second.started.relayPort}/local`);
    const answer = await rawExchange(
      `${publicUrl}/again`,
      ["Host", "relay.test"],
      Buffer.from("{}"),
    );
    expect(answer.body.toString()).toBe("app /again");
    expect(readFileSync(join(first.dir, "agent-token"), "utf8").trim()).toBe(token);
    expect(await second.proc.stop("SIGINT")).toEqual({ code: 0, signal: null });
  }, 60_000);
});
