/**
 * POSIX shell quoting for the commands hooktap prints (`curl`, `printf`). Everything is
 * single-quoted, where a shell expands nothing (`$`, backticks, `\`, `!` in sh), so a hostile
 * header value or body reaches the program as exactly the bytes it was.
 */

/**
 * Quotes one argument for a POSIX shell; safe words stay bare.
 *
 * @example
 * shellQuote("it's"); // "'it'\\''s'"
 */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Each byte value as it appears in a {@link printfFormat} string. */
const PRINTF_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte >= 0x20 && byte <= 0x7e && byte !== 0x27 && byte !== 0x5c && byte !== 0x25
    ? String.fromCharCode(byte)
    : `\\${byte.toString(8).padStart(3, "0")}`,
);

/**
 * A quoted `printf` format that prints exactly `bytes`: printable ASCII as itself, every other
 * byte (NUL, controls, UTF-8 sequences, `'`, `\`, `%`) as a three-digit octal escape, which
 * every POSIX `printf` (dash, bash, zsh builtins, coreutils) understands. Used for bodies that
 * cannot travel as a command-line argument (NUL bytes, or longer than Linux's 128 KiB limit on
 * one argument; `printf` is a shell builtin, so it is not bound by that limit).
 *
 * @example
 * printfFormat(Uint8Array.of(0, 0x41, 0x27)); // "'\\000A\\047'"
 */
export function printfFormat(bytes: Uint8Array): string {
  const parts: string[] = new Array(bytes.byteLength);
  for (let i = 0; i < bytes.byteLength; i++) parts[i] = PRINTF_BYTE[bytes[i] ?? 0] ?? "";
  return `'${parts.join("")}'`;
}
