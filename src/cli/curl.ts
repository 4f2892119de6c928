/** A request to show as a copy-pasteable command. */
export interface CurlRequest {
  method: "GET" | "POST";
  url: string;
  headers: readonly (readonly [name: string, value: string])[];
  body?: string;
}

/**
 * A one-line `curl` command for a POSIX shell; every argument is single-quoted so bodies and
 * secrets survive the paste unchanged.
 *
 * @example
 * curlCommand({ method: "GET", url: "http://127.0.0.1:8082/x", headers: [["a", "b"]] });
 * // "curl -i 'http://127.0.0.1:8082/x' -H 'a: b'"
 */
export function curlCommand(request: CurlRequest): string {
  const parts = ["curl -i"];
  if (request.method !== "GET" || request.body !== undefined) parts.push(`-X ${request.method}`);
  parts.push(shellQuote(request.url));
  for (const [name, value] of request.headers) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined) parts.push(`--data-binary ${shellQuote(request.body)}`);
  return parts.join(" ");
}

/**
 * Quotes one argument for a POSIX shell; safe words stay bare.
 *
 * @example
 * shellQuote("it's"); // "'it'\\''s'"
 */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
