import type { IncomingMessage } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log/index.js";
import { silentLogger } from "../log/index.js";
import type { AuthHeader } from "../receiver/index.js";
import { createNodeHandler } from "../receiver/index.js";
import { createGuideReceivers } from "./guide-receivers.js";

/** Port of Okta's guides (`app.listen(8082)`), used when no port is given. */
export const DEFAULT_SAMPLE_PORT = 8082;

/**
 * Interface the sample binds to by default. Okta's guides listen on every interface; hooktap
 * binds to loopback (a tunnel on the same machine reaches it) and takes `host` to open it up.
 */
export const DEFAULT_SAMPLE_HOST = "127.0.0.1";

/** How long `close()` lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 1_000;

/** Options of {@link startSampleServer}. */
export interface SampleServerOptions {
  /**
   * TCP port; `0` picks any free port (read it back from {@link SampleServer.port}).
   * @default 8082
   */
  port?: number;
  /**
   * Interface to listen on; `0.0.0.0` (or `::`) listens on every interface like Okta's guides.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * Header every request must carry (GET verification included), or `null` for none. Okta's
   * guides use {@link GUIDE_BASIC_AUTH}.
   */
  auth: AuthHeader | null;
  /**
   * Receives each line the guides print (`The user … has been added to the Okta org!`).
   * @default each line goes to `logger.info`
   */
  print?: (line: string) => void;
  /**
   * Where the receivers report answered challenges, rejected requests (with the reason) and
   * handler failures.
   * @default silentLogger
   */
  logger?: Logger;
  /**
   * De-duplicate deliveries on `eventId` and events on `uuid`. Off by default so that sending
   * the same test delivery twice prints twice, as Okta's guides do.
   * @default false
   */
  dedupe?: boolean;
}

/** A running sample server. */
export interface SampleServer {
  /** Base URL, e.g. `http://127.0.0.1:8082` (loopback when listening on every interface). */
  readonly url: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  /** The interface bound. */
  readonly host: string;
  /** Resolves when every handler started so far has run (handlers run after Okta gets its 200). */
  idle(): Promise<void>;
  /** Stops accepting connections, lets in-flight requests finish, waits for handlers. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves the routes of Okta's event hook guides, each built on the receiver library:
 * `/userCreated` ("Event hooks with ngrok"), `/userDeactivated` ("Event hook implementation")
 * and any other path (ngrok's Okta sample: answer the challenge, print headers and body).
 * Paths match like Express's defaults: case-insensitive, trailing slash optional.
 *
 * @throws the `listen` error (e.g. `code: "EADDRINUSE"`) when the port cannot be bound;
 * `RangeError` for a port outside 0-65535.
 * @example
 * const server = await startSampleServer({ auth: GUIDE_BASIC_AUTH, print: (l) => lines.push(l) });
 * // POST a user.lifecycle.create delivery to `${server.url}/userCreated`
 * await server.close();
 */
export async function startSampleServer(options: SampleServerOptions): Promise<SampleServer> {
  const port = options.port ?? DEFAULT_SAMPLE_PORT;
  const host = options.host ?? DEFAULT_SAMPLE_HOST;
  const logger = options.logger ?? silentLogger;
  const print = options.print ?? ((line: string) => logger.info(line));
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  }

  const receivers = createGuideReceivers({
    auth: options.auth,
    dedupe: options.dedupe ?? false,
    logger,
    print,
  });
  const routes = new Map([
    ["/usercreated", createNodeHandler(receivers.userCreated)],
    ["/userdeactivated", createNodeHandler(receivers.userDeactivated)],
  ]);
  const anyPath = createNodeHandler(receivers.anyPath);

  const server = createServer(function sampleRequestListener(req, res) {
    const handler = routes.get(normalize(pathOf(req))) ?? anyPath;
    handler(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Errors after listening (e.g. a socket error) must not crash the process; report them.
  server.on("error", (error) => logger.error("sample server error", { error: String(error) }));

  const bound = (server.address() as AddressInfo).port;
  const idle = async (): Promise<void> => {
    await Promise.all(Object.values(receivers).map((r) => r.idle()));
  };
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${bound}`,
    port: bound,
    host,
    idle,
    close() {
      closing ??= closeServer(server).then(idle);
      return closing;
    },
  };
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://sample.invalid").pathname;
  } catch {
    return "/";
  }
}

function normalize(path: string): string {
  const lower = path.toLowerCase();
  return lower.length > 1 && lower.endsWith("/") ? lower.slice(0, -1) : lower;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
