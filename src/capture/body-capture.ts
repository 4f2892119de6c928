/**
 * Teeing a body stream into a {@link CapturedBody}: keep the first bytes up to a limit, count all
 * of them. The agent forwards a 100 MB upload while holding at most the limit in memory.
 */
import { CaptureError } from "./errors.js";
import type { CapturedBody } from "./types.js";

/** How many bytes of each body are kept by default: 10 MiB. Larger bodies are truncated. */
export const DEFAULT_CAPTURE_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** Accumulates one body; see {@link createBodyCapture}. */
export interface BodyCapture {
  /** Records a chunk: counts all of it, keeps (a copy of) what fits under the limit. */
  write(chunk: Uint8Array): void;
  /** Ends the capture and returns the body; later calls return the same body. */
  finish(): CapturedBody;
  /** Bytes seen so far. */
  readonly size: number;
  /** True once more bytes were seen than the limit keeps. */
  readonly truncated: boolean;
}

/**
 * Throws unless `value` is a byte limit: a non-negative safe integer (0 keeps sizes only).
 * Shared with the stores' `bodyLimitBytes` option.
 */
export function checkBodyLimit(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new CaptureError("invalid_argument", `${name} must be a non-negative integer`, {
      field: name,
    });
  }
  return value;
}

/**
 * Starts capturing a body. Chunks are copied as they are written, so the caller may reuse its
 * buffers; `finish()` joins them once.
 *
 * @example
 * const capture = createBodyCapture();
 * req.on("data", (chunk: Buffer) => {
 *   capture.write(chunk);
 *   upstream.write(chunk);
 * });
 * req.on("end", () => {
 *   store.update(id, { request: { ...head, body: capture.finish() } });
 * });
 */
export function createBodyCapture(
  limitBytes: number = DEFAULT_CAPTURE_BODY_LIMIT_BYTES,
): BodyCapture {
  const limit = checkBodyLimit(limitBytes, "limitBytes");
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let size = 0;
  let result: CapturedBody | null = null;

  return {
    write(chunk) {
      if (result !== null) throw new CaptureError("closed", "write after finish()");
      if (!(chunk instanceof Uint8Array)) {
        throw new CaptureError("invalid_argument", "a body chunk must be a Uint8Array");
      }
      size += chunk.byteLength;
      const room = Math.min(limit - kept, chunk.byteLength);
      if (room > 0) {
        // `new Uint8Array(view)` copies; `Buffer#slice` would not.
        chunks.push(new Uint8Array(chunk.subarray(0, room)));
        kept += room;
      }
    },
    finish() {
      if (result === null) {
        result = { bytes: join(chunks, kept), size, truncated: size > kept };
        chunks.length = 0;
      }
      return result;
    },
    get size() {
      return size;
    },
    get truncated() {
      return size > kept;
    },
  };
}

function join(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
