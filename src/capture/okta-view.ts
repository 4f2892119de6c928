/**
 * The Okta view of an exchange, derived on read from the stored bytes (never stored in their
 * place): what Okta sent (a delivery's envelope id, event types, event uuids, target users; a
 * verification's challenge) and, for a verification, whether the answer would pass.
 *
 * Tolerant by design: a malformed, truncated or foreign body gives a view that says what is
 * wrong (`problems`), never an exception. Rules from the shared Okta spec §1 and §3.
 */
import { DELIVERY_EVENT_TYPE, VERIFICATION_CHALLENGE_HEADER } from "../okta/index.js";
import {
  bodyText,
  headerValue,
  isJsonObject,
  type ParsedJson,
  parseJsonBody,
} from "./exchange-read.js";
import type { Exchange } from "./types.js";

/** Something wrong with what an exchange holds, as Okta would see it. */
export interface OktaProblem {
  /** Stable and machine-readable, e.g. `challenge_wrong`, `not_json`. */
  code: string;
  /** One sentence for people. */
  message: string;
}

/** A `User` target of a delivery's events. */
export interface OktaTargetUser {
  id: string;
  alternateId: string | null;
  displayName: string | null;
}

/** One LogEvent of a delivery, as far as it could be read. */
export interface OktaViewEvent {
  uuid: string | null;
  eventType: string | null;
}

/** A `POST` whose body is an Okta event hook delivery (shared spec §1.3). */
export interface OktaDeliveryView {
  kind: "delivery";
  /** The envelope's `eventId` (what receivers de-duplicate on), or null when missing. */
  eventId: string | null;
  /** Distinct event types of the events, in order of first appearance. */
  eventTypes: string[];
  /** Every event in body order. */
  events: OktaViewEvent[];
  /** Distinct (by id) targets of type `User` across all events, in order of first appearance. */
  targetUsers: OktaTargetUser[];
  /**
   * False when the body could not be parsed whole (truncated by the capture limit, or not JSON)
   * and the fields above were salvaged from its text: events may be missing, users are.
   */
  complete: boolean;
  /** What is wrong with the delivery; empty for a well-formed one. */
  problems: OktaProblem[];
}

/** Okta's one-time verification `GET` with `x-okta-verification-challenge` (shared spec §3). */
export interface OktaVerificationView {
  kind: "verification";
  /** The challenge header's value. */
  challenge: string;
  /**
   * True when the answer passes (200, a JSON body whose `verification` is the challenge), false
   * when it does not (`problems` says why), null while there is no answer yet or when the
   * capture cut the answer's body so it cannot be judged.
   */
  answeredCorrectly: boolean | null;
  /** The `verification` string the app answered, when it answered one. */
  answer: string | null;
  /** Why the answer fails (or cannot be judged); empty when it passes or is pending. */
  problems: OktaProblem[];
}

/** Neither a delivery nor a verification. */
export interface OktaNoneView {
  kind: "none";
}

/** What Okta traffic an exchange is, derived from its bytes. */
export type OktaView = OktaDeliveryView | OktaVerificationView | OktaNoneView;

/**
 * Derives the Okta view of an exchange. Never throws, whatever the bytes.
 *
 * @example
 * const view = deriveOktaView(exchange);
 * if (view.kind === "delivery") console.log(view.eventTypes, view.targetUsers.map((u) => u.alternateId));
 * if (view.kind === "verification" && view.answeredCorrectly === false) console.log(view.problems);
 */
export function deriveOktaView(exchange: Exchange): OktaView {
  const { request } = exchange;
  const challenge = headerValue(request.rawHeaders, VERIFICATION_CHALLENGE_HEADER);
  if (challenge !== null && request.method.toUpperCase() === "GET") {
    return verificationView(exchange, challenge);
  }
  const parsed = parseJsonBody(request.body);
  if (parsed.ok && isEnvelope(parsed.value)) return deliveryView(exchange, parsed.value);
  if (parsed.ok || parsed.reason === "empty") return { kind: "none" };
  const text = bodyText(request.body);
  if (!text.includes(`"${DELIVERY_EVENT_TYPE}"`)) return { kind: "none" };
  return salvagedDeliveryView(exchange, text, parsed);
}

function isEnvelope(value: unknown): value is Record<string, unknown> {
  if (!isJsonObject(value)) return false;
  if (value.eventType === DELIVERY_EVENT_TYPE) return true;
  return isJsonObject(value.data) && Array.isArray(value.data.events);
}

function methodProblems(exchange: Exchange): OktaProblem[] {
  const method = exchange.request.method;
  return method.toUpperCase() === "POST"
    ? []
    : [{ code: "not_post", message: `Okta delivers events with POST; this request is ${method}` }];
}

