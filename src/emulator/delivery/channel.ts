/**
 * The part of an event hook's `channel.config` that the outbound requests use, and the headers
 * Okta derives from it (shared spec §1.2): the auth header verbatim, then the custom headers.
 */
import { oktaUserAgent } from "../../okta/index.js";

/** What a delivery or a verification needs of `channel.config`; `authScheme.value` included. */
export interface DeliveryChannel {
  /** The endpoint, absolute http(s). */
  uri: string;
  /** `{type: "HEADER", key, value}`: sent as `key: value`, verbatim. */
  authScheme?: { type: "HEADER"; key: string; value?: string } | null;
  /** Custom headers, sent after the auth header, in this order. */
  headers?: readonly { key: string; value: string }[] | null;
}

/**
 * The auth header (when the scheme has a value) and the custom headers, in Okta's order.
 *
 * @example
 * channelHeaders({ uri, authScheme: { type: "HEADER", key: "Authorization", value: "Basic YQ==" } });
 * // [["Authorization", "Basic YQ=="]]
 */
export function channelHeaders(channel: DeliveryChannel): [string, string][] {
  const out: [string, string][] = [];
  const auth = channel.authScheme;
  if (auth?.value !== undefined && auth.key !== "") out.push([auth.key, auth.value]);
  for (const header of channel.headers ?? []) out.push([header.key, header.value]);
  return out;
}

/**
 * Okta's `User-Agent` for a hook (observed on deliveries), or its hook-less prefix.
 *
 * @example
 * hookServiceUserAgent("who8vt36qfNpCGz9H1e6"); // "Okta Hook Service v1.0.0 - who8vt36qfNpCGz9H1e6"
 */
export function hookServiceUserAgent(hookId: string | undefined): string {
  return hookId === undefined ? "Okta Hook Service v1.0.0" : oktaUserAgent(hookId);
}
