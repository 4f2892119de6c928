/**
 * Durations on the command line: a whole number with a unit (`1500ms`, `90s`, `30m`, `24h`,
 * `7d`), so that nobody has to count the zeros of 86400000.
 */
import { UsageError } from "./errors.js";

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * `text` in milliseconds, or a {@link UsageError} naming `flag` (`hint`: the help to read).
 *
 * @example
 * parseDuration("24h", "--queue-ttl", "hooktap relay --help"); // 86400000
 */
export function parseDuration(text: string, flag: string, hint: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  const unit = UNITS[match?.[2] ?? ""];
  const ms = match === null || unit === undefined ? Number.NaN : Number(match[1]) * unit;
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new UsageError(
      `${flag} must be a duration such as 90s, 30m, 24h or 7d, got '${text}'`,
      hint,
    );
  }
  return ms;
}
