/**
 * Endpoint reservation is atomic across processes sharing one SQLite file: four real processes,
 * each with its own token, race for the same names after a common start signal; every name
 * must end with exactly one owner, and every process must agree on who it is.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AgentToken, openSqliteRelayStore } from "../../../src/relay/store/index.js";
import { REPO_ROOT } from "../../helpers/process.js";
import { type CompiledStore, compileRelayStore } from "./compile-store.js";

const CHILD = join(REPO_ROOT, "test", "integration", "relay-store", "store-child.mjs");
const PROCESSES = 4;
const NAMES = Array.from({ length: 150 }, (_, i) => `race-${i}`);

interface Racer {
  child: ChildProcess;
  lines: string[];
  ready: Promise<void>;
  exited: Promise<number | null>;
}

function startRacer(env: Record<string, string>): Racer {
  const child = spawn(process.execPath, [CHILD], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    if (line === "ready") markReady();
  });
  createInterface({ input: child.stderr }).on("line", (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  // A child that dies before "ready" must fail the test, not hang it.
  const readyOrDead = Promise.race([
    ready,
    exited.then((code) => {
      throw new Error(`child exited (${code}) before ready:\n${stderr.join("\n")}`);
    }),
  ]);
  return { child, lines, ready: readyOrDead, exited };
}

describe("relay store across processes", () => {
  let compiled: CompiledStore;
  let dir: string;
  const racers: Racer[] = [];

  beforeAll(async () => {
    compiled = compileRelayStore();
    dir = await mkdtemp(join(tmpdir(), "hooktap-relay-race-"));
  });
  afterEach(() => {
    for (const racer of racers.splice(0)) {
      if (racer.child.exitCode === null && racer.child.signalCode === null)
        racer.child.kill("SIGKILL");
    }
  });
  afterAll(async () => {
    await compiled.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives every name to exactly one of several processes racing for it", async () => {
    const path = join(dir, "relay.db");
    const setup = await openSqliteRelayStore(path);
    const tokens: AgentToken[] = [];
    for (let i = 0; i < PROCESSES; i += 1) {
      tokens.push((await setup.createToken(`racer-${i}`)).token);
    }
    await setup.close();

    for (const [i, token] of tokens.entries()) {
      const order = i % 2 === 0 ? NAMES : [...NAMES].reverse();
      racers.push(
        startRacer({
          STORE_MODULE: compiled.moduleUrl,
          STORE_PATH: path,
          MODE: "reserve",
          TOKEN_ID: token.id,
          NAMES: order.join(","),
        }),
      );
    }
    await Promise.all(racers.map((r) => r.ready));
    for (const racer of racers) racer.child.stdin?.end("go\n");
    expect(await Promise.all(racers.map((r) => r.exited))).toEqual(racers.map(() => 0));

    const store = await openSqliteRelayStore(path);
    try {
      for (const name of NAMES) {
        const claims = racers.flatMap((racer, i) =>
          racer.lines.filter((line) => line === `reserved ${name}`).map(() => tokens[i]?.id),
        );
        expect(claims, name).toHaveLength(1);
        expect((await store.endpointOwner(name))?.tokenId).toBe(claims[0]);
        const taken = racers.filter((racer) => racer.lines.includes(`taken ${name}`));
        expect(taken).toHaveLength(PROCESSES - 1);
      }
    } finally {
      await store.close();
    }
  });
});
