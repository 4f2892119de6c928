import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  BACKLOG,
  BUSY_INTERVAL_MS,
  BUSY_SLICE_MS,
  IDLE_MS,
  IDLE_SLICE_MS,
  type IndexWork,
  startIndexSchedule,
} from "./sqlite-index-schedule.js";

let clock = 0;

beforeEach(() => {
  clock = 0;
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Work that indexes `perSlice` exchanges per slice out of `pending`, recording each budget. */
function work(pending: number, perSlice = 10) {
  const slices: number[] = [];
  const errors: unknown[] = [];
  const state = { pending };
  const w: IndexWork = {
    slice(budgetMs) {
      slices.push(budgetMs);
      state.pending = Math.max(0, state.pending - perSlice);
      return state.pending;
    },
    pending: () => state.pending,
    onError: (error) => errors.push(error),
  };
  return { w, slices, errors, state };
}

function advance(ms: number): void {
  clock += ms;
  vi.advanceTimersByTime(ms);
}

describe("the derived index schedule", () => {
  it("indexes what an earlier store left, once idle, slice after slice until none is left", () => {
    const { w, slices, state } = work(35);
    const schedule = startIndexSchedule(w, 35, () => clock);
    advance(IDLE_MS - 1);
    expect(slices).toEqual([]);
    advance(1);
    vi.runAllTimers();
    expect(slices).toEqual([IDLE_SLICE_MS, IDLE_SLICE_MS, IDLE_SLICE_MS, IDLE_SLICE_MS]);
    expect(state.pending).toBe(0);
    schedule.stop();
  });

  it("waits while writes keep coming below the backlog, then indexes once they stop", () => {
    const { w, slices, state } = work(0);
    const schedule = startIndexSchedule(w, 0, () => clock);
    for (let i = 0; i < 20; i++) {
      state.pending++;
      schedule.wrote();
      advance(IDLE_MS / 2);
    }
    expect(slices).toEqual([]);
    advance(IDLE_MS);
    vi.runAllTimers();
    expect(slices.length).toBeGreaterThan(0);
    expect(slices.every((s) => s === IDLE_SLICE_MS)).toBe(true);
    expect(state.pending).toBe(0);
    schedule.stop();
  });

  it("under load with a backlog, runs a short slice every busy interval (a small duty cycle)", () => {
    const { w, slices, state } = work(BACKLOG + 500, 1);
    const schedule = startIndexSchedule(w, BACKLOG + 500, () => clock);
    for (let t = 0; t < 10 * BUSY_INTERVAL_MS; t += 5) {
      state.pending++;
      schedule.wrote();
      advance(5);
    }
    expect(slices.length).toBeGreaterThanOrEqual(9);
    expect(slices.length).toBeLessThanOrEqual(11);
    expect(slices.every((s) => s === BUSY_SLICE_MS)).toBe(true);
    schedule.stop();
  });

  it("reports a failing slice and tries again only after the next write", () => {
    const { w, errors, slices, state } = work(5);
    let fail = true;
    const slice = w.slice;
    w.slice = (budget) => {
      if (fail) throw new Error("disk I/O error");
      return slice(budget);
    };
    const schedule = startIndexSchedule(w, 5, () => clock);
    advance(IDLE_MS);
    vi.runAllTimers();
    expect(errors).toEqual([new Error("disk I/O error")]);
    expect(vi.getTimerCount()).toBe(0);
    expect(slices).toEqual([]);
    fail = false;
    schedule.wrote();
    advance(IDLE_MS);
    vi.runAllTimers();
    expect(errors).toHaveLength(1);
    expect(slices.length).toBeGreaterThan(0);
    expect(state.pending).toBe(0);
    schedule.stop();
  });

  it("stops: no timer is left and no slice runs after stop()", () => {
    const { w, slices } = work(5);
    const schedule = startIndexSchedule(w, 5, () => clock);
    schedule.stop();
    schedule.wrote();
    expect(vi.getTimerCount()).toBe(0);
    advance(10 * IDLE_MS);
    expect(slices).toEqual([]);
  });
});
