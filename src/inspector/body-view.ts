/**
 * Bodies in the API's JSON: text when the bytes are UTF-8 (what webhooks send), base64 when
 * they are not, never both, so a client reads one field and gets the exact bytes back.
 */
import type { CapturedBody } from "../capture/index.js";

/** A body as the API shows it. Exactly one of `text` and `base64` is a string. */
export interface BodyView {
  /** Size on the wire, in bytes. */
  size: number;
  /** True when the capture kept only the first `bytes` bytes. */
  truncated: boolean;
  /** Bytes kept (less than `size` when truncated). */
  kept: number;
  /** `utf8` when `text` holds the bytes, `base64` when `base64` does. */
  encoding: "utf8" | "base64";
  text: string | null;
  base64: string | null;
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The view of a body.
 *
 * @example
 * bodyView({ bytes: new TextEncoder().encode("{}"), size: 2, truncated: false });
 * // { size: 2, truncated: false, kept: 2, encoding: "utf8", text: "{}", base64: null }
 */
export function bodyView(body: CapturedBody): BodyView {
  const common = { size: body.size, truncated: body.truncated, kept: body.bytes.byteLength };
  const text = utf8Text(body.bytes);
  if (text !== null) return { ...common, encoding: "utf8", text, base64: null };
  const base64 = Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  return { ...common, encoding: "base64", text: null, base64: base64.toString("base64") };
}

/** The bytes as text when they are valid UTF-8, else null. */
function utf8Text(bytes: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}
