/**
 * Reading a public request's body under the endpoint's limit: whole (for the queue) or as a
 * stream (for live forwarding). Past the limit, reading stops, so a sender cannot make the
 * relay buffer or forward more than `maxBodyBytes`.
 */
import type { IncomingMessage } from "node:http";
import { Transform, type TransformCallback } from "node:stream";
import { StreamResetError } from "../protocol/index.js";

/** The body went past the endpoint's `maxBodyBytes`. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  /** The limit that was exceeded. */
  readonly limit: number;

  constructor(limit: number) {
    super(`the body is larger than ${limit} bytes`);
    this.limit = limit;
  }
}

/** The public client went away before its body ended. */
export class ClientAbortedError extends Error {
  override readonly name = "ClientAbortedError";
}

/**
 * Reads `req`'s whole body, refusing more than `maxBytes`: rejects with
 * {@link BodyTooLargeError} (having stopped reading), or {@link ClientAbortedError}.
 *
 * @example
 * const body = await readBody(req, policy.maxBodyBytes);
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      req.off("error", onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(new BodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onClose = (): void => {
      cleanup();
      reject(new ClientAbortedError("the client disconnected before the end of its body"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
    req.on("error", onClose);
  });
}

/**
 * `req`'s body as a stream that errors with a `body_too_large` `StreamResetError` past
 * `maxBytes` (calling `onTooLarge` first), and with an `aborted` one when the client goes away
 * mid-body; the mux turns either into the stream's `reset`.
 *
 * @example
 * const body = limitBody(req, policy.maxBodyBytes, () => reply413());
 * mux.openRequest(head, body);
 */
export function limitBody(
  req: IncomingMessage,
  maxBytes: number,
  onTooLarge: () => void,
): Transform {
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        req.unpipe(limiter);
        req.pause();
        onTooLarge();
        callback(
          new StreamResetError("body_too_large", `the body is larger than ${maxBytes} bytes`),
        );
        return;
      }
      callback(null, chunk);
    },
  });
  const onClose = (): void => {
    if (!req.complete) {
      limiter.destroy(new StreamResetError("aborted", "the public client disconnected"));
    }
  };
  req.once("close", onClose);
  req.once("error", onClose);
  limiter.once("close", () => {
    req.off("close", onClose);
    req.off("error", onClose);
  });
  req.pipe(limiter);
  return limiter;
}
