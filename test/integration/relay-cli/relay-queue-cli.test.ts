/**
 * `hooktap relay queue ls | retry | drop` as real processes next to a running relay process on
 * the same file: requests queued while the agent is away fail after `--queue-ttl`, are listed,
 * retried to an agent that comes online (and, with the agent online, picked up without a
 * restart), dropped, and deleted once delivered and kept for `--keep-delivered`. Every bad
 * input is one clear line, with nothing changed. JSON listings and the bad inputs run the
 * command in this process, on the same file: a process each is slow.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { DEFAULT_STORE_WATCH_MS, type QueuedRequestSummary } from "../../../src/relay/index.js";
import { createMemoryIo } from "../../helpers/cli-io.js";
import { assertBuilt, runNode, stopAllProcesses } from "../../helpers/process.js";
import { BIN, createTokenCli, startRelayProcess } from "../../helpers/relay-cli-process.js";
import {
  closeFakeAgents,
  connectFakeAgent,
  recordingAgent,
} from "../../helpers/relay-fake-agent.js";
import { send } from "../../helpers/relay-harness.js";

/** These tests run a dozen CLI processes each, which takes long on a loaded machine. */
const PROCESSES_TIMEOUT_MS = 60_000;

let dir: string;
let data: string;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hooktap-relay-queue-"));
  data = join(dir, "relay.db");
});
afterEach(async () => {
  await closeFakeAgents();
  await stopAllProcesses();
  await rm(dir, { recursive: true, force: true });
});

/** `hooktap relay queue …args --data <data>`. */
function queue(...args: string[]) {
  return runNode([BIN, "relay", "queue", ...args, "--data", data]);
}

/**
 * `queue ls --json …args`, parsed; run in this process (the same command code on the same
 * file), since a process each time is slow and the retry windows of these tests are short.
 */
async function listed(...args: string[]) {
  const io = createMemoryIo();
  const { exitCode } = await runCli(
    ["relay", "queue", "ls", "--json", ...args, "--data", data],
    io,
  );
  expect(io.err).toEqual([]);
  expect(exitCode).toBe(0);
  return JSON.parse(io.out.join("\n")) as { items: QueuedRequestSummary[]; total: number };
}

/**
 * A relay process with `--queue-ttl 4s` (and `extra` flags), endpoint okta-dev reserved by a
 * token whose agent went away, and `count` requests queued for it and failed when their window
 * ran out.
 */
async function relayWithFailedRequests(count: number, extra: string[] = []) {
  const secret = await createTokenCli(data, "laptop");
  // A retried request gets the same window again; the running relay picks a retry up within
  // its 2 s store watch, so a window of 2 s could close before its delivery is marked.
  const relay = await startRelayProcess(data, ["--queue-ttl", "4s", ...extra]);
  const claim = await connectFakeAgent({
    url: relay.agentUrl,
    token: secret,
    endpoint: "okta-dev",
  });
  await claim.welcome;
  await claim.close();
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const res = await send(`${relay.url}/okta-dev/userCreated?n=${i}`, {
      method: "POST",
      body: `{"n":${i}}`,
    });
    expect(res.status).toBe(200);
    ids.push(String(res.headers["hooktap-queue-id"]));
  }
  await relay.proc.waitForLine(
    new RegExp(`^queued requests failed: their retry window is over count=${count}$`),
  );
  return { ...relay, secret, ids };
}