function deliveryView(exchange: Exchange, envelope: Record<string, unknown>): OktaDeliveryView {
  const problems = methodProblems(exchange);
  if (envelope.eventType !== DELIVERY_EVENT_TYPE) {
    problems.push({
      code: "envelope",
      message: `the envelope's eventType is ${JSON.stringify(envelope.eventType)}, not "${DELIVERY_EVENT_TYPE}"`,
    });
  }
  const eventId = typeof envelope.eventId === "string" ? envelope.eventId : null;
  if (eventId === null) {
    problems.push({ code: "envelope", message: "no eventId: receivers cannot de-duplicate it" });
  }
  const data = envelope.data;
  const list = isJsonObject(data) && Array.isArray(data.events) ? data.events : null;
  if (list === null) problems.push({ code: "envelope", message: "data.events is not a list" });
  else if (list.length === 0) {
    problems.push({ code: "envelope", message: "data.events is empty (Okta never sends none)" });
  }
  const events: OktaViewEvent[] = [];
  const users = new Map<string, OktaTargetUser>();
  (list ?? []).forEach((event: unknown, i) => {
    if (!isJsonObject(event)) {
      problems.push({ code: "event", message: `data.events[${i}] is not an object` });
      return;
    }
    const eventType = typeof event.eventType === "string" ? event.eventType : null;
    if (eventType === null) {
      problems.push({ code: "event", message: `data.events[${i}] has no eventType` });
    }
    events.push({ uuid: typeof event.uuid === "string" ? event.uuid : null, eventType });
    if (!Array.isArray(event.target)) return;
    for (const target of event.target) {
      if (!isJsonObject(target) || target.type !== "User" || typeof target.id !== "string")
        continue;
      if (users.has(target.id)) continue;
      users.set(target.id, {
        id: target.id,
        alternateId: typeof target.alternateId === "string" ? target.alternateId : null,
        displayName: typeof target.displayName === "string" ? target.displayName : null,
      });
    }
  });
  return {
    kind: "delivery",
    eventId,
    eventTypes: distinct(events.map((e) => e.eventType)),
    events,
    targetUsers: [...users.values()],
    complete: true,
    problems,
  };
}

const SALVAGE = /"(eventId|uuid|eventType)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** Reads what it can of a body that mentions the delivery envelope but does not parse. */
function salvagedDeliveryView(
  exchange: Exchange,
  text: string,
  parsed: Extract<ParsedJson, { ok: false }>,
): OktaDeliveryView {
  const { body } = exchange.request;
  const why = body.truncated
    ? {
        code: "truncated",
        message: `the capture kept ${body.bytes.byteLength} of ${body.size} bytes: events may be missing and target users are not read`,
      }
    : {
        code: parsed.reason,
        message:
          parsed.reason === "not_utf8"
            ? "the body is not valid UTF-8, so not JSON Okta could have sent"
            : "the body is not valid JSON: what follows was salvaged from its text",
      };
  let eventId: string | null = null;
  const events: OktaViewEvent[] = [];
  for (const [, key, raw] of text.matchAll(SALVAGE)) {
    const value = unescapeJsonString(raw ?? "");
    if (key === "eventId") eventId ??= value;
    else if (key === "uuid") events.push({ uuid: value, eventType: null });
    else if (value !== DELIVERY_EVENT_TYPE) {
      // Okta writes `uuid` before `eventType` in every event: pair them in that order.
      const last = events[events.length - 1];
      if (last !== undefined && last.eventType === null) last.eventType = value;
      else events.push({ uuid: null, eventType: value });
    }
  }
  return {
    kind: "delivery",
    eventId,
    eventTypes: distinct(events.map((e) => e.eventType)),
    events,
    targetUsers: [],
    complete: false,
    problems: [...methodProblems(exchange), why],
  };
}

function unescapeJsonString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function distinct(values: readonly (string | null)[]): string[] {
  const seen = new Set<string>();
  for (const value of values) if (value !== null) seen.add(value);
  return [...seen];
}

function verificationView(exchange: Exchange, challenge: string): OktaVerificationView {
  const judged = judgeAnswer(exchange, challenge);
  return { kind: "verification", challenge, ...judged };
}

function judgeAnswer(
  exchange: Exchange,
  challenge: string,
): Omit<OktaVerificationView, "kind" | "challenge"> {
  const response = exchange.response;
  if (response === null) {
    if (exchange.error === null && exchange.timing.doneAt === null) {
      return { answeredCorrectly: null, answer: null, problems: [] };
    }
    const detail =
      exchange.error === null ? "" : `: ${exchange.error.message} (${exchange.error.code})`;
    return {
      answeredCorrectly: false,
      answer: null,
      problems: [{ code: "no_response", message: `no answer reached Okta${detail}` }],
    };
  }
  const problems: OktaProblem[] = [];
  if (response.status !== 200) {
    problems.push({
      code: "challenge_status",
      message: `answered ${response.status}; Okta needs 200 (it retries once, then the verification fails)`,
    });
  }
  const parsed = parseJsonBody(response.body);
  if (!parsed.ok && response.body.truncated) {
    problems.push({
      code: "challenge_unreadable",
      message: `the capture kept ${response.body.bytes.byteLength} of ${response.body.size} bytes of the answer: it cannot be checked`,
    });
    return { answeredCorrectly: problems.length > 1 ? false : null, answer: null, problems };
  }
  let answer: string | null = null;
  if (!parsed.ok) {
    problems.push({
      code: "challenge_not_json",
      message:
        parsed.reason === "empty"
          ? `the answer has no body; Okta needs JSON {"verification": "<challenge>"}`
          : `the answer is not JSON; Okta needs {"verification": "<challenge>"}`,
    });
  } else if (!isJsonObject(parsed.value) || !("verification" in parsed.value)) {
    problems.push({
      code: "challenge_wrong",
      message: `the JSON answer has no "verification" field; Okta needs {"verification": "<challenge>"}`,
    });
  } else if (typeof parsed.value.verification !== "string") {
    problems.push({
      code: "challenge_wrong",
      message: `"verification" is ${JSON.stringify(parsed.value.verification)}, not the challenge string`,
    });
  } else {
    answer = parsed.value.verification;
    if (answer !== challenge) {
      problems.push({
        code: "challenge_wrong",
        message: `"verification" is ${JSON.stringify(answer)}, not the challenge ${JSON.stringify(challenge)}`,
      });
    }
  }
  return { answeredCorrectly: problems.length === 0, answer, problems };
}
