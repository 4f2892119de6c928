/**
 * What `hooktap http` shows: the ngrok-like status panel for a terminal, and the one-line
 * forms of the same events for logs. Pure functions of a {@link PanelView}: no I/O, no clock,
 * so every screen is unit-tested as a string.
 */
import { STATUS_CODES } from "node:http";
import type { AgentExchange, AgentState, AgentStats } from "../agent/index.js";
import { clip } from "./text-table.js";

/** Everything the panel shows. */
export interface PanelView {
  version: string;
  state: AgentState;
  /** Why the state is what it is (offline, closed). */
  reason: string | null;
  /** With `offline`: the wait before the next attempt. */
  retryInMs: number | null;
  publicUrls: readonly string[];
  upstream: string;
  /** null with `--no-inspect`. */
  inspectorUrl: string | null;
  /** "embedded, http://127.0.0.1:8080" or the remote relay's URL. */
  relay: string;
  stats: AgentStats;
  /** The latest exchanges, newest first. */
  recent: readonly AgentExchange[];
  /** The last trouble that is not a state (a capture write failed…). */
  notice: string | null;
}

/** How to draw. */
export interface PanelStyle {
  /** Terminal columns; lines are cut to fit. */
  width: number;
  /** ANSI colours for the state. */
  color: boolean;
}

const LABEL_WIDTH = 30;
/** How many exchanges the panel lists. */
export const PANEL_RECENT_EXCHANGES = 10;

const COLORS: Record<AgentState, string> = {
  online: "\u001b[32m",
  connecting: "\u001b[33m",
  offline: "\u001b[31m",
  closed: "\u001b[31m",
};
const RESET = "\u001b[0m";

/**
 * The session status as a phrase: `online`, `reconnecting in 1.2 s (connect ECONNREFUSED …)`.
 *
 * @example
 * stateText({ state: "offline", reason: "no heartbeat for 30 s", retryInMs: 800 });
 * // "reconnecting in 0.8 s (no heartbeat for 30 s)"
 */
export function stateText(view: Pick<PanelView, "state" | "reason" | "retryInMs">): string {
  const why = view.reason === null ? "" : ` (${view.reason})`;
  switch (view.state) {
    case "online":
      return "online";
    case "connecting":
      return `connecting${why}`;
    case "offline":
      return view.retryInMs === null
        ? `offline${why}`
        : `reconnecting in ${(view.retryInMs / 1000).toFixed(1)} s${why}`;
    case "closed":
      return `closed${why}`;
  }
}

/**
 * An exchange in one line: `POST /userCreated  200 OK  12 ms`, with its origin when not live.
 *
 * @example
 * formatExchange(exchange, 60); // "POST /userCreated                       200 OK           12 ms"
 */
export function formatExchange(exchange: AgentExchange, targetWidth = 40): string {
  const request = clip(`${exchange.method} ${exchange.target}`, targetWidth).padEnd(targetWidth);
  const status =
    exchange.status === null
      ? `-- ${exchange.error?.code ?? "no response"}`
      : exchange.error !== null
        ? `${exchange.status} ${exchange.error.code}`
        : `${exchange.status} ${STATUS_CODES[exchange.status] ?? ""}`.trimEnd();
  const tags = [
    exchange.origin === "live" ? "" : exchange.origin,
    exchange.edgeReason !== null && exchange.edgeReason !== exchange.origin
      ? exchange.edgeReason
      : "",
  ].filter((tag) => tag !== "");
  const suffix = tags.length === 0 ? "" : `  [${tags.join(": ")}]`;
  return `${request} ${clip(status, 24).padEnd(24)} ${formatMs(exchange.durationMs).padStart(8)}${suffix}`;
}

/**
 * `12 ms`, `1.25 s`.
 *
 * @example
 * formatMs(1250); // "1.25 s"
 */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * The status panel, redrawn whole on each change.
 *
 * @example
 * io.stdout(`\u001b[H${renderPanel(view, { width: 100, color: true })}\u001b[J`);
 */
export function renderPanel(view: PanelView, style: PanelStyle): string {
  const status = stateText(view);
  const colored = style.color ? `${COLORS[view.state]}${status}${RESET}` : status;
  const forwarding =
    view.publicUrls.length === 0
      ? [`(waiting for the relay) -> ${view.upstream}`]
      : view.publicUrls.map((url) => `${url} -> ${view.upstream}`);
  const s = view.stats;
  const rows: [string, string][] = [
    ["Session Status", colored],
    ["Version", view.version],
    ["Relay", view.relay],
    ["Web Interface", view.inspectorUrl ?? "disabled (--no-inspect)"],
    ...forwarding.map((line, i): [string, string] => [i === 0 ? "Forwarding" : "", line]),
  ];
  const columns = ["ttl", "opn", "rt1", "rt5", "p50", "p90"];
  const values = [
    String(s.total),
    String(s.open),
    s.rate1.toFixed(2),
    s.rate5.toFixed(2),
    formatMs(s.p50Ms),
    formatMs(s.p90Ms),
  ];
  const lines = [
    `hooktap${" ".repeat(Math.max(1, Math.min(style.width, 80) - 7 - 16))}(Ctrl+C to quit)`,
    "",
    ...rows.map(([label, value]) => `${label.padEnd(LABEL_WIDTH)}${value}`),
    "",
    `${"Connections".padEnd(LABEL_WIDTH)}${columns.map((c) => c.padEnd(9)).join("")}`,
    `${"".padEnd(LABEL_WIDTH)}${values.map((v) => v.padEnd(9)).join("")}`,
    "",
    "HTTP Requests",
    "-------------",
    "",
    ...view.recent.slice(0, PANEL_RECENT_EXCHANGES).map((e) => formatExchange(e)),
  ];
  if (view.notice !== null) lines.push("", `! ${view.notice}`);
  return lines.map((line) => truncateAnsi(line, style.width)).join("\n");
}

/** Cuts plain text to `width` characters, marking the cut with `…`. */
/** Like {@link clip}, for lines that may hold ANSI colour codes (which take no columns). */
function truncateAnsi(line: string, width: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
  const visible = line.replace(/\u001b\[[0-9;]*m/g, "");
  if (visible.length <= width) return line;
  return clip(visible, width);
}
