/**
 * Every answer of the inspector is JSON; every error is an RFC 9457 problem object
 * (`application/problem+json`) with a stable `code` extension for scripts.
 */
import { type ServerResponse, STATUS_CODES } from "node:http";

/** An RFC 9457 problem, plus `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable and machine-readable, e.g. `host_not_allowed`. */
  code: string;
}

/** A JSON answer a route returns. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
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
): Reply {
  const body: Problem = {
    type: "about:blank",
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail,
    code,
  };
  return headers === undefined ? { status, body } : { status, body, headers };
}

/**
 * Writes a reply: JSON, never cached, never sniffed.
 *
 * @example
 * send(res, { status: 200, body: { ok: true } });
 */
export function send(res: ServerResponse, reply: Reply): void {
  const isProblem = reply.status >= 400;
  const text = `${JSON.stringify(reply.body, null, 2)}\n`;
  res.writeHead(reply.status, {
    "Content-Type": isProblem
      ? "application/problem+json; charset=utf-8"
      : "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...reply.headers,
  });
  res.end(text);
}
