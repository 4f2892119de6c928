/**
 * @module
 * hooktap's root entry: the public API of the Okta domain, the receiver library, the sample
 * receiver of Okta's guides and the logger contract. Subpaths `hooktap/okta` and
 * `hooktap/receiver` expose the same pieces one by one.
 */
export * from "./log/index.js";
export * from "./okta/index.js";
export * from "./receiver/index.js";
export * from "./sample/index.js";
