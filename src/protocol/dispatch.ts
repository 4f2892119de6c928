/**
 * Typed handler tables: one handler per message type, checked exhaustive by the compiler,
 * so adding a message type breaks the build of every side that forgot to handle it.
 */
import type { Message } from "./messages.js";

/**
 * One handler per `type` of `M`, each receiving its own message type. `R` is what handlers
 * return (`void`, or `Promise<void>` for async handlers).
 */
export type Handlers<M extends Message, R = void> = {
  [K in M["type"]]: (message: Extract<M, { type: K }>) => R;
};

/**
 * Calls the handler of `message.type` and returns its result.
 *
 * @example
 * const handlers: Handlers<RelayMessage> = {
 *   welcome: (m) => logger.info("online", { urls: m.urls }),
 *   request: (m) => openStream(m),
 *   window: (m) => streams.get(m.stream)?.send.grant(m.bytes),
 *   reset: (m) => streams.get(m.stream)?.abort(m.code),
 *   edge: (m) => capture.recordEdge(m.exchange),
 *   error: (m) => fail(m.code, m.message),
 * };
 * dispatch(handlers, decodeRelayMessage(text));
 */
export function dispatch<M extends Message, R>(handlers: Handlers<M, R>, message: M): R {
  const type: M["type"] = message.type;
  const handler = Object.hasOwn(handlers, type) ? handlers[type] : undefined;
  if (typeof handler !== "function") {
    // Only reachable from untyped callers: the table type demands every handler.
    throw new TypeError(`no handler for message type ${JSON.stringify(type)}`);
  }
  return (handler as (m: M) => R)(message);
}

/**
 * Marks the end of an exhaustive `switch` on a union: it compiles only when every case is
 * handled, and throws if reached at run time with a value the types did not foresee.
 *
 * @example
 * switch (message.type) {
 *   case "window": return grant(message);
 *   case "reset": return abort(message);
 *   default: return assertNever(message);
 * }
 */
export function assertNever(value: never, what = "value"): never {
  // Show a message by its type only: its other fields may hold a token.
  const seen: unknown = value;
  const shown =
    typeof seen === "object" && seen !== null && "type" in seen
      ? `type ${String(seen.type)}`
      : String(seen);
  throw new TypeError(`unexpected ${what}: ${shown.slice(0, 80)}`);
}
