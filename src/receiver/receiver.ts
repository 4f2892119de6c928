import { VERIFICATION_CHALLENGE_HEADER } from "../okta/index.js";
import { createAuthCheck } from "./auth.js";
import { claimDelivery } from "./dedupe.js";
import { type DispatchContext, dispatchEvents } from "./dispatch.js";
import { errorMessage } from "./error-message.js";
import { declaredLength, normalizeHeaders } from "./headers.js";
import { resolveReceiverOptions } from "./options.js";
import { InvalidDeliveryError, parseDelivery } from "./parse-delivery.js";
import {
  ALLOWED_METHODS,
  acknowledgeResponse,
  errorResponse,
  payloadTooLargeResponse,
  verificationResponse,
} from "./responses.js";
import type {
  AnyEventHandler,
  EventHandler,
  HandledEventType,
  Receiver,
  ReceiverOptions,
  ReceiverRequest,
  ReceiverRequestHead,
  ReceiverResponse,
} from "./types.js";

const TIMED_OUT = Symbol("timed out");

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function assertHandler(handler: unknown, method: string): void {
  if (typeof handler !== "function") {
    throw new TypeError(`receiver.${method}() needs a handler function, got ${typeof handler}`);
  }
}

/**
 * Creates a framework-neutral Okta event hook endpoint.
 *
 * - `GET` with `x-okta-verification-challenge` → 200 `{"verification":"<challenge>"}`.
 * - `POST` with a delivery → 200 with an empty body, then the handlers run (or first, with
 *   `awaitHandlers`). Deliveries and events seen before are acknowledged without dispatch.
 * - Anything else → a 4xx with a JSON body `{ "error": code, "message": text }`.
 *
 * `precheck()` runs the checks that need only the request head (method, auth, declared
 * length, the whole GET), so adapters answer those without reading the body; `handle()` runs
 * the same checks first, then the body's. Neither throws: an unexpected failure becomes a 500
 * and is logged.
 *
 * @throws {TypeError | RangeError} when an option is invalid.
 *
 * @example
 * const secret = process.env.OKTA_HOOK_SECRET ?? "";
 * const receiver = createReceiver({ auth: { name: "authorization", value: secret } })
 *   .on("user.lifecycle.create", async (event) => {
 *     const user = event.target?.find((t) => t.type === "User");
 *     await provision(user?.alternateId);
 *   })
 *   .onAny((event) => audit(event.uuid));
 * http.createServer(createNodeHandler(receiver)).listen(3000);
 */
