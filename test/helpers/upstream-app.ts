/**
 * A local app for the agent's tests: a node:http server on 127.0.0.1:0 that records every
 * request byte-exact (method, target, raw headers, body) and answers with a handler of the
 * test's choosing.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the app received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  httpVersion: string;
  rawHeaders: string[];
  body: Buffer;
  /** The live request, e.g. to watch it being aborted. */
  req: IncomingMessage;
}

/** Answers a recorded request. */
export type AppHandler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/** A running app; `close()` it in `afterEach`. */
export interface UpstreamApp {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Resolves with the next request once its body has been read. */
  nextRequest(): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** Echoes nothing: 200 `{"ok":true}`. */
const OK: AppHandler = (_request, res) => {
  res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
};

/**
 * Starts the app.
 *
 * @example
 * const app = await startUpstreamApp((request, res) => res.writeHead(204).end());
 * const seen = app.nextRequest();
 */
export async function startUpstreamApp(handler: AppHandler = OK): Promise<UpstreamApp> {
  const requests: RecordedRequest[] = [];
  const waiters: ((request: RecordedRequest) => void)[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      httpVersion: req.httpVersion,
      rawHeaders: [...req.rawHeaders],
      body: Buffer.concat(chunks),
      req,
    };
    requests.push(recorded);
    for (const waiter of waiters.splice(0)) waiter(recorded);
    await handler(recorded, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    nextRequest: () => new Promise((resolve) => waiters.push(resolve)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A port on 127.0.0.1 where nothing listens (bound, then released).
 *
 * @example
 * const upstream = `http://127.0.0.1:${await closedPort()}`;
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
