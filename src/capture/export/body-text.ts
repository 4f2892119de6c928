/**
 * Body bytes as text or base64, for the export formats. A body is "text" when it is valid UTF-8
 * without NUL: decoding and re-encoding such bytes gives them back exactly (the BOM included),
 * so exports may show it as text and stay lossless.
 */

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const ENCODER = new TextEncoder();
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes as a string when they are valid UTF-8 without NUL, else null. */
export function utf8Text(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): Uint8Array {
  return ENCODER.encode(text);
}

/** Standard base64 (with padding) of the bytes. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * The bytes of standard, padded base64, or null when `text` is not exactly that (Node's own
 * decoder silently skips bad characters, which would turn a typo into different bytes).
 */
export function fromBase64(text: string): Uint8Array | null {
  if (!BASE64.test(text)) return null;
  const buffer = Buffer.from(text, "base64");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The first value of a header, by case-insensitive name, or undefined. */
export function headerValue(
  headers: readonly (readonly [string, string])[],
  name: string,
): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}
