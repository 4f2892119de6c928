/**
 * Reading request bodies: Okta's framing rule (a POST or PUT needs `Content-Length`, or a
 * chunked body, else 411), a size cap, and JSON parsing that fails as Okta does (E0000003).
 */
import type { IncomingMessage } from "node:http";
import { OktaApiError } from "./okta-api-error.js";

/** The largest request body the emulator reads. Okta's own objects are a few KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The 411 Okta answers to a POST or PUT that declares no length (shared spec §5.1): no
 * `Content-Length` and no `Transfer-Encoding`. `undefined` when the request is framed.
 */
export function lengthRequired(req: IncomingMessage): OktaApiError | undefined {
  const method = req.method ?? "GET";
  if (method !== "POST" && method !== "PUT") return undefined;
  if (req.headers["content-length"] !== undefined) return undefined;
  if (req.headers["transfer-encoding"] !== undefined) return undefined;
  return new OktaApiError(411, "E0000003", "The request body was not well-formed.", [
    {
      errorSummary:
        "Content-Length: a POST or PUT must declare its body length (Content-Length: 0 when there is no body)",
    },
  ]);
}

/** The whole body, refusing more than {@link MAX_BODY_BYTES} (413). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): OktaApiError {
  return new OktaApiError(413, "E0000003", "The request body was not well-formed.", [
    { errorSummary: `body: larger than ${MAX_BODY_BYTES} bytes` },
  ]);
}

/**
 * The body parsed as JSON; an empty body is `undefined`. Anything that is not JSON is
 * E0000003, as Okta answers it.
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const bytes = await readBody(req);
  const text = bytes.toString("utf8").trim();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw OktaApiError.malformedBody(`body: ${detail}`);
  }
}
