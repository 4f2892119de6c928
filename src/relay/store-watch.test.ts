import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../log/index.js";
import type { RelayStore } from "./store/index.js";
import { StoreWatch } from "./store-watch.js";

/** A store whose revision the test sets, or makes fail. */
function fakeStore() {
  const state = { revision: 0, failure: null as Error | null, reads: 0 };
  const readers: (() => void)[] = [];
  const store = {
    async revision() {
      state.reads++;
      for (const wake of readers.splice(0)) wake();
      if (state.failure !== null) throw state.failure;
      return state.revision;
    },
  } as unknown as RelayStore;
  /** Resolves after `n` more reads (each tick reads once). */
  const reads = async (n: number): Promise<void> => {
    const target = state.reads + n;
    while (state.reads < target) await new Promise<void>((wake) => readers.push(wake));
    // Let the tick that read finish its reaction.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { store, state, reads };
}

const watches: StoreWatch[] = [];
afterEach(async () => {
  await Promise.all(watches.splice(0).map((watch) => watch.close()));
});

async function watch(store: RelayStore, onChange: () => Promise<void>) {
  const logger = createMemoryLogger();
  const started = new StoreWatch({ store, intervalMs: 5, logger, onChange });
  watches.push(started);
  await started.start();
  return { watch: started, logs: logger.records };
}

describe("StoreWatch", () => {
  it("calls onChange once per change of the revision, never for an unchanged one", async () => {
    const fake = fakeStore();
    fake.state.revision = 7;
    let changes = 0;
    await watch(fake.store, async () => {
      changes++;
    });
    await fake.reads(3);
    expect(changes).toBe(0);
    fake.state.revision = 8;
    await fake.reads(3);
    expect(changes).toBe(1);
    fake.state.revision = 9;
    await fake.reads(2);
    expect(changes).toBe(2);
  });

  it("tries a failed reaction again at the next tick", async () => {
    const fake = fakeStore();
    let calls = 0;
    await watch(fake.store, async () => {
      calls++;
      if (calls === 1) throw new Error("store busy");
    });
    fake.state.revision = 1;
    await fake.reads(4);
    expect(calls).toBe(2);
  });

  it("logs a failing store once per outage, and goes on when it is back", async () => {
    const fake = fakeStore();
    let changes = 0;
    const { logs } = await watch(fake.store, async () => {
      changes++;
    });
    fake.state.failure = new Error("disk I/O error");
    await fake.reads(4);
    expect(logs).toEqual([
      expect.objectContaining({
        level: "warn",
        message: "relay store changes not checked",
        fields: { error: "disk I/O error" },
      }),
    ]);
    fake.state.failure = null;
    fake.state.revision = 1;
    await fake.reads(2);
    expect(changes).toBe(1);
    fake.state.failure = new Error("again");
    await fake.reads(2);
    expect(logs).toHaveLength(2);
  });

  it("stops reading once closed", async () => {
    const fake = fakeStore();
    const { watch: started } = await watch(fake.store, async () => {});
    await fake.reads(1);
    await started.close();
    const after = fake.state.reads;
    // Three intervals of another watch go by: the closed one read nothing meanwhile.
    const other = fakeStore();
    await watch(other.store, async () => {});
    await other.reads(3);
    expect(fake.state.reads).toBe(after);
  });
});
