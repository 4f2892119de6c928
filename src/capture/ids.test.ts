import { describe, expect, it } from "vitest";
import {
  createExchangeIdGenerator,
  EXCHANGE_ID_LENGTH,
  exchangeIdTime,
  newExchangeId,
  pooledRandomBytes,
} from "./ids.js";

const T = 1_717_000_000_123;
const FORMAT = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe("exchange ids", () => {
  it("are 26 Crockford base32 characters", () => {
    const id = newExchangeId();
    expect(id).toMatch(FORMAT);
    expect(id).toHaveLength(EXCHANGE_ID_LENGTH);
  });

  it("encode their millisecond time, readable with exchangeIdTime", () => {
    const next = createExchangeIdGenerator();
    expect(exchangeIdTime(next(T))).toBe(T);
    expect(exchangeIdTime(next(T + 5.9))).toBe(T + 5);
    expect(exchangeIdTime(createExchangeIdGenerator()(0))).toBe(0);
    expect(exchangeIdTime("not-an-id")).toBeNull();
    expect(exchangeIdTime("01hzzzzzzzzzzzzzzzzzzzzzzz")).toBeNull();
  });

  it("sort by time across milliseconds, whatever the randomness", () => {
    const next = createExchangeIdGenerator();
    const ids = Array.from({ length: 200 }, (_, i) => next(T + i * 7));
    expect([...ids].sort()).toEqual(ids);
  });

  it("strictly increase within one millisecond", () => {
    const next = createExchangeIdGenerator();
    const ids = Array.from({ length: 1000 }, () => next(T));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it("keep increasing when the clock steps back", () => {
    const next = createExchangeIdGenerator();
    const a = next(T);
    const b = next(T - 10_000);
    expect(b > a).toBe(true);
    expect(exchangeIdTime(b)).toBe(T);
  });

  it("carry through the random part, and past its overflow", () => {
    const next = createExchangeIdGenerator(() => new Uint8Array(10).fill(255));
    const first = next(T);
    expect(first.slice(10)).toBe("ZZZZZZZZZZZZZZZZ");
    const second = next(T);
    expect(second > first).toBe(true);
    expect(exchangeIdTime(second)).toBe(T + 1);
  });

  it("are deterministic with injected randomness", () => {
    const zeros = () => new Uint8Array(10);
    expect(createExchangeIdGenerator(zeros)(T)).toBe(createExchangeIdGenerator(zeros)(T));
    expect(createExchangeIdGenerator(zeros)(T).slice(10)).toBe("0000000000000000");
  });

  it("from newExchangeId increase across calls", () => {
    const ids = Array.from({ length: 100 }, () => newExchangeId());
    expect([...ids].sort()).toEqual(ids);
  });

  it("draw their randomness from a pool that refills: distinct draws across many refills", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const bytes = pooledRandomBytes(10);
      expect(bytes.byteLength).toBe(10);
      seen.add(Buffer.from(bytes).toString("hex"));
    }
    // 2,000 draws of 80 bits span five pool refills; a repeat would mean a reused pool.
    expect(seen.size).toBe(2000);
    expect(pooledRandomBytes(5000).byteLength).toBe(5000);
  });
});
