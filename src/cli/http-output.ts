/**
 * Where `hooktap http` shows what happens: an ngrok-like panel redrawn in the terminal's
 * alternate screen (at most 10 times a second), plain lines for logs and pipes, or JSON lines
 * for scripts (`--log json`). Rendering itself is pure (http-panel.ts); this file owns timing
 * and the terminal.
 */
import type { Agent, AgentErrorInfo, AgentExchange, AgentStateChange } from "../agent/index.js";
import {
  formatExchange,
  PANEL_RECENT_EXCHANGES,
  type PanelView,
  renderPanel,
  stateText,
} from "./http-panel.js";
import type { CliIo } from "./io.js";

/** How events are shown. */
export type OutputMode = "panel" | "lines" | "json";

/** What `hooktap http` prints once everything listens. */
export interface StartedInfo {
  endpoint: string;
  publicUrls: readonly string[];
  upstream: string;
  inspectorUrl: string | null;
  inspectorPort: number | null;
  /** The embedded relay's base URL and port; null with `--relay`. */
  relayUrl: string | null;
  relayPort: number | null;
  /** Where the agent connects. */
  agentUrl: string;
  dataDir: string;
}

/** Options of {@link TunnelOutput}. */
export interface TunnelOutputOptions {
  mode: OutputMode;
  version: string;
  /** "embedded, http://127.0.0.1:8080" or the remote relay. */
  relayLabel: string;
  inspectorUrl: string | null;
  /** Terminal columns, read at each redraw. */
  width: () => number;
  color: boolean;
}

const MIN_REDRAW_INTERVAL_MS = 100;
/** Rates and the open count change without events; the panel refreshes this often anyway. */
const IDLE_REDRAW_MS = 1000;
const ENTER_ALT_SCREEN = "\u001b[?1049h\u001b[?25l";
const LEAVE_ALT_SCREEN = "\u001b[?25h\u001b[?1049l";

/**
 * Shows one agent's events.
 *
 * @example
 * const output = new TunnelOutput(io, { mode: "json", … });
 * output.attach(agent);
 * output.started(info);
 * output.close();
 */
export class TunnelOutput {
  readonly #io: CliIo;
  readonly #options: TunnelOutputOptions;
  #agent: Agent | undefined;
  #recent: AgentExchange[] = [];
  #last: Pick<PanelView, "reason" | "retryInMs"> = { reason: null, retryInMs: null };
  #notice: string | null = null;
  #timer: NodeJS.Timeout | undefined;
  #idle: NodeJS.Timeout | undefined;
  #lastDraw = 0;
  #closed = false;

  readonly #onState = (change: AgentStateChange): void => {
    this.#last = { reason: change.reason, retryInMs: change.retryInMs };
    switch (this.#options.mode) {
      case "panel":
        this.#schedule();
        break;
      case "json":
        this.#json({
          event: "state",
          state: change.state,
          previous: change.previous,
          reason: change.reason,
          retryInMs: change.retryInMs,
          publicUrls: change.publicUrls,
        });
        break;
      case "lines": {
        if (change.state === "connecting" && change.reason === null) break;
        const where =
          change.state === "online"
            ? `: ${change.publicUrls.join(", ")} -> ${this.#agent?.upstream ?? ""}`
            : "";
        this.#io.stdout(`tunnel ${stateText(change)}${where}`);
        break;
      }
    }
  };

  readonly #onExchange = (exchange: AgentExchange): void => {
    this.#recent = [exchange, ...this.#recent].slice(0, PANEL_RECENT_EXCHANGES);
    switch (this.#options.mode) {
      case "panel":
        this.#schedule();
        break;
      case "json":
        this.#json({ event: "exchange", ...exchange });
        break;
      case "lines":
        this.#io.stdout(formatExchange(exchange));
        break;
    }
  };

  readonly #onError = (error: AgentErrorInfo): void => {
    this.#notice = error.message;
    switch (this.#options.mode) {
      case "panel":
        this.#schedule();
        break;
      case "json":
        this.#json({ event: "error", ...error });
        break;
      case "lines":
        this.#io.stderr(`warn: ${error.message}`);
        break;
    }
  };

  constructor(io: CliIo, options: TunnelOutputOptions) {
    this.#io = io;
    this.#options = options;
  }

  /** Starts showing `agent`'s events (the panel takes over the screen now). */
  attach(agent: Agent): void {
    this.#agent = agent;
    agent.on("state", this.#onState);
    agent.on("exchange", this.#onExchange);
    agent.on("error", this.#onError);
    if (this.#options.mode === "panel") {
      this.#io.stdout(ENTER_ALT_SCREEN);
      this.#draw();
      this.#idle = setInterval(() => this.#schedule(), IDLE_REDRAW_MS);
      this.#idle.unref();
    }
  }

  /** Announces the URLs and ports once everything listens. */
  started(info: StartedInfo): void {
    if (this.#options.mode === "panel") {
      this.#schedule();
      return;
    }
    if (this.#options.mode === "json") {
      this.#json({ event: "started", ...info });
      return;
    }
    const urls = info.publicUrls.length === 0 ? ["(waiting for the relay)"] : info.publicUrls;
    for (const url of urls) this.#io.stdout(`Forwarding     ${url} -> ${info.upstream}`);
    this.#io.stdout(`Web Interface  ${info.inspectorUrl ?? "disabled (--no-inspect)"}`);
    this.#io.stdout(`Relay          ${this.#options.relayLabel}`);
    this.#io.stdout("Press Ctrl-C to stop.");
  }

  /** Stops showing events; the panel gives the screen back and leaves a summary line. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#idle);
    const agent = this.#agent;
    if (agent !== undefined) {
      agent.off("state", this.#onState);
      agent.off("exchange", this.#onExchange);
      agent.off("error", this.#onError);
    }
    const total = agent?.stats.total ?? 0;
    if (this.#options.mode === "panel") {
      this.#io.stdout(LEAVE_ALT_SCREEN);
      this.#io.stdout(`hooktap http: stopped after ${total} request${total === 1 ? "" : "s"}`);
    } else if (this.#options.mode === "json") {
      this.#json({ event: "stopped", total });
    }
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastDraw + MIN_REDRAW_INTERVAL_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#draw();
    }, wait);
  }

  #draw(): void {
    const agent = this.#agent;
    if (this.#closed || agent === undefined) return;
    this.#lastDraw = performance.now();
    const view: PanelView = {
      version: this.#options.version,
      state: agent.state,
      reason: this.#last.reason,
      retryInMs: this.#last.retryInMs,
      publicUrls: agent.publicUrls,
      upstream: agent.upstream,
      inspectorUrl: this.#options.inspectorUrl,
      relay: this.#options.relayLabel,
      stats: agent.stats,
      recent: this.#recent,
      notice: this.#notice,
    };
    const panel = renderPanel(view, { width: this.#options.width(), color: this.#options.color });
    // Home, each line cleared to its end, then everything below cleared: no flicker.
    this.#io.stdout(`\u001b[H${panel.split("\n").join("\u001b[K\n")}\u001b[K\u001b[J`);
  }

  #json(record: Record<string, unknown>): void {
    this.#io.stdout(JSON.stringify({ time: new Date().toISOString(), ...record }));
  }
}
