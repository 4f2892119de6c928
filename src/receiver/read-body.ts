/**
 * Reading a request body into memory with a hard size limit, from a Node stream, a web
 * `ReadableStream` or any async iterable of bytes; and throwing away a body left unread.
 */

/** Thrown by {@link readBody} when the body grows past the limit; adapters answer 413. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  /** Stable code for `switch`es and logs. */
  readonly code = "body_too_large";
  /** The limit in bytes. */
  readonly limitBytes: number;
  /** Bytes seen when reading stopped (or the declared `content-length`): more than the limit. */
  readonly receivedBytes: number;

  constructor(limitBytes: number, receivedBytes: number) {
    super(`request body exceeds the limit of ${limitBytes} bytes (got at least ${receivedBytes})`);
    this.limitBytes = limitBytes;
    this.receivedBytes = receivedBytes;
  }
}

/** Where a body can be read from. Node's `IncomingMessage` is an async iterable. */
export type BodySource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

/** The parts of a Node `Readable` used to stop collecting without destroying it. */
interface NodeReadableLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  resume(): unknown;
  readonly readableEnded?: boolean;
}

/**
 * Reads a whole body, failing with {@link BodyTooLargeError} as soon as it exceeds
 * `limitBytes` — the oversized body is never buffered whole.
 *
 * When it stops early, a Node stream is left flowing so the rest is discarded as it arrives
 * (destroying an `IncomingMessage` would kill the socket before the 413 is written), a web
 * `ReadableStream` is cancelled, and any other iterator is closed with `return()`.
 *
 * @example
 * try {
 *   const bytes = await readBody(req, 4 * 1024 * 1024);
 * } catch (error) {
 *   if (error instanceof BodyTooLargeError) res.writeHead(413).end();
 * }
 */
export async function readBody(source: BodySource, limitBytes: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(limitBytes) || limitBytes < 0) {
    throw new RangeError(`limitBytes must be a non-negative integer, got ${limitBytes}`);
  }
  if (isNodeReadable(source)) return readNodeStream(source, limitBytes);
  if (isWebStream(source)) return readWebStream(source, limitBytes);
  return readIterable(source, limitBytes);
}

/**
 * Throws away a body that will not be read, without buffering it, once the answer is known
 * from the request head (`receiver.precheck()`). A Node stream is left flowing so its bytes
 * are dropped as they arrive (destroying an `IncomingMessage` would reset the connection and
 * could lose the answer), a web `ReadableStream` is cancelled, and any other iterator closed.
 *
 * @example
 * const early = receiver.precheck({ method, url, headers });
 * if (early !== null) {
 *   discardBody(req);
 *   return writeAnswer(res, early);
 * }
 */
export function discardBody(source: BodySource): void {
  if (isNodeReadable(source)) {
    discardNodeStream(source);
  } else if (isWebStream(source)) {
    // Rejects when a reader holds the stream; whoever holds it then owns the body.
    source.cancel().catch(ignoreError);
  } else {
    const iterator = source[Symbol.asyncIterator]();
    Promise.resolve(iterator.return?.()).catch(ignoreError);
  }
}

function discardNodeStream(stream: NodeReadableLike): void {
  // Keep an error listener: a client that hangs up mid-body must not crash the process.
  stream.on("error", ignoreError);
  stream.resume();
}

function isNodeReadable(source: BodySource): source is BodySource & NodeReadableLike {
  const candidate = source as Partial<NodeReadableLike>;
  return (
    typeof candidate.on === "function" &&
    typeof candidate.removeListener === "function" &&
    typeof candidate.resume === "function"
  );
}

function isWebStream(source: BodySource): source is ReadableStream<Uint8Array> {
  return typeof (source as Partial<ReadableStream<Uint8Array>>).getReader === "function";
}

function toBytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, total);
}

function readNodeStream(stream: NodeReadableLike, limitBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const cleanup = (): void => {
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onError);
    };
    const onData = (chunk: Uint8Array | string): void => {
      const bytes = toBytes(chunk);
      total += bytes.byteLength;
      if (total > limitBytes) {
        cleanup();
        chunks.length = 0;
        discardNodeStream(stream);
        reject(new BodyTooLargeError(limitBytes, total));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(concat(chunks, total));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    if (stream.readableEnded === true) {
      resolve(new Uint8Array(0));
      return;
    }
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
  });
}

function ignoreError(): void {}

async function readWebStream(
  stream: ReadableStream<Uint8Array>,
  limitBytes: number,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return concat(chunks, total);
      total += value.byteLength;
      if (total > limitBytes) {
        reader.cancel().catch(ignoreError);
        throw new BodyTooLargeError(limitBytes, total);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}

async function readIterable(
  source: AsyncIterable<Uint8Array | string>,
  limitBytes: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  // `for await` closes the iterator when the loop is left by the throw.
  for await (const chunk of source) {
    const bytes = toBytes(chunk);
    total += bytes.byteLength;
    if (total > limitBytes) throw new BodyTooLargeError(limitBytes, total);
    chunks.push(bytes);
  }
  return concat(chunks, total);
}
