/**
 * CSRF defence (design principle 5): a page on any site can make the browser POST to
 * 127.0.0.1:4040 (a form, or `fetch` with `mode: "no-cors"`), and the browser sends it with
 * the user's network position. The Host check does not help here, since the Host is right.
 * Browsers say where such a request comes from: `Origin` on every cross-origin POST, PUT,
 * PATCH and DELETE, and `Sec-Fetch-Site` on everything. A state-changing call is refused when
 * either names another origin; a request with neither (curl, scripts, the CLI) is not a
 * browser's and goes through.
 *
 * `Sec-Fetch-Site: same-site` is refused too: http://localhost:3000 (the user's own app, or
 * whatever else runs on the machine) is "same-site" with the inspector at localhost:4040.
 */

/** Methods that change something: only these are checked. */
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** `Sec-Fetch-Site` values of a request the inspector's own page made, or the user typed. */
const OWN_FETCH_SITES = new Set(["same-origin", "none"]);

/** What {@link crossOriginRefusal} looks at. */
export interface OriginCheckInput {
  method: string;
  /** The `Origin` header, if any. */
  origin: string | undefined;
  /** The `Sec-Fetch-Site` header, if any. */
  fetchSite: string | undefined;
}

/**
 * Why a request must be refused as cross-origin, or null when it may proceed. `allowedHosts`
 * are the inspector's own `host:port` values (lower-case), as {@link allowedHosts} gives them.
 *
 * @example
 * crossOriginRefusal({ method: "POST", origin: "https://evil.example", fetchSite: "cross-site" }, ["127.0.0.1:4040"]);
 * // "Origin 'https://evil.example' is not the inspector's own"
 */
export function crossOriginRefusal(
  input: OriginCheckInput,
  allowedHosts: readonly string[],
): string | null {
  if (!STATE_CHANGING.has(input.method.toUpperCase())) return null;
  const site = input.fetchSite?.trim().toLowerCase();
  if (site !== undefined && site !== "" && !OWN_FETCH_SITES.has(site)) {
    return `Sec-Fetch-Site '${site}' means another site sent this request`;
  }
  if (input.origin !== undefined) {
    const origin = input.origin.trim().toLowerCase();
    const own = allowedHosts.some((host) => origin === `http://${host}`);
    if (!own) return `Origin '${input.origin}' is not the inspector's own`;
  }
  return null;
}
