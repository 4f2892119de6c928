/**
 * The contract every {@link CaptureStore} passes, run by each implementation's test file:
 * `runCaptureStoreContract("sqlite", (options) => openSqliteCaptureStore(":memory:", options))`.
 * The tests themselves are in capture-store-writes.case.ts, capture-store-reads.case.ts and
 * capture-store-filters.case.ts.
 * Not part of the build (`*.case.ts`).
 */
import { afterEach, describe } from "vitest";
import { describeFilterContract } from "./capture-store-filters.case.js";
import { describeReadContract } from "./capture-store-reads.case.js";
import { describeWriteContract } from "./capture-store-writes.case.js";
import type { CaptureStore, CaptureStoreOptions } from "./store.js";

/**
 * Defines the contract tests of a capture store. `open` returns a new, empty store each call;
 * the suite closes every store it opened.
 */
export function runCaptureStoreContract(
  name: string,
  open: (options?: CaptureStoreOptions) => CaptureStore,
): void {
  describe(`${name}: CaptureStore contract`, () => {
    const opened: CaptureStore[] = [];
    function store(options?: CaptureStoreOptions): CaptureStore {
      const s = open(options);
      opened.push(s);
      return s;
    }
    afterEach(() => {
      for (const s of opened.splice(0)) s.close();
    });
    describeWriteContract(store);
    describeReadContract(store);
    describeFilterContract(store);
  });
}
