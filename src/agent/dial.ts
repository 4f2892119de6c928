/**
 * Dialling a relay over a WebSocket: the agent's default way to connect, when no in-process
 * link is given. The connection above it sees only a {@link LinkSocket}.
 */
import { WebSocket } from "ws";
import {
  type ClientInfo,
  type LinkSocket,
  linkOverWebSocket,
  MAX_FRAME_BYTES,
} from "../protocol/index.js";

/**
 * Opens a WebSocket to the relay's agent gateway; the link is `connecting` until it opens.
 *
 * @example
 * const link = dialWebSocket("wss://relay.example/_hooktap/agent", { handshakeTimeoutMs: 30_000, client });
 */
export function dialWebSocket(
  url: string,
  options: { handshakeTimeoutMs: number; client: ClientInfo },
): LinkSocket {
  const ws = new WebSocket(url, {
    maxPayload: MAX_FRAME_BYTES,
    handshakeTimeout: options.handshakeTimeoutMs,
    // Bodies are often compressed already; deflate would cost CPU on the byte path.
    perMessageDeflate: false,
    headers: { "User-Agent": `${options.client.name}/${options.client.version}` },
  });
  return linkOverWebSocket(ws);
}
