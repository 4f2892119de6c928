/**
 * Exchanges in hooktap's own API: a summary per list item (no bodies) and the full detail of
 * one (header pairs in wire order, bodies as text or base64), both with the derived Okta view
 * and lint findings. Derived on every read from the stored bytes, never stored.
 */
import type {
  CapturedRequest,
  CapturedResponse,
  Exchange,
  ExchangeError,
  ExchangeOrigin,
  ExchangeTiming,
  RawHeaders,
} from "../capture/index.js";
import { type BodyView, bodyView } from "./body-view.js";
import { type Derived, deriveViews } from "./derived.js";

/** Where an exchange is: waiting for its response, answered, or failed without (a full) one. */
export type ExchangeState = "pending" | "complete" | "failed";

/** One exchange in a list. */
export interface ExchangeSummary extends Derived {
  id: string;
  /** This exchange's resource, `/api/exchanges/<id>`. */
  uri: string;
  endpoint: string;
  origin: ExchangeOrigin;
  parentId: string | null;
  queueId: string | null;
  remoteAddress: string | null;
  state: ExchangeState;
  method: string;
  target: string;
  /** The response status; null while pending and when there was none. */
  status: number | null;
  error: ExchangeError | null;
  /** When the request arrived, ISO 8601. */
  time: string;
  /** From arrival to the end of the response (or the failure); null while pending. */
  durationMs: number | null;
  requestBytes: number;
  responseBytes: number | null;
}

/** A request in the detail view. */
export interface RequestView {
  method: string;
  target: string;
  httpVersion: string;
  /** Header pairs in wire order, case and repeats kept. */
  headers: RawHeaders;
  body: BodyView;
}

/** A response in the detail view. */
export interface ResponseView {
  status: number;
  statusMessage: string | null;
  headers: RawHeaders;
  body: BodyView;
}

/** One exchange in full. */
export interface ExchangeDetail extends ExchangeSummary {
  timing: ExchangeTiming;
  request: RequestView;
  response: ResponseView | null;
}

/**
 * The path of an exchange's resource.
 *
 * @example
 * exchangeUri("01HZX…"); // "/api/exchanges/01HZX…"
 */
export function exchangeUri(id: string): string {
  return `/api/exchanges/${encodeURIComponent(id)}`;
}

/** The state of an exchange. */
export function stateOf(exchange: Exchange): ExchangeState {
  if (exchange.error !== null) return "failed";
  if (exchange.response !== null && exchange.timing.doneAt !== null) return "complete";
  return exchange.timing.doneAt === null ? "pending" : "failed";
}

/** Milliseconds from arrival to done, rounded to µs; null while pending. */
export function durationOf(exchange: Exchange): number | null {
  const { receivedAt, doneAt } = exchange.timing;
  return doneAt === null ? null : Math.round((doneAt - receivedAt) * 1000) / 1000;
}

/**
 * The list view of an exchange.
 *
 * @example
 * summaryView(store.get(id)!).status; // 200
 */
export function summaryView(exchange: Exchange): ExchangeSummary {
  return {
    id: exchange.id,
    uri: exchangeUri(exchange.id),
    endpoint: exchange.endpoint,
    origin: exchange.origin,
    parentId: exchange.parentId,
    queueId: exchange.queueId,
    remoteAddress: exchange.remoteAddress,
    state: stateOf(exchange),
    method: exchange.request.method,
    target: exchange.request.target,
    status: exchange.response?.status ?? null,
    error: exchange.error,
    time: new Date(exchange.timing.receivedAt).toISOString(),
    durationMs: durationOf(exchange),
    requestBytes: exchange.request.body.size,
    responseBytes: exchange.response?.body.size ?? null,
    ...deriveViews(exchange),
  };
}

/**
 * The detail view of an exchange.
 *
 * @example
 * detailView(store.get(id)!).request.body.text; // '{"eventType":"com.okta.event_hook",…}'
 */
export function detailView(exchange: Exchange): ExchangeDetail {
  return {
    ...summaryView(exchange),
    timing: exchange.timing,
    request: requestView(exchange.request),
    response: exchange.response === null ? null : responseView(exchange.response),
  };
}

function requestView(request: CapturedRequest): RequestView {
  return {
    method: request.method,
    target: request.target,
    httpVersion: request.httpVersion,
    headers: request.rawHeaders,
    body: bodyView(request.body),
  };
}

function responseView(response: CapturedResponse): ResponseView {
  return {
    status: response.status,
    statusMessage: response.statusMessage,
    headers: response.rawHeaders,
    body: bodyView(response.body),
  };
}