export function createReceiver(options: ReceiverOptions = {}): Receiver {
  const resolved = Object.freeze(resolveReceiverOptions(options));
  const { logger } = resolved;
  const typedHandlers = new Map<string, AnyEventHandler[]>();
  const anyHandlers: AnyEventHandler[] = [];
  const background = new Set<Promise<void>>();
  const checkAuth = resolved.auth === null ? null : createAuthCheck(resolved.auth);
  // Header maps an adapter's precheck() already passed: handle() skips the head checks for
  // them instead of running auth (a SHA-256) twice per request.
  const prechecked = new WeakSet<ReceiverRequest["headers"]>();

  function reportBackgroundFailure(error: unknown): void {
    try {
      logger.error("background handler work failed", { error: errorMessage(error) });
    } catch {}
  }

  // Background work never rejects unhandled, even if a user-supplied logger or store throws.
  function track(work: Promise<unknown>): void {
    const settled: Promise<void> = work
      .then(() => {}, reportBackgroundFailure)
      .finally(() => background.delete(settled));
    background.add(settled);
  }

  // Deliveries acknowledged during one event-loop turn, dispatched together a macrotask later:
  // one Immediate and one tracked promise per turn instead of per delivery (under load a turn
  // acknowledges many deliveries).
  let dispatchQueue: (() => Promise<unknown>)[] = [];
  function dispatchAfterAck(run: () => Promise<unknown>): void {
    dispatchQueue.push(run);
    if (dispatchQueue.length > 1) return;
    const later = new Promise<void>((resolve) => setImmediate(resolve));
    track(
      later.then(async () => {
        const batch = dispatchQueue;
        dispatchQueue = [];
        const results = await Promise.allSettled(batch.map((next) => next()));
        for (const result of results) {
          if (result.status === "rejected") reportBackgroundFailure(result.reason);
        }
      }),
    );
  }

  function handlersFor(eventType: string): readonly AnyEventHandler[] {
    return [...(typedHandlers.get(eventType) ?? []), ...anyHandlers];
  }

  function reject(request: ReceiverRequestHead, response: ReceiverResponse): ReceiverResponse {
    logger.warn("request rejected", {
      method: request.method,
      url: request.url,
      status: response.status,
      body: response.body,
    });
    return response;
  }

  function internalError(request: ReceiverRequestHead, error: unknown): ReceiverResponse {
    logger.error("receiver failed to process a request", {
      method: request.method,
      url: request.url,
      error: errorMessage(error),
    });
    return errorResponse(500, "internal_error", "the receiver failed to process the request");
  }

  function answerVerification(request: ReceiverRequestHead): ReceiverResponse {
    if (checkAuth !== null && resolved.authOnVerification) {
      const denied = checkAuth(request);
      if (denied !== null) return reject(request, denied);
    }
    const challenge = request.headers[VERIFICATION_CHALLENGE_HEADER];
    if (Array.isArray(challenge)) {
      return reject(
        request,
        errorResponse(
          400,
          "invalid_challenge",
          `the ${VERIFICATION_CHALLENGE_HEADER} header must appear exactly once`,
        ),
      );
    }
    if (challenge === undefined || challenge === "") {
      return reject(
        request,
        errorResponse(
          400,
          "missing_challenge",
          `a GET must carry the ${VERIFICATION_CHALLENGE_HEADER} header (Okta's verification)`,
        ),
      );
    }
    logger.info("verification challenge answered", { url: request.url });
    return verificationResponse(challenge);
  }

  // The POST checks that need no body byte: an unauthenticated client is refused before it
  // can make an adapter buffer up to maxBodyBytes.
  function checkDeliveryHead(request: ReceiverRequestHead): ReceiverResponse | null {
    if (checkAuth !== null) {
      const denied = checkAuth(request);
      if (denied !== null) return reject(request, denied);
    }
    const declared = declaredLength(request.headers);
    if (declared !== undefined && declared > resolved.maxBodyBytes) {
      return reject(request, payloadTooLargeResponse(resolved.maxBodyBytes));
    }
    return null;
  }

  /** Headers already lower-cased; `null` for a POST whose body must be read. */
  function checkHead(request: ReceiverRequestHead): ReceiverResponse | null {
    switch (request.method.toUpperCase()) {
      case "GET":
        return answerVerification(request);
      case "POST":
        return checkDeliveryHead(request);
      default:
        return reject(
          request,
          errorResponse(
            405,
            "method_not_allowed",
            `method ${request.method} is not allowed; use GET (verification) or POST (events)`,
            { allow: ALLOWED_METHODS },
          ),
        );
    }
  }

  // Only called once checkHead() passed the request, i.e. for an authenticated POST.
  async function answerDelivery(request: ReceiverRequest): Promise<ReceiverResponse> {
    if (request.body.byteLength > resolved.maxBodyBytes) {
      return reject(request, payloadTooLargeResponse(resolved.maxBodyBytes));
    }
    let delivery: DispatchContext["delivery"];
    try {
      delivery = parseDelivery(request.body);
    } catch (error) {
      if (!(error instanceof InvalidDeliveryError)) throw error;
      return reject(request, errorResponse(400, error.code, error.message));
    }
    const claim = await claimDelivery(resolved.dedupe, delivery, logger);
    if (claim.duplicate) {
      logger.info("duplicate delivery skipped", { eventId: delivery.eventId });
      return acknowledgeResponse();
    }
    if (claim.skipped.length > 0) {
      const uuids = claim.skipped.map((i) => delivery.data.events[i]?.uuid);
      logger.info("events seen before skipped", { eventId: delivery.eventId, uuids });
    }
    if (claim.fresh.length === 0) return acknowledgeResponse();
    const context: DispatchContext = {
      delivery,
      request,
      handlersFor,
      dedupe: resolved.dedupe,
      logger,
    };
    if (!resolved.awaitHandlers) {
      // A macrotask later: the adapter has written the 200 before any handler code runs.
      dispatchAfterAck(() => dispatchEvents(context, claim.fresh));
      return acknowledgeResponse();
    }
    const work = dispatchEvents(context, claim.fresh);
    track(work);
    const failed = await withTimeout(work, resolved.ackTimeoutMs);
    if (failed === TIMED_OUT) {
      logger.warn("handlers still running after ackTimeoutMs; acknowledged anyway", {
        eventId: delivery.eventId,
        ackTimeoutMs: resolved.ackTimeoutMs,
      });
      return acknowledgeResponse();
    }
    if (failed > 0) {
      return errorResponse(
        500,
        "handler_failed",
        `${failed} of ${claim.fresh.length} events failed; Okta will retry the delivery`,
      );
    }
    return acknowledgeResponse();
  }

  async function route(request: ReceiverRequest): Promise<ReceiverResponse> {
    if (prechecked.delete(request.headers)) return answerDelivery(request);
    const normalized = { ...request, headers: normalizeHeaders(request.headers) };
    return checkHead(normalized) ?? (await answerDelivery(normalized));
  }

  const receiver: Receiver = {
    options: resolved,
    on<T extends HandledEventType>(type: T, handler: EventHandler<T>): Receiver {
      if (typeof type !== "string" || type.length === 0) {
        throw new TypeError("receiver.on() needs a non-empty event type");
      }
      assertHandler(handler, "on");
      const list = typedHandlers.get(type) ?? [];
      list.push(handler as AnyEventHandler);
      typedHandlers.set(type, list);
      return receiver;
    },
    onAny(handler: AnyEventHandler): Receiver {
      assertHandler(handler, "onAny");
      anyHandlers.push(handler);
      return receiver;
    },
    precheck(head: ReceiverRequestHead): ReceiverResponse | null {
      try {
        const { method, url } = head;
        const headers = normalizeHeaders(head.headers);
        const early = checkHead({ method, url, headers });
        // Only an unchanged map can be recognised by handle(); a normalised copy is checked again.
        if (early === null && headers === head.headers) prechecked.add(headers);
        return early;
      } catch (error) {
        return internalError(head, error);
      }
    },
    async handle(request: ReceiverRequest): Promise<ReceiverResponse> {
      try {
        return await route(request);
      } catch (error) {
        return internalError(request, error);
      }
    },
    async idle(): Promise<void> {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
  return receiver;
}
