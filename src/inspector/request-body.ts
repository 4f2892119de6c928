/**
 * Reading request bodies at the API boundary: bounded (413 before reading when the declared
 * length is over the limit, and as soon as the bytes read go over it), and decoded into JSON
 * (or ngrok's form fields) once, with a 400 problem that says what is wrong.
 */
import type { IncomingMessage } from "node:http";
import { ProblemError } from "./problem.js";

/** JSON bodies of the API (replay modifications, ngrok's replay) are at most this big: 16 MiB. */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;
/** Import files are at most this big: 256 MiB (a HAR of 10,000 exchanges is about 40 MB). */
export const DEFAULT_MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/**
 * The whole body, or a 413 {@link ProblemError} (with `Connection: close`, so the rest of an
 * oversized body is not read) when it is larger than `limit` bytes.
 *
 * @example
 * const bytes = await readBody(req, 1024 * 1024);
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (): ProblemError =>
    new ProblemError(413, "body_too_large", `the request body is larger than ${limit} bytes`, {
      headers: { Connection: "close" },
    });
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * The body as a JSON value. An empty body is `undefined` (routes with optional bodies accept
 * it); anything that does not parse as UTF-8 JSON is a 400 `invalid_json` problem.
 *
 * @example
 * const input = await readJson(req, DEFAULT_MAX_REQUEST_BODY_BYTES);
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const bytes = await readBody(req, limit);
  return parseJsonBody(bytes);
}

/** Parses a JSON body; see {@link readJson}. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ProblemError(400, "invalid_json", "the request body is not valid UTF-8");
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProblemError(400, "invalid_json", `the request body is not valid JSON: ${reason}`);
  }
}

/**
 * ngrok's replay call takes its fields as JSON or, as in ngrok's own example
 * (`curl -d "id=…" http://localhost:4040/api/requests/http`), as a form.
 *
 * @example
 * await readJsonOrForm(req, limit); // { id: "548fb5c700000002" }
 */
export async function readJsonOrForm(req: IncomingMessage, limit: number): Promise<unknown> {
  const bytes = await readBody(req, limit);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  const text = Buffer.from(bytes).toString("utf8").trim();
  if (type.startsWith("application/x-www-form-urlencoded") && !text.startsWith("{")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return parseJsonBody(bytes);
}

/**
 * The body as a JSON object, or a 400 problem naming what came instead.
 *
 * @example
 * const fields = expectObject(await readJson(req, limit), "the replay options");
 */
export function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProblemError(
      400,
      "invalid_body",
      `${what} must be a JSON object, got ${describeJson(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

/** `an array`, `a string`, `null`, … */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
