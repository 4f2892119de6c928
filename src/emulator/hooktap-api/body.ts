/**
 * Checking the bodies of the emulator's own API: an object with known fields only, each of the
 * expected type, else Okta-style errors (E0000003 for a body that is not an object, E0000001
 * naming the field otherwise).
 */
import { OktaApiError } from "../http/okta-api-error.js";

/** The body as an object whose keys are all in `known`. */
export function objectBody(body: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw OktaApiError.malformedBody("body: a JSON object is expected");
  }
  const unknown = Object.keys(body).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw OktaApiError.validation(
      unknown.map((field) => ({
        field,
        message: `unknown field; expected ${known.join(", ")}`,
      })),
    );
  }
  return body as Record<string, unknown>;
}

/** A required non-empty string field. */
export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value.trim() === "") {
    throw OktaApiError.validation([{ field, message: "The field cannot be left blank" }]);
  }
  return value;
}

/** An optional boolean field. */
export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") {
    throw OktaApiError.validation([{ field, message: "must be true or false" }]);
  }
  return value;
}
