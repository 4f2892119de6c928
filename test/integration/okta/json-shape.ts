/**
 * Compares the *shape* of two JSON values: key order and JSON value types, not values. Used to
 * hold generated events against real Okta captures.
 *
 * - `exact`: at every level both objects have the same keys in the same order; arrays have the
 *   same length. For captures with Okta's modern (2021+) shape.
 * - `subset`: every key of the capture exists in the generated object, in the same relative
 *   order; the generated object may have more keys (fields Okta added since) and arrays may be
 *   longer. For the 2019 captures, which predate `device`, `insertionTimestamp`,
 *   `detailEntry`, `reason`, `client.id`, …
 *
 * In both modes the JSON types must match (`string`, `number`, `boolean`, `object`, `array`,
 * `null`), except that `null` on one side matches any type on the other only at the paths Okta
 * documents as nullable ({@link NULLABLE_PATHS}).
 */

export type ShapeMode = "exact" | "subset";

/**
 * LogEvent paths documented as nullable (shared spec §2, from Okta's System Log reference), with
 * array indices written `[]`. `debugContext.debugData` values are free-form, hence `*`.
 */
export const NULLABLE_PATHS: ReadonlySet<string> = new Set(
  [
    "displayMessage",
    "legacyEventType",
    "client",
    "device",
    "outcome",
    "target",
    "transaction",
    "debugContext",
    "authenticationContext",
    "securityContext",
    "insertionTimestamp",
    "client.userAgent",
    "client.zone",
    "client.device",
    "client.id",
    "client.ipAddress",
    "client.geographicalContext",
    "client.ipChain[].source",
    ...["city", "state", "country", "postalCode", "geolocation"].flatMap((key) => [
      `client.geographicalContext.${key}`,
      `client.ipChain[].geographicalContext.${key}`,
    ]),
    ...["alternateId", "displayName", "detailEntry"].flatMap((key) => [
      `actor.${key}`,
      `target[].${key}`,
    ]),
    "outcome.reason",
    "transaction.detail",
    "debugContext.debugData",
    "debugContext.debugData.*",
    ...[
      "authenticationProvider",
      "credentialProvider",
      "credentialType",
      "issuer",
      "externalSessionId",
      "interface",
    ].map((key) => `authenticationContext.${key}`),
    ...["asNumber", "asOrg", "isp", "domain", "isProxy"].map((key) => `securityContext.${key}`),
  ].map((path) => `data.events[].${path}`),
);

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isNullable(path: string): boolean {
  const generic = path.replace(/\[\d+\]/g, "[]");
  return NULLABLE_PATHS.has(generic) || NULLABLE_PATHS.has(generic.replace(/\.[^.]+$/, ".*"));
}

/**
 * The differences in shape between `generated` and `capture` (empty when they agree). `path`
 * locates the values in a delivery body; pass `data.events[0]` to compare a bare LogEvent.
 *
 * @example
 * shapeDifferences({ a: 1, b: null }, { a: 2 }, "subset"); // []
 */
export function shapeDifferences(
  generated: unknown,
  capture: unknown,
  mode: ShapeMode,
  path = "",
): string[] {
  const at = path === "" ? "(root)" : path;
  const [g, c] = [jsonType(generated), jsonType(capture)];
  if (g !== c) {
    if ((g === "null" || c === "null") && isNullable(path)) return [];
    return [`${at}: generated ${g}, capture ${c}`];
  }
  if (g === "array") {
    const [ga, ca] = [generated as unknown[], capture as unknown[]];
    const out: string[] = [];
    if (mode === "exact" ? ga.length !== ca.length : ga.length < ca.length) {
      out.push(`${at}: generated ${ga.length} items, capture ${ca.length}`);
    }
    ca.forEach((item, i) => {
      if (i < ga.length) out.push(...shapeDifferences(ga[i], item, mode, `${path}[${i}]`));
    });
    return out;
  }
  if (g !== "object") return [];
  const [go, co] = [generated as Record<string, unknown>, capture as Record<string, unknown>];
  const [gk, ck] = [Object.keys(go), Object.keys(co)];
  const out: string[] = [];
  if (mode === "exact" && gk.join() !== ck.join()) {
    out.push(`${at}: keys [${gk.join(", ")}] differ from capture [${ck.join(", ")}]`);
  }
  if (mode === "subset") {
    const missing = ck.filter((key) => !gk.includes(key));
    if (missing.length > 0) out.push(`${at}: missing keys ${missing.join(", ")}`);
    const positions = ck.map((key) => gk.indexOf(key)).filter((i) => i >= 0);
    if (positions.some((p, i) => i > 0 && p < (positions[i - 1] ?? -1))) {
      out.push(
        `${at}: keys out of order: generated [${gk.join(", ")}], capture [${ck.join(", ")}]`,
      );
    }
  }
  for (const key of ck) {
    if (Object.hasOwn(go, key)) {
      out.push(...shapeDifferences(go[key], co[key], mode, path === "" ? key : `${path}.${key}`));
    }
  }
  return out;
}

/**
 * Whether a JSON text has no whitespace outside its string literals.
 *
 * @example
 * isCompactJson('{"a":"b c"}'); // true
 */
export function isCompactJson(text: string): boolean {
  return !/\s/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
}
