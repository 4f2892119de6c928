/**
 * Writes exchanges to the capture store: one insert when a request head arrives (so the
 * inspector shows it in flight), one update when it is over, and one insert per edge report.
 * Store writes are synchronous and never per chunk. A failing store costs the capture, never
 * the exchange: the error is reported and forwarding goes on.
 */
import type {
  CapturedBody,
  CaptureStore,
  Exchange,
  ExchangeOrigin,
  ExchangePatch,
} from "../capture/index.js";
import { newExchangeId } from "../capture/index.js";
import type { EdgeBody, EdgeReason, EdgeReport, RequestMessage } from "../protocol/index.js";
import type { ForwardOutcome } from "./forward.js";
import type { AgentErrorInfo } from "./types.js";

const EMPTY_BODY: CapturedBody = { bytes: new Uint8Array(0), size: 0, truncated: false };

/** Edge reasons whose request never reached any app: recorded as `blocked`. */
const BLOCKED: ReadonlySet<EdgeReason> = new Set<EdgeReason>([
  "unauthorized",
  "too_large",
  "offline",
]);

/**
 * The capture origin of an edge report: `blocked` when the relay refused the request, `edge`
 * when it answered for the app (challenge, queued).
 *
 * @example
 * edgeOrigin("queued"); // "edge"
 */
export function edgeOrigin(reason: EdgeReason): "edge" | "blocked" {
  return BLOCKED.has(reason) ? "blocked" : "edge";
}

/**
 * Records one endpoint's exchanges in a store (or nowhere, with a null store).
 *
 * @example
 * const recorder = new CaptureRecorder(store, "local", (e) => emit("error", e));
 * const id = recorder.begin(stream.head, Date.now());
 * recorder.finish(id, stream.head, outcome);
 */
export class CaptureRecorder {
  readonly #store: CaptureStore | null;
  readonly #endpoint: string;
  readonly #onError: (error: AgentErrorInfo) => void;

  constructor(
    store: CaptureStore | null,
    endpoint: string,
    onError: (error: AgentErrorInfo) => void,
  ) {
    this.#store = store;
    this.#endpoint = endpoint;
    this.#onError = onError;
  }

  /** Inserts a forwarded request whose body and response are still to come; returns its id. */
  begin(head: RequestMessage, forwardedAt: number): string {
    const id = newExchangeId();
    const origin: ExchangeOrigin = head.origin;
    this.#write("insert", () =>
      this.#store?.insert({
        id,
        endpoint: this.#endpoint,
        origin,
        remoteAddress: head.remoteAddress,
        request: {
          method: head.method,
          target: head.target,
          httpVersion: head.httpVersion,
          rawHeaders: head.rawHeaders,
          body: EMPTY_BODY,
        },
        response: null,
        error: null,
        timing: { receivedAt: head.receivedAt, forwardedAt, firstByteAt: null, doneAt: null },
        parentId: null,
        queueId: head.origin === "queued" ? head.queueId : null,
      }),
    );
    return id;
  }

  /** Completes a forwarded exchange with its bodies, response, error and timing. */
  finish(id: string, head: RequestMessage, outcome: ForwardOutcome): void {
    const patch: ExchangePatch = {
      request: {
        method: head.method,
        target: head.target,
        httpVersion: head.httpVersion,
        rawHeaders: head.rawHeaders,
        body: outcome.requestBody,
      },
      response: outcome.response,
      error: outcome.error,
      timing: { firstByteAt: outcome.firstByteAt, doneAt: outcome.doneAt },
    };
    this.#write("update", () => this.#store?.update(id, patch));
  }

  /** Inserts an exchange the relay answered or blocked itself; returns its id. */
  edge(report: EdgeReport): string {
    const id = newExchangeId();
    const { request, response } = report;
    const exchange: Exchange = {
      id,
      endpoint: this.#endpoint,
      origin: edgeOrigin(report.reason),
      remoteAddress: request.remoteAddress,
      request: {
        method: request.method,
        target: request.target,
        httpVersion: request.httpVersion,
        rawHeaders: request.rawHeaders,
        body: bodyOf(request.body),
      },
      response: {
        status: response.status,
        statusMessage: null,
        rawHeaders: response.rawHeaders,
        body: bodyOf(response.body),
      },
      error: null,
      timing: {
        receivedAt: report.receivedAt,
        forwardedAt: null,
        firstByteAt: null,
        doneAt: report.receivedAt + report.durationMs,
      },
      parentId: null,
      queueId: report.queueId ?? null,
    };
    this.#write("insert", () => this.#store?.insert(exchange));
    return id;
  }

  #write(doing: string, write: () => unknown): void {
    if (this.#store === null) return;
    try {
      write();
    } catch (error) {
      this.#onError({
        code: "capture_failed",
        message: `capture ${doing} failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}

function bodyOf(body: EdgeBody): CapturedBody {
  const bytes = new Uint8Array(Buffer.from(body.base64, "base64"));
  // The report's `size` is the whole body's; keep the invariant size ≥ bytes even if it lies.
  const size = Math.max(body.size, bytes.byteLength);
  return { bytes, size, truncated: size > bytes.byteLength };
}
