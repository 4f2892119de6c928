/**
 * Lint of an exchange: what would fail if Okta had sent it, derived on read from the stored
 * bytes and timings. Rules from the shared Okta spec §3 (verification) and §4 (delivery): 3 s
 * timeout, one retry after a timeout, a 5xx or no answer, no retry after a 4xx, success is 2xx,
 * redirects are not followed, a verification needs 200 and `{"verification": <challenge>}`.
 */
import { OKTA_TIMEOUT_MS } from "../okta/index.js";
import { durationMs } from "./exchange-read.js";
import { deriveOktaView, type OktaView } from "./okta-view.js";
import type { CapturedBody, Exchange } from "./types.js";

/** `error`: Okta would fail this delivery or verification; `warning`: worth knowing. */
export type LintSeverity = "error" | "warning";

/**
 * What a finding is about.
 *
 * - `no_response`: the app never answered (connection refused, reset, timeout at the agent).
 * - `slow_response`: the exchange took longer than Okta's 3 s timeout.
 * - `server_error`: a 5xx; Okta retries once, then gives up on the events.
 * - `client_error`: a 4xx; Okta does not retry, the events are lost.
 * - `redirect`: a 3xx; Okta does not follow redirects.
 * - `challenge_status`: a verification answered with another status than 200.
 * - `challenge_not_json`: a verification answered with a body that is not JSON.
 * - `challenge_wrong`: a verification answered JSON without the right `verification` value.
 * - `truncated`: the capture limit cut a body; views, search and replay see only its start.
 */
export type LintCode =
  | "no_response"
  | "slow_response"
  | "server_error"
  | "client_error"
  | "redirect"
  | "challenge_status"
  | "challenge_not_json"
  | "challenge_wrong"
  | "truncated";

/** One thing {@link lintExchange} found. */
export interface LintFinding {
  code: LintCode;
  severity: LintSeverity;
  /** One sentence for people: what happened and what Okta would do. */
  message: string;
}

const CHALLENGE_CODES: ReadonlySet<string> = new Set<LintCode>([
  "challenge_status",
  "challenge_not_json",
  "challenge_wrong",
]);

/**
 * What would fail with Okta in this exchange, most serious first; empty when nothing would.
 * Okta sends only deliveries (`POST`) and verifications (`GET` with the challenge header), so
 * other requests (a browser's `GET /favicon.ico`) get only the `truncated` finding. An exchange
 * still in flight gets no finding about its answer. Pass `view` when it is already derived.
 *
 * @example
 * lintExchange(exchange).filter((f) => f.severity === "error").map((f) => f.message);
 */
export function lintExchange(exchange: Exchange, view = deriveOktaView(exchange)): LintFinding[] {
  const findings: LintFinding[] = [];
  const oktaTraffic = view.kind !== "none" || exchange.request.method.toUpperCase() === "POST";
  if (oktaTraffic) {
    const subject = view.kind === "verification" ? "the verification" : "the delivery";
    findings.push(...answerFindings(exchange, subject));
    findings.push(...statusFindings(exchange, view));
  }
  findings.push(...truncationFindings(exchange));
  return findings;
}

function answerFindings(exchange: Exchange, subject: string): LintFinding[] {
  const findings: LintFinding[] = [];
  if (exchange.response === null && (exchange.error !== null || exchange.timing.doneAt !== null)) {
    const why =
      exchange.error === null ? "" : ` (${exchange.error.code}: ${exchange.error.message})`;
    findings.push({
      code: "no_response",
      severity: "error",
      message: `no answer${why}: Okta retries once, then ${subject} fails`,
    });
  }
  const took = durationMs(exchange);
  if (took !== null && took > OKTA_TIMEOUT_MS) {
    findings.push({
      code: "slow_response",
      severity: "error",
      message: `took ${Math.round(took)} ms; Okta gives up after ${OKTA_TIMEOUT_MS / 1000} s and retries once, then ${subject} fails`,
    });
  }
  return findings;
}

function statusFindings(exchange: Exchange, view: OktaView): LintFinding[] {
  if (view.kind === "verification") {
    return view.problems
      .filter((p) => CHALLENGE_CODES.has(p.code))
      .map((p) => ({ code: p.code as LintCode, severity: "error", message: p.message }));
  }
  const status = exchange.response?.status;
  if (status === undefined) return [];
  if (status >= 500) {
    return [
      {
        code: "server_error",
        severity: "error",
        message: `answered ${status}: Okta retries once, then gives up on these events`,
      },
    ];
  }
  if (status >= 400) {
    return [
      {
        code: "client_error",
        severity: "error",
        message: `answered ${status}: Okta does not retry a 4xx, these events are lost`,
      },
    ];
  }
  if (status >= 300) {
    return [
      {
        code: "redirect",
        severity: "error",
        message: `answered ${status}: Okta does not follow redirects, so the delivery fails`,
      },
    ];
  }
  return [];
}

function truncationFindings(exchange: Exchange): LintFinding[] {
  const parts: [string, CapturedBody | undefined][] = [
    ["request", exchange.request.body],
    ["response", exchange.response?.body],
  ];
  return parts.flatMap(([part, body]) =>
    body?.truncated === true
      ? [
          {
            code: "truncated" as const,
            severity: "warning" as const,
            message: `the capture kept ${body.bytes.byteLength} of ${body.size} bytes of the ${part} body: views, search and replay see only those`,
          },
        ]
      : [],
  );
}
