/**
 * Options and handle of the local Okta org (`startOktaEmulator`).
 */
import type { Logger } from "../log/index.js";
import type { DeliveryKnobs } from "./dispatch/settings.js";
import type { EmulatorStore } from "./store/open-store.js";

/** Options of `startOktaEmulator`. Defaults are applied in one place, at its top. */
export interface OktaEmulatorOptions {
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Port; 0 picks a free one. @default 7070 */
  port?: number;
  /**
   * The API token clients must send (`Authorization: SSWS <token>` or `Bearer <token>`).
   * Given: it is used and kept in the database. Absent: the database's token, generated on
   * first start.
   */
  token?: string;
  /** SQLite file of the org's state, or `":memory:"`. @default ":memory:" */
  dataPath?: string;
  /**
   * Refuse `http://` hook URIs even for loopback and private addresses (real Okta refuses every
   * `http://` URI). @default false
   */
  requireHttps?: boolean;
  /** Receives the emulator's own diagnostics. @default silentLogger */
  logger?: Logger;
  /**
   * Deadline of each verification request (Okta's is 3 s; tests of hanging endpoints lower it).
   * @default 3000
   */
  verificationTimeoutMs?: number;
  /** The clock, epoch milliseconds: timestamps of hooks and events. @default Date.now */
  clock?: () => number;
  /**
   * Delivery knobs (batching, quota, chaos) for this run; each given field overrides the one
   * kept in the database (`/api/v1/hooktap/settings`). @default the stored knobs, else Okta's
   */
  delivery?: DeliveryKnobs;
  /** Deadline of each delivery request (Okta's is 3 s; tests lower it). @default 3000 */
  deliveryTimeoutMs?: number;
}

/** A running local Okta org. */
export interface OktaEmulator {
  /** The org URL, e.g. `http://127.0.0.1:7070` (pass it as the SDK's `orgUrl`). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The API token. */
  readonly token: string;
  /** The org's state: event hooks, System Log, settings. */
  readonly store: EmulatorStore;
  /** Ends open delivery batches and resolves once every delivery queued so far is settled. */
  flushDeliveries(): Promise<void>;
  /** Stops listening, ends open connections and closes the store. Idempotent. */
  close(): Promise<void>;
}
