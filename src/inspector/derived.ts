/**
 * What the API derives from an exchange's bytes on every read: the Okta view (event types,
 * target users, verification) and the lint findings (what would fail with Okta). Both come
 * from the capture component; this file is the one place the inspector calls them.
 */
import {
  deriveOktaView,
  type Exchange,
  type LintFinding,
  lintExchange,
  type OktaView,
} from "../capture/index.js";

/** The derived fields of an exchange's views. */
export interface Derived {
  /** What Okta traffic it is: a delivery (event types, users), a verification, or none. */
  okta: OktaView;
  /** What would fail with Okta (slow, 4xx, 5xx, wrong challenge answer, …). */
  lint: LintFinding[];
}

/**
 * The derived fields of `exchange` (the body is parsed once for both).
 *
 * @example
 * deriveViews(exchange).okta.kind; // "delivery"
 */
export function deriveViews(exchange: Exchange): Derived {
  const okta = deriveOktaView(exchange);
  return { okta, lint: lintExchange(exchange, okta) };
}
