/**
 * The one codec: control messages to and from JSON text, and any received WebSocket frame to
 * a typed `Frame`. Both directions run the same guards (validate.ts), so what `encodeMessage`
 * accepts the peer's decoder accepts too, and a bug shows up at the sender, not as a closed
 * connection on the other side.
 */
import { decodeData } from "./data-frame.js";
import { ProtocolError } from "./errors.js";
import { MAX_CONTROL_FRAME_BYTES } from "./limits.js";
import type { AgentMessage, Frame, Message, RelayMessage } from "./messages.js";
import { type Sender, validateMessage } from "./validate.js";

/** UTF-8 length of a string, as the WebSocket will send it (a lone surrogate becomes 3 bytes of U+FFFD). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function checkControlSize(text: string): void {
  // A UTF-16 unit is 1 to 3 UTF-8 bytes: count exactly only when the cheap bounds disagree.
  const tooLarge =
    text.length > MAX_CONTROL_FRAME_BYTES ||
    (text.length * 3 > MAX_CONTROL_FRAME_BYTES && utf8Length(text) > MAX_CONTROL_FRAME_BYTES);
  if (tooLarge) {
    throw new ProtocolError(
      "frame_too_large",
      `control frame is over the ${MAX_CONTROL_FRAME_BYTES}-byte limit`,
    );
  }
}

function parseMessage(text: string, from?: Sender): Message {
  if (typeof text !== "string") {
    throw new ProtocolError("invalid_frame", "a control frame must be a string");
  }
  checkControlSize(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // No `cause`: V8's message quotes the input, and the input may hold a token.
    throw new ProtocolError("malformed_json", "control frame is not valid JSON");
  }
  return validateMessage(parsed, from);
}

/**
 * Serialises a control message to the text of one WebSocket text frame. Checks it with the
 * decoder's guards first and throws `ProtocolError` for what the peer would refuse
 * (`invalid_message`, `frame_too_large`).
 *
 * @example
 * socket.send(encodeMessage({ type: "window", stream: 7, bytes: 131072 }));
 */
export function encodeMessage(message: Message): string {
  const text = JSON.stringify(validateMessage(message));
  checkControlSize(text);
  return text;
}

/**
 * Parses and validates the text of a control frame, from either side. Throws `ProtocolError`
 * and nothing else.
 *
 * @example
 * const message = decodeMessage('{"type":"window","stream":7,"bytes":65536}');
 * if (message.type === "window") window.grant(message.bytes);
 */
export function decodeMessage(text: string): Message {
  return parseMessage(text, undefined);
}

/**
 * Decodes a control frame sent by an agent (use it in the relay): also refuses a message only
 * a relay may send, with `wrong_direction`.
 *
 * @example
 * const message = decodeAgentMessage(text); // HelloMessage | ResponseMessage | …
 */
export function decodeAgentMessage(text: string): AgentMessage {
  return parseMessage(text, "agent") as AgentMessage;
}

/**
 * Decodes a control frame sent by a relay (use it in the agent): also refuses a message only
 * an agent may send, with `wrong_direction`.
 *
 * @example
 * const message = decodeRelayMessage(text); // WelcomeMessage | RequestMessage | …
 */
export function decodeRelayMessage(text: string): RelayMessage {
  return parseMessage(text, "relay") as RelayMessage;
}

function frameOf<M extends Message>(data: string | Uint8Array, from?: Sender): Frame<M> {
  if (typeof data === "string") return { kind: "control", message: parseMessage(data, from) as M };
  if (data instanceof Uint8Array) return { kind: "data", ...decodeData(data) };
  throw new ProtocolError(
    "invalid_frame",
    "a frame must be a string (text) or a Uint8Array (binary)",
  );
}

/**
 * Decodes whatever arrived on the socket: a string is a control frame, bytes are a data
 * frame. Pass text frames as strings (with `ws`: `isBinary ? data : data.toString()`).
 * Throws `ProtocolError` and nothing else.
 *
 * @example
 * const frame = decodeFrame(isBinary ? data : data.toString());
 * if (frame.kind === "data") streams.get(frame.stream)?.push(frame.payload, frame.end);
 * else dispatch(handlers, frame.message);
 */
export function decodeFrame(data: string | Uint8Array): Frame {
  return frameOf(data);
}

/**
 * {@link decodeFrame} for the relay: control frames must be messages an agent may send.
 *
 * @example
 * const frame = decodeAgentFrame(isBinary ? data : data.toString()); // Frame<AgentMessage>
 */
export function decodeAgentFrame(data: string | Uint8Array): Frame<AgentMessage> {
  return frameOf(data, "agent");
}

/**
 * {@link decodeFrame} for the agent: control frames must be messages a relay may send.
 *
 * @example
 * const frame = decodeRelayFrame(isBinary ? data : data.toString()); // Frame<RelayMessage>
 */
export function decodeRelayFrame(data: string | Uint8Array): Frame<RelayMessage> {
  return frameOf(data, "relay");
}
