/**
 * Writing the relay's own answers ({@link RelayResponse}) on a Node response.
 */
import type { ServerResponse } from "node:http";
import type { RelayResponse } from "./errors.js";

/**
 * Writes `response` exactly (head in order, body) and ends. With `close`, adds
 * `Connection: close` first: the request body was not read to its end, and reading the rest of
 * an unwanted (perhaps endless) body just to keep the connection is not worth it.
 * Returns the response as written, for the edge report. Does nothing when a head already left.
 *
 * @example
 * sendResponse(res, errorResponse("unauthorized", "…"), { close: !req.complete });
 */
export function sendResponse(
  res: ServerResponse,
  response: RelayResponse,
  options: { close?: boolean } = {},
): RelayResponse {
  const written: RelayResponse =
    options.close === true
      ? { ...response, rawHeaders: [...response.rawHeaders, ["Connection", "close"]] }
      : response;
  if (res.headersSent || res.destroyed) return written;
  res.sendDate = false;
  res.writeHead(written.status, written.rawHeaders.flat());
  res.end(written.body);
  return written;
}
