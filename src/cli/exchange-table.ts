/**
 * Exchanges as text lines, like ngrok's request list: one line per exchange with fixed-width
 * columns (time, id, origin, method, target, status, duration, what Okta sees).
 */
import type { ExchangeSummary } from "../inspector/index.js";
import { clip } from "./text-table.js";

const COLUMNS = [
  ["TIME", 12],
  ["ID", 26],
  ["ORIGIN", 8],
  ["METHOD", 7],
  ["TARGET", 34],
  ["STATUS", 7],
  ["DURATION", 9],
] as const;

function cell(text: string, width: number): string {
  return clip(text, width).padEnd(width);
}

/** The header line of {@link exchangeLine}. */
export function exchangeHeader(): string {
  return [...COLUMNS.map(([name, width]) => cell(name, width)), "OKTA"].join("  ");
}

/**
 * `1234.5` → `1.23 s`, `16` → `16 ms`.
 *
 * @example
 * formatDuration(16.25); // "16 ms"
 */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "…";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function okta(summary: ExchangeSummary): string {
  const view = summary.okta;
  let text = "";
  if (view.kind === "delivery") text = view.eventTypes.join(", ");
  else if (view.kind === "verification") {
    text =
      view.answeredCorrectly === true
        ? "verification ok"
        : view.answeredCorrectly === false
          ? "verification FAILED"
          : "verification";
  }
  const errors = summary.lint.filter((finding) => finding.severity === "error");
  if (errors.length > 0)
    text += `${text === "" ? "" : "  "}! ${errors.map((e) => e.code).join(", ")}`;
  return text;
}

/**
 * One exchange as a table line.
 *
 * @example
 * exchangeLine(summary); // "13:04:05.123  01J…  live      POST     /hooks/okta   200      16 ms      user.lifecycle.create"
 */
export function exchangeLine(summary: ExchangeSummary): string {
  const time = new Date(summary.time);
  const clock = `${time.toTimeString().slice(0, 8)}.${String(time.getMilliseconds()).padStart(3, "0")}`;
  const status =
    summary.status !== null ? String(summary.status) : summary.state === "pending" ? "…" : "error";
  const values = [
    clock,
    summary.id,
    summary.origin,
    summary.method,
    summary.target,
    status,
    formatDuration(summary.durationMs),
  ];
  const cells = COLUMNS.map(([, width], i) => cell(values[i] ?? "", width));
  return [...cells, okta(summary)].join("  ").trimEnd();
}
