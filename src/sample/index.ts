/**
 * @module
 * The sample receiver of Okta's event hook guides, built on the receiver library: what
 * `hooktap sample` serves. Prints through an injected function, never to the console.
 */
export { basicAuthHeader, GUIDE_BASIC_AUTH } from "./basic-auth.js";
export { NO_USER_LINE } from "./guide-receivers.js";
export type { SampleRoute } from "./routes.js";
export { SAMPLE_ROUTES } from "./routes.js";
export type { SampleDeliveryOptions } from "./sample-delivery.js";
export { sampleDelivery } from "./sample-delivery.js";
export type { SampleServer, SampleServerOptions } from "./sample-server.js";
export { DEFAULT_SAMPLE_HOST, DEFAULT_SAMPLE_PORT, startSampleServer } from "./sample-server.js";
export { userAlternateIdOf } from "./user-target.js";
