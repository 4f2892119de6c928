/**
 * What a route handler gets: the emulator's shared state ({@link EmulatorApp}) and this
 * request's data ({@link RequestContext}). New APIs read both and add nothing to the server.
 */
import type { IncomingMessage } from "node:http";
import type { Logger } from "../../log/index.js";
import type { HookDispatch } from "../dispatch/dispatch.js";
import type { EmulatorEngines } from "../engines.js";
import type { OrgIdentity } from "../org.js";
import type { EmulatorStore } from "../store/open-store.js";

/** State shared by every request of one emulator. */
export interface EmulatorApp {
  readonly store: EmulatorStore;
  /** `http://127.0.0.1:7070`: the base of `_links`, deliveries' `source`, Link headers. */
  readonly orgUrl: string;
  readonly org: OrgIdentity;
  readonly logger: Logger;
  /** The clock, epoch milliseconds. */
  readonly now: () => number;
  /** Refuse `http://` hook URIs even for loopback and private addresses. */
  readonly requireHttps: boolean;
  /** Routing of System Log events to hooks, and one-off deliveries (Preview, trigger). */
  readonly hooks: HookDispatch;
  /** The outbound engines (verification, delivery). */
  readonly engines: EmulatorEngines;
}

/** Who sent the request, for the `client` of the System Log events it causes. */
export interface RequestClient {
  /** The peer address, IPv4-mapped IPv6 unwrapped. */
  ipAddress: string;
  userAgent: string | null;
}

/** One request, as routes see it. */
export interface RequestContext {
  readonly app: EmulatorApp;
  readonly req: IncomingMessage;
  /** The request URL, absolute on the org URL. */
  readonly url: URL;
  /** `:name` path segments, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** `X-Okta-Request-Id` of this request; also the `transaction.id` of events it causes. */
  readonly requestId: string;
  readonly client: RequestClient;
  /** The body as JSON (`undefined` when empty); throws E0000003 when malformed. */
  readJson(): Promise<unknown>;
}
