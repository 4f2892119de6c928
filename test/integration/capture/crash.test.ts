/**
 * "A crash loses at most the turn it interrupts": a real process writes capture turns (the
 * SQLite store commits each event-loop turn's writes as one transaction) and dies by SIGKILL.
 * Reopening the file must find every turn whose commit the process saw, and nothing of a turn
 * it was killed in: turns are all or nothing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSqliteCaptureStore } from "../../../src/capture/index.js";
import { spawnNode, stopAllProcesses } from "../../helpers/process.js";
import { type TranspiledComponents, transpileComponents } from "../../helpers/transpile.js";

const CHILD = join("test", "integration", "capture", "capture-child.mjs");
const PER_TURN = 20;

describe("capture store across SIGKILL", () => {
  let built: TranspiledComponents;
  let dir: string;

  beforeAll(() => {
    built = transpileComponents("capture", ["capture", "sqlite", "okta", "http", "log"]);
  });
  afterAll(async () => {
    await built.remove();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hooktap-capture-kill-"));
  });
  afterEach(async () => {
    await stopAllProcesses();
    await rm(dir, { recursive: true, force: true });
  });

  function spawnWriter(mode: "turns" | "forever", path: string) {
    return spawnNode([CHILD], {
      env: {
        CAPTURE_MODULE: built.entryUrl("capture"),
        CAPTURE_PATH: path,
        MODE: mode,
        TURNS: "3",
        PER_TURN: String(PER_TURN),
      },
    });
  }

  it("keeps every committed turn and loses exactly the turn the process died in", async () => {
    const path = join(dir, "capture.db");
    const child = spawnWriter("turns", path);
    const exit = await child.exited;
    expect(exit.signal, child.stderr.join("\n")).toBe("SIGKILL");
    const committed = child.stdout
      .filter((line) => line.startsWith("committed "))
      .flatMap((line) => line.split(" ").slice(2));
    const lost = (child.stdout.find((line) => line.startsWith("uncommitted ")) ?? "")
      .split(" ")
      .slice(1);
    expect(committed).toHaveLength(3 * PER_TURN);
    expect(lost).toHaveLength(PER_TURN);

    const store = openSqliteCaptureStore(path);
    try {
      for (const id of committed) expect(store.get(id)?.id).toBe(id);
      for (const id of lost) expect(store.get(id)).toBeNull();
      expect(store.count()).toBe(3 * PER_TURN);
      // Whether or not the process lived to write their derived index, a search finds them.
      expect(store.list({ text: "turn 2", limit: 100 }).items).toHaveLength(PER_TURN);
    } finally {
      store.close();
    }
  });

  it("never leaves part of a turn, wherever the kill lands", async () => {
    const path = join(dir, "capture.db");
    const child = spawnWriter("forever", path);
    await child.waitForLine(/^committed 5$/, { timeoutMs: 30_000 });
    await child.stop("SIGKILL");
    const seen = child.stdout.filter((line) => line.startsWith("committed ")).length;
    const store = openSqliteCaptureStore(path);
    try {
      const count = store.count();
      expect(count % PER_TURN).toBe(0);
      // Every turn the process saw committed is there; at most the one after it too.
      expect(count / PER_TURN).toBeGreaterThanOrEqual(seen);
      expect(count / PER_TURN).toBeLessThanOrEqual(seen + 1);
    } finally {
      store.close();
    }
  });
});
