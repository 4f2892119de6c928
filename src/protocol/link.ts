/**
 * The connection under a mux, as the relay's session and the agent's connection see it: a
 * {@link FrameSocket} plus the rest of what they use of a WebSocket (its events, its state,
 * pings, terminate). Two implementations: a `ws` WebSocket adapted as it is (ws-link.ts), and
 * an in-process pair for the relay `hooktap http` embeds (local-link.ts), so everything above
 * the transport (handshake, heartbeats, mux, forwarding) is one code path over either.
 */
import type { CorkableTransport, FrameSocket } from "./frame-socket.js";

/** Where a link is: the four states of a WebSocket's `readyState`. */
export type LinkState = "connecting" | "open" | "closing" | "closed";

/**
 * What a link tells its owner. Never called from inside a method of the link (a `send`,
 * `close` or `terminate` never re-enters its caller): always from a later event-loop turn.
 */
export interface LinkHandlers {
  /** The link opened (once): only for a link attached while `connecting`. */
  open(): void;
  /** One message from the peer: a text frame as a string, a binary frame as bytes. */
  message(frame: string | Uint8Array): void;
  /** The peer showed it is alive without a message: a ping (answered by the link) or a pong. */
  heartbeat(): void;
  /** Something failed; `close` follows. */
  error(error: Error): void;
  /**
   * The link is closed (once, last): the close code and reason of the closing handshake,
   * 1006 and "" when it was cut without one.
   */
  close(code: number, reason: string): void;
}

/**
 * One end of a connection between an agent and a relay.
 *
 * @example
 * link.attach({ open, message: (frame) => mux.receive(frame), heartbeat, error, close: () => mux.close() });
 * const mux = createMux({ side: "relay", socket: link, transport: link.transport, onControl });
 */
export interface LinkSocket extends FrameSocket {
  /** Now; `send` works only while `open`. */
  readonly state: LinkState;
  /**
   * The byte stream under the link, for the mux to cork per event-loop turn; undefined when
   * there is none (in-process) or it is not known yet (a WebSocket still connecting).
   */
  readonly transport: CorkableTransport | undefined;
  /** Starts telling `handlers` what happens. Called once, by the link's owner. */
  attach(handlers: LinkHandlers): void;
  /** Asks the peer for a pong. Does nothing unless `open`. */
  ping(): void;
  /** Cuts the link at once, without a closing handshake: `close` follows with 1006. */
  terminate(): void;
}
