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
  return new BoundedBodyCapture(checkBodyLimit(limitBytes, "limitBytes"));
}

/**
 * A class, not an object literal with getters: V8 gives each such literal a dictionary of its
 * own, and the agent makes two captures per exchange (ARCHITECTURE.md, "Hot paths").
 */
class BoundedBodyCapture implements BodyCapture {
  readonly #limit: number;
  readonly #chunks: Uint8Array[] = [];
  #kept = 0;
  #size = 0;
  #result: CapturedBody | null = null;

  constructor(limit: number) {
    this.#limit = limit;
  }

  write(chunk: Uint8Array): void {
    if (this.#result !== null) throw new CaptureError("closed", "write after finish()");
    if (!(chunk instanceof Uint8Array)) {
      throw new CaptureError("invalid_argument", "a body chunk must be a Uint8Array");
    }
    this.#size += chunk.byteLength;
    const room = Math.min(this.#limit - this.#kept, chunk.byteLength);
    if (room > 0) {
      // `new Uint8Array(view)` copies; `Buffer#slice` would not.
      this.#chunks.push(new Uint8Array(chunk.subarray(0, room)));
      this.#kept += room;
    }
  }

  finish(): CapturedBody {
    if (this.#result === null) {
      const kept = this.#kept;
      this.#result = {
        bytes: join(this.#chunks, kept),
        size: this.#size,
        truncated: this.#size > kept,
      };
      this.#chunks.length = 0;
    }
    return this.#result;
  }

  get size(): number {
    return this.#size;
  }

  get truncated(): boolean {
    return this.#size > this.#kept;
  }
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
