/**
 * Binary data frames: `u32 stream id (big-endian) | u8 flags | payload`. Body bytes are
 * carried as they are, never re-encoded, so what the sender read is what the receiver writes.
 */
import { ProtocolError } from "./errors.js";
import {
  DATA_FRAME_HEADER_BYTES,
  END_FLAG,
  MAX_DATA_PAYLOAD_BYTES,
  MAX_STREAM_ID,
  MIN_STREAM_ID,
} from "./limits.js";
import type { DataFrame } from "./messages.js";

function checkStream(stream: number): void {
  if (!Number.isInteger(stream) || stream < MIN_STREAM_ID || stream > MAX_STREAM_ID) {
    throw new ProtocolError(
      "invalid_stream",
      `data frame stream id must be an integer in ${MIN_STREAM_ID}..${MAX_STREAM_ID}`,
      { field: "data.stream" },
    );
  }
}

/**
 * Builds a binary data frame (a fresh buffer: header then a copy of the payload).
 * Throws `ProtocolError` `invalid_stream` or `frame_too_large` for what the peer would refuse.
 *
 * @example
 * socket.send(encodeData({ stream: 7, end: false, payload: chunk }));
 * socket.send(encodeData({ stream: 7, end: true, payload: new Uint8Array(0) })); // end of body
 */
export function encodeData(frame: DataFrame): Uint8Array {
  checkStream(frame.stream);
  const size = frame.payload.byteLength;
  if (size > MAX_DATA_PAYLOAD_BYTES) {
    throw new ProtocolError(
      "frame_too_large",
      `data frame payload is ${size} bytes; the limit is ${MAX_DATA_PAYLOAD_BYTES}`,
      { field: "data.payload" },
    );
  }
  const bytes = new Uint8Array(DATA_FRAME_HEADER_BYTES + size);
  new DataView(bytes.buffer).setUint32(0, frame.stream, false);
  bytes[4] = frame.end ? END_FLAG : 0;
  bytes.set(frame.payload, DATA_FRAME_HEADER_BYTES);
  return bytes;
}

/**
 * Reads a binary data frame. The returned `payload` is a view into `bytes`, not a copy:
 * copy it if `bytes` may be reused. Throws `ProtocolError` (`invalid_frame`, `truncated_frame`,
 * `frame_too_large`, `invalid_stream`, `invalid_flags`) and nothing else.
 *
 * @example
 * const { stream, end, payload } = decodeData(bytes);
 */
export function decodeData(bytes: Uint8Array): DataFrame {
  if (!(bytes instanceof Uint8Array)) {
    throw new ProtocolError("invalid_frame", "a data frame must be a Uint8Array");
  }
  if (bytes.byteLength < DATA_FRAME_HEADER_BYTES) {
    throw new ProtocolError(
      "truncated_frame",
      `data frame is ${bytes.byteLength} bytes; the header alone is ${DATA_FRAME_HEADER_BYTES}`,
    );
  }
  const size = bytes.byteLength - DATA_FRAME_HEADER_BYTES;
  if (size > MAX_DATA_PAYLOAD_BYTES) {
    throw new ProtocolError(
      "frame_too_large",
      `data frame payload is ${size} bytes; the limit is ${MAX_DATA_PAYLOAD_BYTES}`,
      { field: "data.payload" },
    );
  }
  const stream = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  checkStream(stream);
  const flags = bytes[4] ?? 0;
  if ((flags & ~END_FLAG) !== 0) {
    throw new ProtocolError(
      "invalid_flags",
      `data frame flags 0x${flags.toString(16)} set reserved bits`,
      {
        field: "data.flags",
      },
    );
  }
  return {
    stream,
    end: (flags & END_FLAG) !== 0,
    payload: bytes.subarray(DATA_FRAME_HEADER_BYTES),
  };
}
