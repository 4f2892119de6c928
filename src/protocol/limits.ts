/**
 * The numbers both sides must agree on. Changing one is a protocol change: bump
 * `PROTOCOL_VERSION` (messages.ts) with it.
 */

/** Largest control (JSON text) frame, in UTF-8 bytes. Bigger frames are rejected unparsed. */
export const MAX_CONTROL_FRAME_BYTES = 1024 * 1024;

/** Bytes before the payload of a data frame: u32 stream id (big-endian) + u8 flags. */
export const DATA_FRAME_HEADER_BYTES = 5;

/** Largest payload of one data frame. A body travels as many frames of at most this size. */
export const MAX_DATA_PAYLOAD_BYTES = 64 * 1024;

/**
 * Largest WebSocket message either side ever sends; give it to the transport as its
 * receive limit (e.g. `ws`'s `maxPayload`) so oversize frames die before being buffered.
 */
export const MAX_FRAME_BYTES = Math.max(
  MAX_CONTROL_FRAME_BYTES,
  DATA_FRAME_HEADER_BYTES + MAX_DATA_PAYLOAD_BYTES,
);

/** Smallest stream id. 0 is reserved (never a stream), so a zeroed header is always invalid. */
export const MIN_STREAM_ID = 1;

/** Largest stream id: the u32 of the data frame header. */
export const MAX_STREAM_ID = 0xffff_ffff;

/** Flag bit 0 of a data frame: the last frame of this direction's body. */
export const END_FLAG = 0x01;

/**
 * Largest body, in bytes before base64, that an `edge` report carries per direction; the rest
 * is cut and flagged `truncated`. Two of them plus headers stay well under
 * {@link MAX_CONTROL_FRAME_BYTES}.
 */
export const MAX_EDGE_BODY_BYTES = 256 * 1024;

/** Credit each side holds for each direction of a stream the moment the stream opens. */
export const INITIAL_WINDOW_BYTES = 256 * 1024;

/** Largest credit a window may hold, as in HTTP/2 (RFC 9113 §6.9.1): catches runaway grants. */
export const MAX_WINDOW_BYTES = 0x7fff_ffff;