describe("hooktap relay queue (process)", () => {
  it(
    "lists failed requests, retries them to an agent that comes online, and drops the rest",
    async () => {
      const { proc, agentUrl, secret, ids } = await relayWithFailedRequests(4);
      const [q1, q2, q3, q4] = ids as [string, string, string, string];

      const failed = await listed("--state", "failed");
      expect(failed.total).toBe(4);
      expect(failed.items.map((i) => [i.id, i.state, i.target, i.lastError])).toEqual(
        ids.map((id, i) => [id, "failed", `/userCreated?n=${i + 1}`, "expired after 0 attempt(s)"]),
      );
      const table = await queue("ls", "--endpoint", "okta-dev");
      expect(table.code).toBe(0);
      expect(table.stdout[0]).toMatch(
        /^ID +ENDPOINT +STATE +RECEIVED +ATTEMPTS +REQUEST +LAST ERROR$/,
      );
      expect(table.stdout.slice(1)).toEqual(
        ids.map((id, i) =>
          expect.stringMatching(
            new RegExp(
              `^${id} +okta-dev +failed +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +0 +POST /userCreated\\?n=${i + 1} \\(7 B\\) +expired after 0 attempt\\(s\\)$`,
            ),
          ),
        ),
      );

      const retried = await queue("retry", q2, q1);
      expect(retried.code).toBe(0);
      expect(retried.stdout).toEqual([
        "Put 2 requests back in the queue, due now:",
        `  ${q1}  okta-dev  POST /userCreated?n=1`,
        `  ${q2}  okta-dev  POST /userCreated?n=2`,
        "A relay running on this file delivers them, in arrival order, within 2 s once the endpoint's agent is online.",
      ]);
      expect((await listed("--state", "pending")).items.map((i) => i.id)).toEqual([q1, q2]);

      // The agent comes back: the retried requests arrive in arrival order, as first attempts.
      const { app } = await recordingAgent(agentUrl, secret);
      const first = await app.count(2);
      expect(
        first.map((r) => [r.head.origin === "queued" && r.head.queueId, r.body.toString()]),
      ).toEqual([
        [q1, '{"n":1}'],
        [q2, '{"n":2}'],
      ]);
      expect(first.every((r) => r.head.origin === "queued" && r.head.attempt === 1)).toBe(true);

      // With the agent online, the running relay picks a retry up by itself, without a restart.
      expect((await queue("retry", q3)).code).toBe(0);
      const retriedAt = performance.now();
      const [, , third] = await app.count(3);
      expect(performance.now() - retriedAt).toBeLessThan(DEFAULT_STORE_WATCH_MS + 1500);
      expect(third?.head.origin === "queued" && third.head.queueId).toBe(q3);

      const dropped = await queue("drop", "--failed");
      expect(dropped.stdout).toEqual([
        "Dropped 1 request for good:",
        `  ${q4}  okta-dev  POST /userCreated?n=4`,
      ]);
      const after = await listed();
      expect(after.items.map((i) => [i.id, i.state])).toEqual([
        [q1, "delivered"],
        [q2, "delivered"],
        [q3, "delivered"],
      ]);
      expect(after.total).toBe(3);
      expect(app.requests).toHaveLength(3);
      expect(proc.stderr).toEqual([]);
    },
    PROCESSES_TIMEOUT_MS,
  );

  it(
    "deletes a delivered request once it was kept for --keep-delivered",
    async () => {
      const { proc, agentUrl, secret, ids } = await relayWithFailedRequests(1, [
        "--keep-delivered",
        "1s",
      ]);
      const [q1] = ids as [string];
      const { app } = await recordingAgent(agentUrl, secret);
      expect((await queue("retry", q1)).code).toBe(0);
      const [delivered] = await app.count(1);
      expect(delivered?.head.origin === "queued" && delivered.head.queueId).toBe(q1);
      await proc.waitForLine(/^delivered requests deleted: their keep time is over count=1$/);
      expect(await listed()).toEqual({ items: [], total: 0 });
      expect(proc.stderr).toEqual([]);
    },
    PROCESSES_TIMEOUT_MS,
  );

  it(
    "refuses bad requests and states with one clear line, changing nothing",
    async () => {
      const { proc, ids } = await relayWithFailedRequests(2);
      const [q1, q2] = ids as [string, string];
      expect((await queue("retry", q1)).code).toBe(0);
      // Stopped, so that nothing but these commands could change the file (q1 stays pending).
      expect((await proc.stop("SIGTERM")).code).toBe(0);
      const before = await listed();
      expect(before.items.map((i) => i.state)).toEqual(["pending", "failed"]);

      const cases: [args: string[], exit: number, message: string][] = [
        [["retry", q2, "req_01NOPE"], 1, "no queued request req_01NOPE: nothing was changed"],
        [["retry", q1, q2], 1, `queued request ${q1} is pending, not failed: nothing was changed`],
        [
          ["retry", q2, "--endpoint", "elsewhere"],
          1,
          "endpoint elsewhere is not reserved: nothing was changed",
        ],
        [["drop", q2, "req_01NOPE"], 1, "no queued request req_01NOPE: nothing was changed"],
        [["retry"], 2, "usage: hooktap relay queue retry <id>… | --failed"],
        [["drop", q2, "--failed"], 2, "'queue drop' takes request ids or --failed, not both"],
        [["ls", "--state", "lost"], 2, "--state must be pending, failed or delivered, got 'lost'"],
        [["ls", "--endpoint", "Okta Dev"], 2, "--endpoint must be an endpoint name"],
        [["ls", "--endpoint", "elsewhere"], 1, "endpoint elsewhere is not reserved"],
        [["ls", "--limit", "0"], 2, "--limit must be an integer from 1 to 1000, got '0'"],
        [["ls", "--failed"], 2, "option '--failed' does not apply to 'hooktap relay queue ls'"],
        [["retry", "--failed", "--state", "failed"], 2, "option '--state' does not apply"],
        [["ls", "--endpoint"], 2, "option '--endpoint' needs a value"],
        [["ls", "--json=yes"], 2, "option '--json' takes no value"],
        [["ls", "--nope"], 2, "unknown option '--nope' for 'hooktap relay queue'"],
        [["ls", "stray"], 2, "unexpected argument 'stray' for 'hooktap relay queue ls'"],
        [["purge"], 2, "unknown queue action 'purge': use ls, retry or drop"],
        [[], 2, "'hooktap relay queue' needs an action: ls, retry or drop"],
      ];
      // In this process (the same command code on the same file): a dozen processes are slow.
      for (const [args, exit, message] of cases) {
        const io = createMemoryIo();
        const { exitCode } = await runCli(["relay", "queue", ...args, "--data", data], io);
        expect({ args, exitCode, out: io.out }).toEqual({ args, exitCode: exit, out: [] });
        expect(io.err).toHaveLength(1);
        expect(io.err[0]).toContain(message);
      }
      expect(await listed()).toEqual(before);
    },
    PROCESSES_TIMEOUT_MS,
  );

  it("refuses a missing or foreign --data file without creating or changing it", async () => {
    const missing = join(dir, "typo.db");
    const gone = await runNode([BIN, "relay", "queue", "ls", "--data", missing]);
    expect([gone.code, gone.stderr]).toEqual([
      1,
      [`hooktap: no relay database at ${missing} (give the file 'hooktap relay' uses with --data)`],
    ]);
    expect(existsSync(missing)).toBe(false);

    const foreign = join(dir, "notes.txt");
    writeFileSync(foreign, "not a database\n");
    for (const action of [["ls"], ["retry", "--failed"], ["drop", "--failed"]]) {
      const run = await runNode([BIN, "relay", "queue", ...action, "--data", foreign]);
      expect(run.code).toBe(1);
      expect(run.stderr).toEqual([`hooktap: ${foreign} is not a hooktap relay database`]);
    }
    expect(readFileSync(foreign, "utf8")).toBe("not a database\n");
  });
});
