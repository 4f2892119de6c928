/**
 * `startRelay`: the public HTTP(S) server, the agent gateway on its upgrade path, the queue
 * workers, the queue sweep and the store watch, wired together and torn down in one `close()`.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createLocalLinkPair, type LinkSocket } from "../protocol/index.js";
import { AgentGateway } from "./agent-gateway.js";
import { EndpointDirectory, type EndpointStatus } from "./directory.js";
import { errorResponse, type RelayErrorCode, rawHttpResponse } from "./errors.js";
import { createIngressHandler } from "./ingress.js";
import { type RelayOptions, type RelayUrls, relayUrls, resolveRelayOptions } from "./options.js";
import { pairHeaders } from "./policies.js";
import { expireQueue } from "./queue-worker.js";
import { QueueWorkers } from "./queue-workers.js";
import { routeRequest } from "./routing.js";
import { StoreWatch } from "./store-watch.js";

/**
 * How often the queue is swept, even with no agent online: pending requests past their TTL are
 * marked failed, then delivered requests older than `keepDeliveredMs` are deleted. More often
 * when the TTL or `keepDeliveredMs` is shorter than that, but not more than once a second.
 */
const QUEUE_SWEEP_MS = 60_000;
const MIN_QUEUE_SWEEP_MS = 1000;

/** How long `close()` lets public requests in flight finish before cutting their connections. */
const CLOSE_GRACE_MS = 2000;

