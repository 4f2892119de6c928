/**
 * Relays for tests: started on 127.0.0.1:0 over an in-memory store with one token, and small
 * HTTP clients that show what the relay sent (raw header pairs, exact bytes).
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { createMemoryLogger, type LogRecord } from "../../src/log/index.js";
import {
  openSqliteRelayStore,
  type Relay,
  type RelayOptions,
  type RelayStore,
  startRelay,
} from "../../src/relay/index.js";

/** A relay under test with its store and one token. */
export interface TestRelay {
  relay: Relay;
  store: RelayStore;
  /** The secret of a token named `tester`. */
  secret: string;
  tokenId: string;
  logs: LogRecord[];
  /** Closes the relay, then the store. */
  close(): Promise<void>;
}

const running = new Set<TestRelay>();

/**
 * Starts a relay on 127.0.0.1:0 (in-memory store unless one is given) with a token `tester`.
 *
 * @example
 * const { relay, secret } = await startTestRelay({ heartbeatMs: 50 });
 */
export async function startTestRelay(options: Partial<RelayOptions> = {}): Promise<TestRelay> {
  const store = options.store ?? (await openSqliteRelayStore(":memory:"));
  const { token, secret } = await store.createToken(`tester-${running.size}-${Date.now()}`);
  const logger = createMemoryLogger();
  const relay = await startRelay({ port: 0, host: "127.0.0.1", logger, ...options, store });
  const handle: TestRelay = {
    relay,
    store,
    secret,
    tokenId: token.id,
    logs: logger.records,
    async close() {
      running.delete(handle);
      await relay.close();
      await store.close();
    },
  };
  running.add(handle);
  return handle;
}

/** Closes every relay started by {@link startTestRelay} (for `afterEach`). */
export async function closeTestRelays(): Promise<void> {
  await Promise.all([...running].map((r) => r.close()));
}

/** A response as a test sees it. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header pairs as received: order, case, repeats. */
  rawHeaders: [string, string][];
  body: Buffer;
  json(): unknown;
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: string;
  /** Header pairs, sent in this order and case. */
  headers?: [string, string][];
  body?: string | Buffer;
  /** For https: accept the test's self-signed certificate. */
  rejectUnauthorized?: boolean;
}

/**
 * Sends one request (a fresh connection, `agent: false`) and reads the whole response.
 *
 * @example
 * const res = await send(`${relay.url}/okta-dev/hook`, { method: "POST", body: "{}" });
 */
export function send(url: string, options: SendOptions = {}): Promise<TestResponse> {
  const target = new URL(url);
  const requestFn = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = requestFn(
      target,
      {
        method: options.method ?? "GET",
        agent: false,
        headers: withLength(withHost(options.headers ?? [], target.host), options.body).flat(),
        ...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          const rawHeaders: [string, string][] = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            rawHeaders.push([res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? ""]);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders,
            body,
            json: () => JSON.parse(body.toString("utf8")) as unknown,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Node sends no Host of its own when headers are given as pairs: add the URL's, first. */
function withHost(headers: [string, string][], host: string): [string, string][] {
  return headers.some(([name]) => name.toLowerCase() === "host")
    ? headers
    : [["Host", host], ...headers];
}

/** With pairs Node adds no Content-Length either (it would chunk): add it for a given body. */
function withLength(
  headers: [string, string][],
  body: string | Buffer | undefined,
): [string, string][] {
  if (body === undefined) return headers;
  const framed = headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
  return framed ? headers : [...headers, ["Content-Length", String(Buffer.byteLength(body))]];
}

/**
 * Writes `bytes` on a new TCP connection and resolves with everything received until the
 * server closes it (send `Connection: close`).
 *
 * @example
 * const text = (await rawExchange(port, "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")).toString();
 */
export function rawExchange(port: number, bytes: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Resolves once `condition()` holds, checking after each turn of the event loop; rejects
 * after `timeoutMs`. For state that changes in the background (queue depths).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
