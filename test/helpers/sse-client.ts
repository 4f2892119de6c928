/**
 * A small Server-Sent Events reader for tests: connects with node:http, parses events as they
 * arrive, and waits for the next one matching a predicate (with a timeout, never a sleep).
 */
import { type IncomingMessage, request } from "node:http";

/** One event as received; comments (heartbeats) have type `comment`. */
export interface SseEvent {
  id: string | null;
  type: string;
  data: string;
}

/** An open stream. */
export interface SseClient {
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  readonly events: SseEvent[];
  /** Resolves with the first event (received already or later) after `from` matching `match`. */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/**
 * Opens `path` on 127.0.0.1:`port` as an event stream.
 *
 * @example
 * const sse = await openSse(port, host, "/api/exchanges/stream");
 * const insert = await sse.next((e) => e.type === "insert");
 */
export function openSse(
  port: number,
  host: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        headers: { Host: host, Accept: "text/event-stream", ...headers },
      },
      (res) => {
        const events: SseEvent[] = [];
        const waiters = new Set<() => void>();
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf("\n\n");
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            events.push(...parseBlock(block));
            end = buffer.indexOf("\n\n");
          }
          for (const waiter of [...waiters]) waiter();
        });
        res.on("error", () => {});
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          next(match, timeoutMs = 5000) {
            return new Promise((done, fail) => {
              const check = (): void => {
                const found = events.find(match);
                if (found === undefined) return;
                clearTimeout(timer);
                waiters.delete(check);
                done(found);
              };
              const timer = setTimeout(() => {
                waiters.delete(check);
                fail(new Error(`no matching event in ${timeoutMs} ms: ${JSON.stringify(events)}`));
              }, timeoutMs);
              waiters.add(check);
              check();
            });
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function parseBlock(block: string): SseEvent[] {
  const comments: SseEvent[] = [];
  let id: string | null = null;
  let type = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":"))
      comments.push({ id: null, type: "comment", data: line.slice(1).trim() });
    else if (line.startsWith("id: ")) id = line.slice(4);
    else if (line.startsWith("event: ")) type = line.slice(7);
    else if (line.startsWith("data: ")) data.push(line.slice(6));
  }
  return data.length === 0 ? comments : [...comments, { id, type, data: data.join("\n") }];
}
