/**
 * The agent's end of a stream as its `onRequest` handler sees it: the request head, the body
 * as a Readable, and `respond`/`reset`. A handler that throws, or whose promise rejects,
 * costs its own stream only (`internal_error`), never the connection.
 */
import type { Readable, Writable } from "node:stream";
import type { RawHeaders, RequestMessage, ResetCode } from "./messages.js";
import type { MuxStream } from "./mux-stream.js";
import type { AgentMuxOptions, IncomingRequestStream } from "./mux-types.js";

/**
 * The message of anything thrown, for a `reset` or `error` message.
 *
 * @example
 * stream.resetLocal("internal_error", messageOf(error));
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A stream as the agent's handler sees it. A class, not an object literal with a getter: V8
 * turns each such literal into a dictionary-mode object with a map of its own.
 */
class IncomingRequest implements IncomingRequestStream {
  readonly id: number;
  readonly head: RequestMessage;
  readonly body: Readable;
  readonly done: Promise<void>;
  readonly #stream: MuxStream;

  constructor(stream: MuxStream, head: RequestMessage) {
    this.id = stream.id;
    this.head = head;
    this.body = stream.openReader();
    this.done = stream.done;
    this.#stream = stream;
  }

  respond(status: number, rawHeaders: RawHeaders): Writable {
    return this.#stream.respond(status, rawHeaders);
  }

  reset(code: ResetCode, message: string): void {
    this.#stream.resetLocal(code, message);
  }

  get aborted(): AbortSignal {
    return this.#stream.aborted;
  }
}

/**
 * Gives a new stream to the agent's request handler.
 *
 * @example
 * handOver(stream, message, options.onRequest);
 */
export function handOver(
  stream: MuxStream,
  head: RequestMessage,
  handler: NonNullable<AgentMuxOptions["onRequest"]>,
): void {
  const incoming = new IncomingRequest(stream, head);
  const failed = (error: unknown): void =>
    stream.resetLocal("internal_error", `the request handler failed: ${messageOf(error)}`, error);
  try {
    const result = handler(incoming);
    if (result instanceof Promise) result.catch(failed);
  } catch (error) {
    failed(error);
  }
}
