/**
 * DNS rebinding defence (design principle 5): a page on evil.example can make a browser resolve
 * evil.example to 127.0.0.1, but its requests still carry `Host: evil.example`. The emulator
 * answers only to loopback names with its port, the address it is bound to, and the host of
 * its org URL.
 */

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];
const WILDCARDS = new Set(["0.0.0.0", "::", "[::]", ""]);

/**
 * The `Host` values the emulator accepts, lower-cased.
 *
 * @example
 * allowedHosts("127.0.0.1", 7070, "http://127.0.0.1:7070");
 * // ["127.0.0.1:7070", "localhost:7070", "[::1]:7070"]
 */
export function allowedHosts(host: string, port: number, orgUrl: string): string[] {
  const names = new Set(LOOPBACK_NAMES);
  const bound = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  if (!WILDCARDS.has(bound)) names.add(bound.toLowerCase());
  const hosts = new Set([...names].map((name) => `${name}:${port}`));
  if (port === 80) for (const name of names) hosts.add(name);
  const org = new URL(orgUrl);
  hosts.add(org.host.toLowerCase());
  return [...hosts];
}

/** True when a request's `Host` header names this emulator. */
export function isAllowedHost(hostHeader: string | undefined, allowed: readonly string[]): boolean {
  if (hostHeader === undefined) return false;
  return allowed.includes(hostHeader.trim().toLowerCase());
}