/** A running relay. */
export interface Relay {
  /** Public base URL, e.g. `http://127.0.0.1:8080`; endpoints live at `${url}/<name>`. */
  readonly url: string;
  /** Where agents connect: `ws(s)://…/_hooktap/agent`. */
  readonly agentUrl: string;
  /** The port it listens on (useful with `port: 0`). */
  readonly port: number;
  /**
   * Opens an in-process link to the agent gateway, for an agent in this process (pass it as
   * the agent's `connect`): the same handshake, tokens, endpoints and policies as over
   * `agentUrl`, without a socket. Returns the agent's end.
   */
  connectLocal(): LinkSocket;
  /** Every reserved endpoint: whether its agent is online, how many requests it has queued. */
  endpoints(): EndpointStatus[];
  /**
   * Closes agent connections (`shutting_down`), stops accepting requests, lets those in flight
   * finish briefly, and stops the queue workers. Does not close the store. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Starts a relay: public ingress on `host:port` (http, or https with `tls`), agents on
 * `/_hooktap/agent` (ws or wss), routing by path and, with `domain`, by subdomain.
 *
 * @example
 * const store = await openSqliteRelayStore(".hooktap/relay.db");
 * const relay = await startRelay({ store, port: 8080 });
 * logger.info(`agents connect to ${relay.agentUrl}`);
 * // …
 * await relay.close();
 * await store.close();
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const resolved = resolveRelayOptions(options);
  const { store, logger, now } = resolved;
  const scheme = resolved.tls === null ? "http" : "https";
  let urls: RelayUrls | undefined;

  const workers = new QueueWorkers({
    store,
    scheme,
    deliveryTimeoutMs: resolved.deliveryTimeoutMs,
    retryDelayMs: resolved.retryDelayMs,
    logger,
    now,
    onChange: (endpoint) => directory.refresh(endpoint),
  });
  const gateway = new AgentGateway({
    store,
    logger,
    heartbeatMs: resolved.heartbeatMs,
    helloTimeoutMs: resolved.helloTimeoutMs,
    maxConcurrentStreams: resolved.maxConcurrentStreams,
    urls: () => {
      if (urls === undefined) throw new Error("the relay is not listening yet");
      return urls;
    },
    onOnline: (session) => {
      workers.start(session);
      if (session.endpoint !== null) directory.refresh(session.endpoint);
    },
    onOffline: (session) => workers.stop(session),
  });
  const directory = new EndpointDirectory(
    store,
    logger,
    (name) => gateway.online(name) !== undefined,
  );
  await directory.load();

  const ingress = createIngressHandler({
    store,
    online: (name) => gateway.online(name),
    domain: resolved.domain,
    scheme,
    defaultPolicy: resolved.defaultPolicy,
    queueTtlMs: resolved.queueTtlMs,
    logger,
    now,
    onEnqueued: (endpoint) => {
      workers.wake(endpoint);
      directory.refresh(endpoint);
    },
  });
  // Missing Host headers get the relay's JSON 400 rather than Node's bare one.
  const serverOptions = { requireHostHeader: false };
  const server: Server =
    resolved.tls === null
      ? createHttpServer(serverOptions, ingress)
      : createHttpsServer(
          { ...serverOptions, cert: resolved.tls.cert, key: resolved.tls.key },
          ingress,
        );
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const route = routeRequest({
      rawHeaders: pairHeaders(req.rawHeaders),
      target: req.url ?? "",
      domain: resolved.domain,
    });
    if (route.kind === "agent") {
      gateway.handleUpgrade(req, socket, head);
      return;
    }
    const [code, message]: [RelayErrorCode, string] =
      route.kind === "error"
        ? [route.code, route.message]
        : ["upgrade_unsupported", "the tunnel forwards plain HTTP exchanges, not upgrades"];
    socket.end(rawHttpResponse(errorResponse(code, message)));
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    answerClientError(error, socket);
  });

  const watch = new StoreWatch({
    store,
    intervalMs: resolved.storeWatchMs,
    logger,
    onChange: async () => {
      // Queue changes from `hooktap relay queue retry|drop`: look at every online queue again.
      workers.wakeAll();
      directory.refreshAll();
      await gateway.recheckTokens();
    },
  });
  await watch.start();
  try {
    await listen(server, resolved.port, resolved.host);
  } catch (error) {
    await watch.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  urls = relayUrls(resolved, port);
  logger.debug("relay listening", { url: urls.url, agentUrl: urls.agentUrl });

  const sweepMs = Math.max(
    MIN_QUEUE_SWEEP_MS,
    Math.min(QUEUE_SWEEP_MS, resolved.queueTtlMs, resolved.keepDeliveredMs),
  );
  const sweepQueue = async (): Promise<void> => {
    try {
      if ((await expireQueue(store, now(), logger)) > 0) directory.refreshAll();
    } catch (error) {
      logger.warn("queue expiry failed", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    try {
      const before = Math.max(0, now() - resolved.keepDeliveredMs);
      const count = await store.pruneDelivered(before);
      if (count > 0) {
        logger.info("delivered requests deleted: their keep time is over", { count });
      }
    } catch (error) {
      logger.warn("deleting delivered requests failed", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  const sweep = setInterval(() => {
    void sweepQueue();
  }, sweepMs);
  sweep.unref();

  let closing: Promise<void> | undefined;
  const relayUrlsNow = urls;
  return {
    url: relayUrlsNow.url,
    agentUrl: relayUrlsNow.agentUrl,
    port,
    connectLocal: () => {
      const [agentEnd, relayEnd] = createLocalLinkPair();
      gateway.acceptLocal(relayEnd);
      return agentEnd;
    },
    endpoints: () => directory.list(gateway.onlineNames()),
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        await watch.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await gateway.close();
        await workers.close();
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        await stopped;
        clearTimeout(cut);
        await directory.settled();
        logger.debug("relay closed", { url: relayUrlsNow.url });
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/**
 * A request Node could not parse: answer in the relay's shape (431 for an oversized head, 400
 * otherwise) unless a response is already under way on the socket, as Node itself does.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const response =
    error.code === "HPE_HEADER_OVERFLOW"
      ? errorResponse("headers_too_large", "the request head is larger than the relay accepts")
      : errorResponse("bad_request", "the request is not valid HTTP/1.1");
  socket.end(rawHttpResponse(response));
}
