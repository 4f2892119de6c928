/**
 * Every answer of the inspector is JSON (exports aside); every error is an RFC 9457 problem
 * object (`application/problem+json`) with a stable `code` extension for scripts.
 */
import { type ServerResponse, STATUS_CODES } from "node:http";

/** An RFC 9457 problem, plus `code` (and, for a bad field, `field`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable and machine-readable, e.g. `host_not_allowed`. */
  code: string;
  /** The offending request field or query parameter, when one is to blame, e.g. `limit`. */
  field?: string;
}

/**
 * A route's answer: JSON `body`, or `raw` bytes sent as they are (with a `Content-Type` in
 * `headers`). Status 204 sends no body at all.
 */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
  /** Sent instead of `body` as JSON: an export file, a curl script. */
  raw?: string | Uint8Array;
}

/**
 * A problem reply. `type` is `about:blank`, so `title` is the status phrase (RFC 9457 §4.2.1).
 *
 * @example
 * return problem(404, "not_found", "no tunnel named 'x'");
 */
export function problem(
  status: number,
  code: string,
  detail: string,
  headers?: Readonly<Record<string, string>>,
  field?: string,
): Reply {
  const body: Problem = {
    type: "about:blank",
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail,
    code,
  };
  if (field !== undefined) body.field = field;
  return headers === undefined ? { status, body } : { status, body, headers };
}

/**
 * A problem thrown from deep inside a route (a body too large, a bad query parameter); the
 * server answers it like a returned {@link problem}.
 *
 * @example
 * throw new ProblemError(400, "invalid_query", "limit must be an integer from 1 to 1000", { field: "limit" });
 */
export class ProblemError extends Error {
  override readonly name = "ProblemError";
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    status: number,
    code: string,
    detail: string,
    options: { field?: string; headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(detail);
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers;
  }

  /** This error as a reply. */
  toReply(): Reply {
    return problem(this.status, this.code, this.message, this.headers, this.field);
  }
}

/**
 * Writes a reply: JSON (or the raw bytes), never cached, never sniffed.
 *
 * @example
 * send(res, { status: 200, body: { ok: true } });
 */
export function send(res: ServerResponse, reply: Reply): void {
  const common = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  if (reply.status === 204 || reply.status === 304) {
    res.writeHead(reply.status, { ...common, ...reply.headers });
    res.end();
    return;
  }
  if (reply.raw !== undefined) {
    const bytes = typeof reply.raw === "string" ? Buffer.from(reply.raw) : reply.raw;
    res.writeHead(reply.status, {
      "Content-Type": "application/octet-stream",
      "Content-Length": bytes.byteLength,
      ...common,
      ...reply.headers,
    });
    res.end(bytes);
    return;
  }
  const isProblem = reply.status >= 400;
  const text = `${JSON.stringify(reply.body, null, 2)}\n`;
  res.writeHead(reply.status, {
    "Content-Type": isProblem
      ? "application/problem+json; charset=utf-8"
      : "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...common,
    ...reply.headers,
  });
  res.end(text);
}
