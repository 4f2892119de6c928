/**
 * A real inspector for the API tests: a SQLite capture store in a temporary directory, a local
 * app on 127.0.0.1:0 that the tunnel forwards to, the agent's replayer, and the inspector on
 * 127.0.0.1:0 over them. Exchanges are seeded as the agent records them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createReplayer } from "../../src/agent/index.js";
import {
  type CaptureStore,
  type Exchange,
  newExchangeId,
  openSqliteCaptureStore,
} from "../../src/capture/index.js";
import {
  type Inspector,
  type InspectorOptions,
  type SourceStatus,
  startInspector,
} from "../../src/inspector/index.js";
import { syntheticDelivery } from "./receiver-fixtures.js";
import { type AppHandler, startUpstreamApp, type UpstreamApp } from "./upstream-app.js";

/** An answer of the API. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
}

/** Options of {@link InspectorHarness.api}. */
export interface ApiOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is. */
  body?: string | Buffer;
  /** Extra headers; `Host` defaults to the inspector's own. */
  headers?: Record<string, string>;
}

/** A running inspector with its store and app; `close()` it in `afterEach`. */
export interface InspectorHarness {
  readonly inspector: Inspector;
  readonly store: CaptureStore;
  readonly app: UpstreamApp;
  /** `127.0.0.1:<port>`, the inspector's own Host. */
  readonly host: string;
  api(method: string, path: string, options?: ApiOptions): Promise<ApiAnswer>;
  /** Inserts a finished live delivery of `eventTypes`, as the agent records one. */
  seed(overrides?: Partial<Exchange>, eventTypes?: string[]): Exchange;
  /** Every stored exchange, serialised: compare before and after to show nothing changed. */
  snapshot(): string;
  close(): Promise<void>;
}

/** The tunnel status the harness reports: one tunnel `local` forwarding to the app. */
function statusOf(app: UpstreamApp): SourceStatus {
  return {
    state: "online",
    lastError: null,
    startedAt: Date.now(),
    version: "0.1.0",
    tunnels: [
      {
        name: "local",
        publicUrls: ["https://relay.example/local"],
        upstream: app.url,
        metrics: {
          total: 0,
          open: 0,
          rate1: 0,
          rate5: 0,
          rate15: 0,
          p50Ms: 0,
          p90Ms: 0,
          p95Ms: 0,
          p99Ms: 0,
          byStatus: {},
        },
      },
    ],
  };
}

/**
 * Starts the harness.
 *
 * @example
 * const h = await startInspectorHarness();
 * const res = await h.api("GET", "/api/exchanges");
 */
export async function startInspectorHarness(
  handler?: AppHandler,
  options: Partial<InspectorOptions> = {},
): Promise<InspectorHarness> {
  const dir = mkdtempSync(join(tmpdir(), "hooktap-inspector-"));
  const store = openSqliteCaptureStore(join(dir, "capture.db"));
  const app = await startUpstreamApp(handler);
  const inspector = await startInspector({
    port: 0,
    source: { status: () => statusOf(app) },
    capture: store,
    replayer: createReplayer({ upstream: app.url }),
    ...options,
  });
  const host = `127.0.0.1:${inspector.port}`;
  return {
    inspector,
    store,
    app,
    host,
    api: (method, path, apiOptions = {}) => callApi(inspector.port, host, method, path, apiOptions),
    seed(overrides = {}, eventTypes = ["user.lifecycle.create"]) {
      const { body } = syntheticDelivery(eventTypes);
      const bytes = new TextEncoder().encode(body);
      const now = Date.now();
      return store.insert({
        id: newExchangeId(),
        endpoint: "local",
        origin: "live",
        remoteAddress: "203.0.113.7",
        request: {
          method: "POST",
          target: "/hooks/okta?source=test",
          httpVersion: "1.1",
          rawHeaders: [
            ["Host", "relay.example"],
            ["User-Agent", "Okta Event Hooks v1.0"],
            ["Content-Type", "application/json"],
            ["authorization", "Basic b2t0YTpzZWNyZXQ="],
            ["X-Dup", "a"],
            ["x-dup", "b"],
            ["Content-Length", String(bytes.byteLength)],
          ],
          body: { bytes, size: bytes.byteLength, truncated: false },
        },
        response: {
          status: 200,
          statusMessage: "OK",
          rawHeaders: [
            ["Content-Type", "application/json"],
            ["Content-Length", "11"],
          ],
          body: {
            bytes: new TextEncoder().encode('{"ok":true}'),
            size: 11,
            truncated: false,
          },
        },
        error: null,
        timing: {
          receivedAt: now - 20,
          forwardedAt: now - 19,
          firstByteAt: now - 5,
          doneAt: now - 4,
        },
        parentId: null,
        queueId: null,
        ...overrides,
      });
    },
    snapshot() {
      const items: Exchange[] = [];
      let before: string | undefined;
      for (;;) {
        const page = store.list({ limit: 1000, ...(before === undefined ? {} : { before }) });
        items.push(...page.items);
        if (page.next === null) break;
        before = page.next;
      }
      return JSON.stringify(items, (_key, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value,
      );
    },
    async close() {
      await inspector.close();
      await app.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One API call over a real socket.
 *
 * @example
 * await callApi(port, `127.0.0.1:${port}`, "GET", "/api/status");
 */
export function callApi(
  port: number,
  host: string,
  method: string,
  path: string,
  options: ApiOptions = {},
): Promise<ApiAnswer> {
  const body =
    options.json !== undefined ? Buffer.from(JSON.stringify(options.json)) : options.body;
  const headers: Record<string, string> = { Host: host, ...options.headers };
  if (options.json !== undefined) headers["Content-Type"] ??= "application/json";
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}
