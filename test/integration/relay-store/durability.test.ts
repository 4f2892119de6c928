/**
 * "A relay killed with SIGKILL and restarted loses nothing it acknowledged": a real process
 * enqueues requests and prints each id once its promise resolved; it is killed with SIGKILL
 * mid-stream, twice (the second run starts on the crashed file); reopening the file must find
 * every printed request, byte for byte, in the order they were acknowledged.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSqliteRelayStore } from "../../../src/relay/store/index.js";
import { spawnNode, stopAllProcesses } from "../../helpers/process.js";
import { type CompiledStore, compileRelayStore } from "./compile-store.js";

const CHILD = join("test", "integration", "relay-store", "store-child.mjs");
/** Acknowledgements to wait for before each kill. */
const ACKS_PER_RUN = 300;

interface Ack {
  index: number;
  id: string;
  sha256: string;
  length: number;
}

function headersFor(i: number): [string, string][] {
  return [
    ["Host", "relay.example"],
    ["X-Seq", String(i)],
    ["x-seq", `dup-${i}`],
    ["Content-Type", "application/octet-stream"],
  ];
}

function parseAcks(lines: readonly string[]): Ack[] {
  return lines.flatMap((line) => {
    const match = /^ok (\d+) (\S+) ([0-9a-f]{64}) (\d+)$/.exec(line);
    if (match === null) return [];
    return [
      {
        index: Number(match[1]),
        id: match[2] ?? "",
        sha256: match[3] ?? "",
        length: Number(match[4]),
      },
    ];
  });
}

describe("relay store durability across SIGKILL", () => {
  let compiled: CompiledStore;
  let dir: string;

  beforeAll(() => {
    compiled = compileRelayStore();
  });
  afterAll(async () => {
    await compiled.remove();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hooktap-relay-kill-"));
  });
  afterEach(async () => {
    await stopAllProcesses();
    await rm(dir, { recursive: true, force: true });
  });

  it("finds every acknowledged request, byte-exact and in order, after two SIGKILLs", async () => {
    const path = join(dir, "state", "relay.db");
    const setup = await openSqliteRelayStore(path);
    const { token } = await setup.createToken("laptop");
    await setup.reserveEndpoint("okta-dev", token.id);
    await setup.close();

    const acks: Ack[] = [];
    for (const start of [0, 100_000]) {
      const child = spawnNode([CHILD], {
        env: {
          STORE_MODULE: compiled.moduleUrl,
          STORE_PATH: path,
          MODE: "enqueue",
          ENDPOINT: "okta-dev",
          START: String(start),
        },
      });
      await child.waitForLine(new RegExp(`^ok ${start + ACKS_PER_RUN} `), { timeoutMs: 15_000 });
      const exit = await child.stop("SIGKILL");
      expect(exit.signal).toBe("SIGKILL");
      const run = parseAcks(child.stdout);
      expect(run.length).toBeGreaterThan(ACKS_PER_RUN);
      acks.push(...run);
    }

    // The file is sound after the crashes (checked before the store's open replays anything).
    const check = new Database(path);
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    check.close();

    const store = await openSqliteRelayStore(path);
    try {
      const pending = await store.pending("okta-dev");
      // Acknowledged requests come first, in order; at most one per run was committed but
      // killed before its line was printed.
      const acked = new Set(acks.map((a) => a.id));
      expect(pending.filter((p) => acked.has(p.id)).map((p) => p.id)).toEqual(
        acks.map((a) => a.id),
      );
      expect(pending.length - acks.length).toBeGreaterThanOrEqual(0);
      expect(pending.length - acks.length).toBeLessThanOrEqual(2);
      for (const ack of acks) {
        const item = await store.get(ack.id);
        expect(item, ack.id).not.toBeNull();
        expect(item?.body.byteLength).toBe(ack.length);
        expect(
          createHash("sha256")
            .update(item?.body ?? new Uint8Array())
            .digest("hex"),
        ).toBe(ack.sha256);
        expect(item?.rawHeaders).toEqual(headersFor(ack.index));
        expect(item?.target).toBe(`/events/${ack.index}`);
        expect(item?.state).toBe("pending");
      }
    } finally {
      await store.close();
    }
  });
});
