/**
 * @module
 * The Exchange model and its store: the byte-exact history of every request hooktap forwards,
 * replays, queues or answers at the edge. The agent writes it, the inspector reads, searches,
 * exports and replays it.
 *
 * - `types.ts`: the plain serialisable model (`Exchange`, `CapturedRequest`, raw header pairs,
 *   body bytes with their wire size).
 * - `createBodyCapture`: tee a body stream into a bounded `CapturedBody`.
 * - `export/`: `toHar` (HAR 1.2), `toCurl`, `toHooktapJson` (lossless), and `parseImport` of
 *   hooktap exports and HAR files.
 * - `startCaptureWriter`: the agent's capture writes on a worker thread (worker-writer.ts).
 * - `CaptureStore`: one synchronous contract, two implementations —
 *   `openSqliteCaptureStore` (the default, a WAL SQLite file under `.hooktap/`) and
 *   `createMemoryCaptureStore` — held to it by one contract suite (`capture-store.case.ts`).
 *
 * - `deriveOktaView` and `lintExchange`: the Okta view of an exchange (delivery envelope, event
 *   types, target users; verification challenge and whether it was answered right) and what
 *   would fail with Okta, derived on read from the bytes.
 *
 * Imports only `okta` and `log`; the agent and the inspector import this file.
 */

export type { BodyCapture } from "./body-capture.js";
export { createBodyCapture, DEFAULT_CAPTURE_BODY_LIMIT_BYTES } from "./body-capture.js";
export type { CaptureErrorCode, CaptureErrorOptions } from "./errors.js";
export { CaptureError } from "./errors.js";
export type { CurlFormatOptions, CurlRequest } from "./export/curl-command.js";
export { curlCommand, INLINE_BODY_MAX_BYTES } from "./export/curl-command.js";
export type {
  HarBodyEncoding,
  HarHooktapFields,
  HarOptions,
  HooktapHarEntry,
} from "./export/har.js";
export { toHar } from "./export/har.js";
export type {
  HooktapBodyJson,
  HooktapExchangeJson,
  HooktapExport,
  HooktapRequestJson,
  HooktapResponseJson,
} from "./export/hooktap-json.js";
export { HOOKTAP_EXPORT_VERSION, toHooktapJson } from "./export/hooktap-json.js";
export type { ImportOptions } from "./export/import.js";
export { DEFAULT_IMPORT_ENDPOINT, parseImport } from "./export/import.js";
export { printfFormat, shellQuote } from "./export/shell.js";
export type { CurlOptions } from "./export/to-curl.js";
export { toCurl } from "./export/to-curl.js";
export type { ExchangeIdGenerator, RandomBytes } from "./ids.js";
export {
  createExchangeIdGenerator,
  EXCHANGE_ID_LENGTH,
  exchangeIdTime,
  newExchangeId,
} from "./ids.js";
export type { LintCode, LintFinding, LintSeverity } from "./lint.js";
export { lintExchange } from "./lint.js";
export { MAX_SEARCH_TEXT_CHARS } from "./list-query.js";
export { createMemoryCaptureStore } from "./memory-store.js";
export type {
  OktaDeliveryView,
  OktaNoneView,
  OktaProblem,
  OktaTargetUser,
  OktaVerificationView,
  OktaView,
  OktaViewEvent,
} from "./okta-view.js";
export { deriveOktaView } from "./okta-view.js";
export type { Replayer, ReplayOutcome, ReplayRequest } from "./replay.js";
export { SEARCH_TEXT_LIMIT_BYTES } from "./search-text.js";
export { CAPTURE_APPLICATION_ID, CAPTURE_SCHEMA_VERSION } from "./sqlite-schema.js";
export type { SqliteCaptureStore, SqliteCaptureStoreOptions } from "./sqlite-store.js";
export { DEFAULT_BUSY_TIMEOUT_MS, openSqliteCaptureStore } from "./sqlite-store.js";
export type {
  CaptureEvent,
  CaptureListener,
  CaptureStats,
  CaptureStore,
  CaptureStoreOptions,
  HeaderFilter,
  ListFilters,
  ListPage,
  ListQuery,
  RetentionOptions,
} from "./store.js";
export {
  DEFAULT_LIST_LIMIT,
  DEFAULT_RETENTION_MAX_BYTES,
  DEFAULT_RETENTION_MAX_EXCHANGES,
  LIST_FILTER_KEYS,
  LIST_PAGE_KEYS,
  MAX_LIST_LIMIT,
} from "./store.js";
export type {
  CapturedBody,
  CapturedRequest,
  CapturedResponse,
  Exchange,
  ExchangeError,
  ExchangeOrigin,
  ExchangePatch,
  ExchangeTiming,
  RawHeaders,
} from "./types.js";
export { EXCHANGE_ORIGINS } from "./types.js";
export type { ExternalChange } from "./worker-messages.js";
export type { CaptureSink, CaptureWriter, CaptureWriterOptions } from "./worker-writer.js";
export { startCaptureWriter } from "./worker-writer.js";
