/**
 * The agent's end of a stream as its `onRequest` handler sees it: the request head, the body
 * as a Readable, and `respond`/`reset`. A handler that throws, or whose promise rejects,
 * costs its own stream only (`internal_error`), never the connection.
 */
import type { RequestMessage } from "./messages.js";
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
  const incoming: IncomingRequestStream = {
    id: stream.id,
    head,
    body: stream.openReader(),
    respond: (status, rawHeaders) => stream.respond(status, rawHeaders),
    reset: (code, message) => stream.resetLocal(code, message),
    aborted: stream.abort.signal,
    done: stream.done,
  };
  const failed = (error: unknown): void =>
    stream.resetLocal("internal_error", `the request handler failed: ${messageOf(error)}`, error);
  try {
    const result = handler(incoming);
    if (result instanceof Promise) result.catch(failed);
  } catch (error) {
    failed(error);
  }
}
