/** HTTP helpers of the receiver tests: raw node:http exchanges and error-body assertions. */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { expect } from "vitest";

/**
 * Asserts a receiver error answer: status, `content-type: application/json`, and a body of
 * exactly `{ error, message }` with the given code; returns the message.
 *
 * @example
 * await expectJsonError(await fetch(url, { method: "PUT" }), 405, "method_not_allowed");
 */
export async function expectJsonError(
  response: Response,
  status: number,
  code: string,
): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(["error", "message"]);
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe("string");
  expect(body.message).not.toBe("");
  return body.message as string;
}

/** Raw HTTP exchange for what fetch cannot do: repeated headers, unfinished bodies. */
export interface RawExchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends headers, then up to `bodyBytes` of body without ever ending the request, and resolves
 * with the response: a server that waited for the whole body would never answer. With
 * `bodyBytes` 0 only a server that decides on the head alone answers at all.
 *
 * @example
 * await exchangeWithoutEnding(url, { "content-length": "10485760" }, 0); // 413 at once
 */
export function exchangeWithoutEnding(
  url: string,
  headers: Record<string, string | string[]>,
  bodyBytes: number,
  method = "POST",
): Promise<RawExchange> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method,
      headers,
      agent: false,
    });
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        req.destroy();
      });
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.flushHeaders();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (!answered && sent < bodyBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

/**
 * A complete request through node:http, e.g. with repeated headers (fetch would join them).
 *
 * @example
 * await exchangeRaw(url, "POST", { authorization: ["a", "a"] }, body);
 */
export function exchangeRaw(
  url: string,
  method: string,
  headers: Record<string, string | string[]>,
  body = "",
): Promise<RawExchange> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
