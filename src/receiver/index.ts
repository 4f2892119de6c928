/**
 * @module
 * The receiver library: write an Okta event hook endpoint in a few lines. It answers the
 * one-time verification GET, checks the auth header in constant time, parses and validates
 * the delivery envelope, acknowledges within Okta's 3-second budget, de-duplicates Okta's
 * at-least-once deliveries, and dispatches typed events to handlers by event type.
 *
 * Framework-neutral core ({@link createReceiver}, `receiver.precheck()` on the request head,
 * `receiver.handle()` on the whole request), plus adapters for `node:http`, Express, Fastify,
 * Hono and any Fetch runtime, which refuse a request from its head before reading its body.
 * No framework is imported.
 *
 * Every error answer is JSON `{ "error": code, "message": text }` (see
 * {@link ReceiverErrorCode}); a 4xx stops Okta's retry, a 5xx asks for it.
 *
 * @example
 * import { createServer } from "node:http";
 * import { createNodeHandler, createReceiver } from "hooktap/receiver";
 *
 * const secret = process.env.OKTA_HOOK_SECRET ?? "";
 * const receiver = createReceiver({ auth: { name: "authorization", value: secret } })
 *   .on("user.lifecycle.create", (event) => {
 *     const user = event.target?.find((target) => target.type === "User");
 *     console.log("created", user?.alternateId);
 *   });
 * createServer(createNodeHandler(receiver)).listen(3000);
 */
export { constantTimeEqual } from "./constant-time.js";
export { deliveryKey, eventKey } from "./dedupe.js";
export type {
  ExpressLikeMiddleware,
  ExpressLikeNext,
  ExpressLikeRequest,
} from "./express.js";
export { createExpressMiddleware } from "./express.js";
export type {
  FastifyLikeError,
  FastifyLikeInstance,
  FastifyLikePlugin,
  FastifyLikeReply,
  FastifyLikeRequest,
  FastifyReceiverOptions,
} from "./fastify.js";
export { fastifyReceiver } from "./fastify.js";
export type { HonoLikeContext, HonoLikeHandler } from "./hono.js";
export { createHonoHandler } from "./hono.js";
export type { MemoryDedupeStore, MemoryDedupeStoreOptions } from "./memory-dedupe-store.js";
export { createMemoryDedupeStore, DEFAULT_DEDUPE_MAX_KEYS } from "./memory-dedupe-store.js";
export type { NodeRequestListener } from "./node.js";
export { createNodeHandler } from "./node.js";
export { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES } from "./options.js";
export type { InvalidDeliveryCode } from "./parse-delivery.js";
export { InvalidDeliveryError, parseDelivery } from "./parse-delivery.js";
export type { BodySource } from "./read-body.js";
export { BodyTooLargeError, discardBody, readBody } from "./read-body.js";
export { createReceiver } from "./receiver.js";
export type { ReceiverErrorBody, ReceiverErrorCode } from "./responses.js";
export type {
  AnyEventHandler,
  AuthHeader,
  DedupeStore,
  EventContext,
  EventHandler,
  HandledEventType,
  Receiver,
  ReceiverOptions,
  ReceiverRequest,
  ReceiverRequestHead,
  ReceiverResponse,
  ResolvedReceiverOptions,
} from "./types.js";
export { handleWebRequest } from "./web.js";
