/**
 * DNS rebinding defence (design principle 5): a web page on evil.example can make a browser
 * resolve evil.example to 127.0.0.1 and read the inspector's API, but its requests still carry
 * `Host: evil.example`. Only loopback names with the inspector's own port (and the address it
 * is bound to, when that is a specific one) are accepted.
 */

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];
const WILDCARDS = new Set(["0.0.0.0", "::", "[::]", ""]);

/**
 * The `Host` values an inspector bound to `host:port` accepts, lower-cased.
 *
 * @example
 * allowedHosts("127.0.0.1", 4040); // ["127.0.0.1:4040", "localhost:4040", "[::1]:4040"]
 */
export function allowedHosts(host: string, port: number): string[] {
  const names = new Set(LOOPBACK_NAMES);
  const bound = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  if (!WILDCARDS.has(bound)) names.add(bound.toLowerCase());
  const hosts = [...names].map((name) => `${name}:${port}`);
  // Browsers and curl omit the port when it is the scheme's default.
  if (port === 80) hosts.push(...names);
  return hosts;
}

/**
 * True when a request's `Host` header names this inspector.
 *
 * @example
 * isAllowedHost("localhost:4040", allowedHosts("127.0.0.1", 4040)); // true
 * isAllowedHost("evil.example:4040", allowedHosts("127.0.0.1", 4040)); // false
 */
export function isAllowedHost(hostHeader: string | undefined, allowed: readonly string[]): boolean {
  if (hostHeader === undefined) return false;
  return allowed.includes(hostHeader.trim().toLowerCase());
}
