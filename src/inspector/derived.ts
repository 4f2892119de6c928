/**
 * What the API derives from an exchange's bytes on every read: the Okta view (event types,
 * target users, verification) and the lint findings (what would fail with Okta). Both come
 * from the capture component; this file is the one place the inspector calls them.
 */
import type { Exchange } from "../capture/index.js";

/** The derived fields of an exchange's views. */
// biome-ignore lint/complexity/noBannedTypes: filled in when the capture views land
export type Derived = {};

/**
 * The derived fields of `exchange`.
 *
 * @example
 * deriveViews(exchange);
 */
export function deriveViews(_exchange: Exchange): Derived {
  return {};
}
