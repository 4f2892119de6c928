/**
 * One request to the app on a pooled connection, retried once when the pool's race is lost.
 *
 * The race: the app's keep-alive timer closes an idle connection just as the agent sends the
 * next request on it. The request then fails with ECONNRESET or EPIPE on a reused socket
 * (`request.reusedSocket`) before any response byte; nothing was processed, so it is sent
 * again, once, on a fresh connection. That needs the body: the bytes sent are kept while they
 * stay under {@link RETRY_BODY_LIMIT_BYTES} (webhooks are a few KB); a larger body is not
 * kept, and its request is not retried (the sender gets the 502, as without a pool).
 */
import http, { type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";
import type { Duplex, Readable } from "node:stream";
import { systemCode } from "./upstream-errors.js";

/** Bodies up to this size are kept while sending, so that a lost race can be retried. */
export const RETRY_BODY_LIMIT_BYTES = 64 * 1024;

/** Errors of a connection the app closed under the request: nothing reached the app. */
const STALE_CONNECTION = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/** What becomes of the call. Exactly one of `onResponse`, `onUpgrade`, `onError` is called. */
export interface UpstreamCallHandlers {
  onResponse: (res: IncomingMessage) => void;
  onUpgrade: (res: IncomingMessage, socket: Duplex) => void;
  /** The request failed before a response head, after the retry if there was one. */
  onError: (error: Error) => void;
}

/**
 * Sends `body` to the app with `options` and reports the outcome. `http.request` may throw
 * (a head Node refuses): the constructor lets it through, having sent nothing.
 *
 * @example
 * const call = new UpstreamCall({ ...options, agent: pool.agent }, false, body, handlers);
 * stream.done.catch(() => call.destroy());
 */
export class UpstreamCall {
  readonly #options: https.RequestOptions;
  readonly #secure: boolean;
  readonly #body: Readable;
  readonly #handlers: UpstreamCallHandlers;
  #request: ClientRequest;
  /** The body bytes sent so far, while they are few enough to send again; null after. */
  #kept: Uint8Array[] | null = [];
  #keptBytes = 0;
  #settled = false;
  #destroyed = false;
  #retried = false;

  constructor(
    options: https.RequestOptions,
    secure: boolean,
    body: Readable,
    handlers: UpstreamCallHandlers,
  ) {
    this.#options = options;
    this.#secure = secure;
    this.#body = body;
    this.#handlers = handlers;
    this.#request = this.#send(options);
    body.on("data", this.#keep);
    body.pipe(this.#request);
  }

  /** True when the first attempt lost the keep-alive race and the request went again. */
  get retried(): boolean {
    return this.#retried;
  }

  /** Aborts the request (its 'error' is reported unless a response head already came). */
  destroy(error?: Error): void {
    this.#destroyed = true;
    this.#request.destroy(error);
  }

  /**
   * The app is done with the exchange: what remains of the request body is read and dropped,
   * and a request the app answered before its body was all sent is cut (its connection is in
   * no state to be reused).
   */
  finish(): void {
    this.#stopKeeping();
    this.#body.unpipe(this.#request);
    if (!this.#body.readableEnded) this.#body.destroy();
    if (!this.#request.writableEnded) this.destroy();
  }

  #send(options: https.RequestOptions): ClientRequest {
    const request = (this.#secure ? https : http).request(options);
    request.on("response", (res: IncomingMessage) => {
      if (this.#settle()) this.#handlers.onResponse(res);
      else res.destroy();
    });
    request.on("upgrade", (res: IncomingMessage, socket: Duplex) => {
      if (this.#settle()) this.#handlers.onUpgrade(res, socket);
      else socket.destroy();
    });
    request.on("error", (error: Error) => {
      if (request !== this.#request || this.#settled) return;
      if (this.#canRetry(request, error)) this.#retry();
      else if (this.#settle()) this.#handlers.onError(error);
    });
    return request;
  }

  #canRetry(request: ClientRequest, error: Error): boolean {
    return (
      !this.#retried &&
      !this.#destroyed &&
      request.reusedSocket &&
      this.#kept !== null &&
      STALE_CONNECTION.has(systemCode(error) ?? "")
    );
  }

  #retry(): void {
    this.#retried = true;
    this.#body.unpipe(this.#request);
    // A fresh connection: another idle one may have been closed by the same timer.
    const request = this.#send({ ...this.#options, agent: false });
    this.#request = request;
    for (const chunk of this.#kept ?? []) request.write(chunk);
    this.#stopKeeping();
    // Ends the request at the body's end, or at once (next tick) if the body already ended.
    this.#body.pipe(request);
  }

  /** Marks the call answered; false when it already was. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#stopKeeping();
    return true;
  }

  readonly #keep = (chunk: Uint8Array): void => {
    if (this.#kept === null) return;
    this.#keptBytes += chunk.byteLength;
    if (this.#keptBytes > RETRY_BODY_LIMIT_BYTES) this.#stopKeeping();
    else this.#kept.push(chunk);
  };

  #stopKeeping(): void {
    if (this.#kept === null) return;
    this.#kept = null;
    this.#body.off("data", this.#keep);
  }
}
