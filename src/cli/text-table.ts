/**
 * Rows of cells as aligned text lines: each column as wide as its widest cell, two spaces
 * apart, trailing spaces trimmed. For the CLI's small listings (tokens, queued requests).
 */

/**
 * @example
 * formatTable([["ID", "NAME"], ["tok_1", "laptop"]]); // ["ID     NAME", "tok_1  laptop"]
 */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

/**
 * An epoch-ms time as ISO 8601 to the second, `-` for none.
 *
 * @example
 * formatInstant(0); // "1970-01-01T00:00:00Z"
 */
export function formatInstant(at: number | null): string {
  return at === null ? "-" : new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * `text` cut to `width` characters, its last one an ellipsis when it was longer.
 *
 * @example
 * clip("/userCreated?id=00u1", 8); // "/userCr…"
 */
export function clip(text: string, width: number): string {
  if (text.length <= width) return text;
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}
