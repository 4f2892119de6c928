/**
 * A `ws` WebSocket as a {@link LinkSocket}: a thin adapter, so the relay's session and the
 * agent's connection run the same code over a WebSocket and over the in-process link. The
 * WebSocket is described by its shape ({@link WebSocketLike}): the protocol imports no
 * transport.
 */
import type { CorkableTransport } from "./frame-socket.js";
import type { LinkHandlers, LinkSocket, LinkState } from "./link.js";

/** The part of a `ws` WebSocket the adapter uses; a `ws` WebSocket fits as it is. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed (the WebSocket standard's values). */
  readonly readyState: number;
  send(data: string | Uint8Array, callback: (error?: Error) => void): void;
  close(code: number, reason: string): void;
  terminate(): void;
  ping(): void;
  on(event: "open" | "ping" | "pong", listener: () => void): unknown;
  on(
    event: "message",
    listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void,
  ): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "close", listener: (code: number, reason: Buffer) => void): unknown;
  /** A client's upgrade response: its socket is the transport under the WebSocket. */
  on(event: "upgrade", listener: (response: { socket: CorkableTransport }) => void): unknown;
}

const STATES: readonly LinkState[] = ["connecting", "open", "closing", "closed"];

class WebSocketLink implements LinkSocket {
  readonly #ws: WebSocketLike;
  #transport: CorkableTransport | undefined;

  constructor(ws: WebSocketLike, transport: CorkableTransport | undefined) {
    this.#ws = ws;
    this.#transport = transport;
    if (transport === undefined) {
      ws.on("upgrade", (response) => {
        this.#transport = response.socket;
      });
    }
  }

  get state(): LinkState {
    return STATES[this.#ws.readyState] ?? "closed";
  }

  get transport(): CorkableTransport | undefined {
    return this.#transport;
  }

  attach(handlers: LinkHandlers): void {
    const ws = this.#ws;
    ws.on("open", () => handlers.open());
    ws.on("message", (data, isBinary) => {
      const bytes = toBuffer(data);
      handlers.message(isBinary ? bytes : bytes.toString());
    });
    ws.on("ping", () => handlers.heartbeat());
    ws.on("pong", () => handlers.heartbeat());
    ws.on("error", (error) => handlers.error(error));
    ws.on("close", (code, reason) => handlers.close(code, reason.toString()));
  }

  send(frame: string | Uint8Array, callback: (error?: Error) => void): void {
    this.#ws.send(frame, callback);
  }

  close(code: number, reason: string): void {
    this.#ws.close(code, reason);
  }

  ping(): void {
    if (this.#ws.readyState !== 1) return;
    try {
      this.#ws.ping();
    } catch {
      // The socket is closing; its 'close' event carries the story.
    }
  }

  terminate(): void {
    this.#ws.terminate();
  }
}

/**
 * Adapts a WebSocket. `transport` is the socket under it when known (a server's upgrade);
 * a client's is taken from its `upgrade` event.
 *
 * @example
 * wss.handleUpgrade(req, socket, head, (ws) => accept(linkOverWebSocket(ws, socket)));
 * const link = linkOverWebSocket(new WebSocket(url)); // its transport is known at the upgrade
 */
export function linkOverWebSocket(ws: WebSocketLike, transport?: CorkableTransport): LinkSocket {
  return new WebSocketLink(ws, transport);
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}
