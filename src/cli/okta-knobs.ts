/**
 * The delivery knobs as `hooktap okta` / `hooktap dev` flags: batching, quota and chaos.
 */
import type { DeliveryKnobs } from "../emulator/index.js";
import type { CommandOption, ParsedFlags } from "./command.js";
import { UsageError } from "./errors.js";

/** The flags. */
export const DELIVERY_KNOB_OPTIONS: Readonly<Record<string, CommandOption>> = {
  "batch-window": {
    type: "string",
    valueName: "ms",
    description: "Events for a hook within this window share one request; 0 sends each at once",
    default: "1000 (or the value set through /api/v1/hooktap/settings)",
  },
  "max-batch": {
    type: "string",
    valueName: "n",
    description: "The most events in one request",
    default: "50",
  },
  quota: {
    type: "string",
    valueName: "n",
    description: "Events delivered per 24 h before the org refuses more (Okta: 400000)",
    default: "400000",
  },
  duplicates: {
    type: "string",
    valueName: "rate",
    description: "Share of deliveries sent twice, 0 to 1: test your de-duplication",
    default: "0",
  },
  reorder: {
    type: "string",
    valueName: "ms",
    description: "Hold deliveries for this window and release them shuffled: test ordering",
    default: "0 (off)",
  },
  delay: {
    type: "string",
    valueName: "min-max",
    description: "Delay each delivery by a random time in this range of ms, e.g. 100-2000",
  },
};

/**
 * The knobs the flags set (only those given).
 *
 * @throws {UsageError} naming the flag.
 */
export function knobsFromFlags(flags: ParsedFlags, help: string): DeliveryKnobs {
  const knobs: DeliveryKnobs = {};
  const chaos: NonNullable<DeliveryKnobs["chaos"]> = {};
  const int = (name: string, min: number): number | undefined => {
    const text = flags[name];
    if (typeof text !== "string") return undefined;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && Number.isSafeInteger(value))) {
      throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${text}'`, help);
    }
    return value;
  };
  const window = int("batch-window", 0);
  if (window !== undefined) knobs.batchWindowMs = window;
  const max = int("max-batch", 1);
  if (max !== undefined) knobs.maxBatchEvents = max;
  const quota = int("quota", 0);
  if (quota !== undefined) knobs.dailyQuota = quota;
  if (typeof flags.duplicates === "string") {
    const rate = /^(0|1|0?\.\d+|1\.0*)$/.test(flags.duplicates)
      ? Number(flags.duplicates)
      : Number.NaN;
    if (!(rate >= 0 && rate <= 1)) {
      throw new UsageError(
        `--duplicates must be a number from 0 to 1, got '${flags.duplicates}'`,
        help,
      );
    }
    chaos.duplicateRate = rate;
  }
  const reorder = int("reorder", 0);
  if (reorder !== undefined) chaos.reorder = reorder;
  if (typeof flags.delay === "string") {
    const match = /^(\d+)-(\d+)$/.exec(flags.delay);
    const [min, max] = [Number(match?.[1]), Number(match?.[2])];
    if (match === null || min > max) {
      throw new UsageError(
        `--delay must be min-max in ms with min ≤ max, e.g. 100-2000, got '${flags.delay}'`,
        help,
      );
    }
    chaos.delayMs = [min, max];
  }
  if (Object.keys(chaos).length > 0) knobs.chaos = chaos;
  return knobs;
}
