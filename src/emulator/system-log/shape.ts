/**
 * The System Log API's shape of a LogEvent (shared spec §1.4, §2): the IP chain lives in
 * `request.ipChain`, `client` has no `ipChain`, and the delivery-only `insertionTimestamp` is
 * absent. Keys follow the order of Okta's System Log API reference examples.
 */
import type { AnyLogEvent, IpAddress, LogClient, SystemLogEvent } from "../../okta/index.js";

/** Key order of a LogEvent in Okta's System Log API examples. */
const SYSTEM_LOG_KEY_ORDER = [
  "actor",
  "client",
  "device",
  "authenticationContext",
  "displayMessage",
  "eventType",
  "outcome",
  "published",
  "securityContext",
  "severity",
  "debugContext",
  "legacyEventType",
  "transaction",
  "uuid",
  "version",
  "request",
  "target",
] as const;

/**
 * An event in the System Log API's shape, whichever shape it came in: `client.ipChain` moves
 * to `request.ipChain`, `insertionTimestamp` and a `null` `device` are dropped, keys are put in
 * Okta's order (unknown keys follow, in their order). The input is not modified.
 *
 * @example
 * toSystemLogShape(buildLogEvent("user.lifecycle.create")).request?.ipChain[0]?.ip; // "203.0.113.24"
 */
export function toSystemLogShape(event: AnyLogEvent): SystemLogEvent {
  const source = structuredClone(event) as unknown as Record<string, unknown>;
  const client = source.client as (LogClient & { ipChain?: IpAddress[] }) | null | undefined;
  let ipChain: IpAddress[] | undefined;
  if (client !== null && client !== undefined && "ipChain" in client) {
    ipChain = client.ipChain;
    delete client.ipChain;
  }
  const request = (source.request as { ipChain: IpAddress[] } | null | undefined) ?? {
    ipChain: ipChain ?? [],
  };
  delete source.insertionTimestamp;
  if (source.device === null) delete source.device;
  const shaped: Record<string, unknown> = {};
  for (const key of SYSTEM_LOG_KEY_ORDER) {
    if (key === "request") shaped.request = request;
    else if (key in source) shaped[key] = source[key];
  }
  for (const [key, value] of Object.entries(source)) if (!(key in shaped)) shaped[key] = value;
  return shaped as unknown as SystemLogEvent;
}
