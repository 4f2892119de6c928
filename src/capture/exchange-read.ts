/**
 * Small readers over the stored bytes of an exchange, shared by the derived views (Okta view,
 * lint) and the list filters: header lookup in raw pairs, body text, duration.
 */
import type { CapturedBody, Exchange, RawHeaders } from "./types.js";

const lenient = new TextDecoder("utf-8");
const strict = new TextDecoder("utf-8", { fatal: true });

/**
 * The first value of header `name` (compared case-insensitively, as HTTP names are), or null.
 *
 * @example
 * headerValue([["Content-Type", "application/json"]], "content-type"); // "application/json"
 */
export function headerValue(raw: RawHeaders, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [n, v] of raw) if (n.toLowerCase() === wanted) return v;
  return null;
}

/** The body's kept bytes as text; invalid UTF-8 sequences become U+FFFD. */
export function bodyText(body: CapturedBody): string {
  return lenient.decode(body.bytes);
}

/** The body's kept bytes as text, or null when they are not valid UTF-8. */
export function strictBodyText(body: CapturedBody): string | null {
  try {
    return strict.decode(body.bytes);
  } catch {
    return null;
  }
}

/** The JSON a body holds, tagged, never throwing. */
export type ParsedJson =
  | { ok: true; value: unknown }
  | { ok: false; reason: "empty" | "not_utf8" | "not_json" };

/** Parses a body as JSON without throwing. */
export function parseJsonBody(body: CapturedBody): ParsedJson {
  if (body.bytes.byteLength === 0) return { ok: false, reason: "empty" };
  const text = strictBodyText(body);
  if (text === null) return { ok: false, reason: "not_utf8" };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: "not_json" };
  }
}

/**
 * How long the exchange took, `doneAt − receivedAt` in milliseconds; null until it is done.
 *
 * @example
 * durationMs({ ...exchange, timing: { receivedAt: 10, forwardedAt: 11, firstByteAt: 40, doneAt: 42 } }); // 32
 */
export function durationMs(exchange: Exchange): number | null {
  const { receivedAt, doneAt } = exchange.timing;
  return doneAt === null ? null : doneAt - receivedAt;
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
