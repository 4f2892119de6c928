/**
 * @module
 * hooktap's root entry: the public API of the Okta domain, the receiver library, the sample
 * receiver of Okta's guides, the local Okta org (`startOktaEmulator`) and the logger contract. Subpaths `hooktap/okta` and
 * `hooktap/receiver` expose the same pieces one by one.
 */

export type { EmulatorStore, OktaEmulator, OktaEmulatorOptions } from "./emulator/index.js";
export {
  DEFAULT_OKTA_EMULATOR_PORT,
  EmulatorStoreError,
  openEmulatorStore,
  startOktaEmulator,
} from "./emulator/index.js";
export * from "./log/index.js";
export * from "./okta/index.js";
export * from "./receiver/index.js";
export * from "./sample/index.js";
