/**
 * Where a public request goes, decided from its Host header and request target alone (pure,
 * no store): to an endpoint (by path prefix, or by subdomain when the relay has a domain), to
 * the agent gateway, or nowhere with an error code.
 *
 * Path routing: `/<name>/rest?query` reaches the app as `/rest?query`, `/<name>` as `/`,
 * `/<name>?query` as `/?query`; the query is kept byte for byte. Subdomain routing leaves the
 * target untouched. Host names compare case-insensitively (RFC 9110 §4.2.3); the port of the
 * Host header is ignored, because a relay behind a proxy or a port mapping sees another one.
 */
import type { RawHeaders } from "../protocol/index.js";
import { AGENT_PATH } from "./options.js";
import { isValidEndpointName } from "./store/index.js";

/** A Host header, parsed. */
export interface ParsedHost {
  /** Lower case, without a trailing dot; an IPv6 address keeps its brackets. */
  hostname: string;
  port: number | null;
}

/** Where a request goes. */
export type Route =
  | { kind: "endpoint"; name: string; target: string; by: "path" | "subdomain" }
  | { kind: "agent" }
  | {
      kind: "error";
      code: "bad_host" | "bad_request" | "unknown_endpoint";
      message: string;
    };

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const REG_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^\[[0-9a-f:.]{2,45}\]$/;
const PORT = /^\d{1,5}$/;

/**
 * Parses a Host header value (`name[:port]`, `1.2.3.4[:port]`, `[v6][:port]`); `null` when it
 * is not one.
 *
 * @example
 * parseHost("Okta-Dev.Relay.Example.com:8443"); // { hostname: "okta-dev.relay.example.com", port: 8443 }
 * parseHost("evil.com/x"); // null
 */
export function parseHost(value: string): ParsedHost | null {
  if (value.length === 0 || value.length > 261) return null;
  const text = value.toLowerCase();
  const bracketEnd = text.startsWith("[") ? text.indexOf("]") : -1;
  const colon = text.indexOf(":", bracketEnd === -1 ? 0 : bracketEnd);
  const hostPart = colon === -1 ? text : text.slice(0, colon);
  const portPart = colon === -1 ? null : text.slice(colon + 1);
  let port: number | null = null;
  if (portPart !== null) {
    if (!PORT.test(portPart) || Number(portPart) > 65_535) return null;
    port = Number(portPart);
  }
  if (IPV6.test(hostPart) || IPV4.test(hostPart)) return { hostname: hostPart, port };
  if (hostPart.length > 254 || !REG_NAME.test(hostPart)) return null;
  return { hostname: hostPart.endsWith(".") ? hostPart.slice(0, -1) : hostPart, port };
}

/** What {@link routeRequest} looks at. */
export interface RouteInput {
  /** The request's header pairs (only Host is read). */
  rawHeaders: RawHeaders;
  /** The request target as received (`req.url`). */
  target: string;
  /** The relay's domain, or `null` when it routes by path only. */
  domain: string | null;
}

/**
 * Decides where a request goes.
 *
 * @example
 * routeRequest({ rawHeaders: [["Host", "relay.example"]], target: "/okta-dev/hook?x=1", domain: null });
 * // { kind: "endpoint", name: "okta-dev", target: "/hook?x=1", by: "path" }
 */
export function routeRequest(input: RouteInput): Route {
  const hosts = input.rawHeaders.filter(([name]) => name.toLowerCase() === "host");
  if (hosts.length !== 1) {
    return badHost(
      hosts.length === 0
        ? "the request has no Host header"
        : "the request has several Host headers",
    );
  }
  const host = parseHost(hosts[0]?.[1] ?? "");
  if (host === null) return badHost("the Host header is not a host name");
  const { target } = input;
  if (!target.startsWith("/")) {
    return {
      kind: "error",
      code: "bad_request",
      message: "the request target must be a path (origin form)",
    };
  }
  const query = target.indexOf("?");
  const path = query === -1 ? target : target.slice(0, query);
  // The gateway authenticates agents by token, so it answers on any well-formed Host.
  if (path === AGENT_PATH) return { kind: "agent" };
  if (input.domain === null || host.hostname === input.domain) return byPath(target);
  const suffix = `.${input.domain}`;
  if (host.hostname.endsWith(suffix)) {
    const name = host.hostname.slice(0, -suffix.length);
    if (isValidEndpointName(name)) return { kind: "endpoint", name, target, by: "subdomain" };
  }
  return badHost(`the Host header must be ${input.domain} or <endpoint>.${input.domain}`);
}

function byPath(target: string): Route {
  const end = target.slice(1).search(/[/?]/);
  const segment = end === -1 ? target.slice(1) : target.slice(1, end + 1);
  if (segment === "") {
    return {
      kind: "error",
      code: "unknown_endpoint",
      message: "requests to this relay go to /<endpoint>/…",
    };
  }
  if (!isValidEndpointName(segment)) {
    return { kind: "error", code: "unknown_endpoint", message: "no such endpoint on this relay" };
  }
  const rest = target.slice(1 + segment.length);
  const stripped = rest === "" ? "/" : rest.startsWith("?") ? `/${rest}` : rest;
  return { kind: "endpoint", name: segment, target: stripped, by: "path" };
}

function badHost(message: string): Route {
  return { kind: "error", code: "bad_host", message };
}
