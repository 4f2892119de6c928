/**
 * Typed reads of untrusted JSON for `parseImport`, each naming the field it reads, so that a bad
 * file gets `invalid HAR: log.entries[3].request.headers[2].value must be a string`.
 */
import { isHttpToken } from "../../http/index.js";
import { CaptureError } from "../errors.js";
import type { Exchange, RawHeaders } from "../types.js";
import { normalizeExchange } from "../validate.js";
import { UNSENDABLE_VALUE } from "./url.js";

/** The largest time a JavaScript Date can hold (ECMA-262 §21.4.1.1), in epoch milliseconds. */
const MAX_DATE_MS = 8.64e15;

/** Which format a reader reads, for its messages. */
export type ImportKind = "HAR" | "hooktap export";

/** Reads fields of one import file; every failure is a `CaptureError` `invalid_import`. */
export interface FieldReader {
  fail(field: string, problem: string): never;
  object(value: unknown, field: string): Record<string, unknown>;
  array(value: unknown, field: string): unknown[];
  string(value: unknown, field: string): string;
  number(value: unknown, field: string): number;
  /** A string or null; `undefined` (absent) reads as null too. */
  stringOrNull(value: unknown, field: string): string | null;
  /** Header pairs a client can send: token names, no CR/LF/NUL in values. */
  headerLine(
    name: unknown,
    value: unknown,
    nameField: string,
    valueField: string,
  ): [string, string];
  /** The exchange through the store's own validation, its field paths prefixed by `field`. */
  exchange(
    candidate: Record<string, unknown>,
    field: string,
    names?: Record<string, string>,
  ): Exchange;
}

/** A {@link FieldReader} for one file of the given kind. */
export function fieldReader(kind: ImportKind): FieldReader {
  const fail = (field: string, problem: string): never => {
    throw new CaptureError("invalid_import", `invalid ${kind}: ${field} ${problem}`, { field });
  };
  const wrong = (value: unknown, field: string, expected: string): never =>
    fail(
      field,
      value === undefined
        ? `is missing (${expected})`
        : `must be ${expected}, not ${describe(value)}`,
    );
  const string = (value: unknown, field: string): string =>
    typeof value === "string" ? value : wrong(value, field, "a string");
  return {
    fail,
    object: (value, field) =>
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : wrong(value, field, "an object"),
    array: (value, field) => (Array.isArray(value) ? value : wrong(value, field, "an array")),
    string,
    number: (value, field) =>
      typeof value === "number" && Number.isFinite(value)
        ? value
        : wrong(value, field, "a finite number"),
    stringOrNull: (value, field) =>
      value === null || value === undefined ? null : string(value, field),
    headerLine(name, value, nameField, valueField) {
      const n = string(name, nameField);
      const v = string(value, valueField);
      if (!isHttpToken(n)) fail(nameField, `is not a valid header name: ${JSON.stringify(n)}`);
      if (UNSENDABLE_VALUE.test(v)) fail(valueField, "must not contain CR, LF or NUL");
      return [n, v];
    },
    exchange(candidate, field, names = {}) {
      const at = (inner: string): string => {
        for (const [from, to] of Object.entries(names)) {
          if (inner === from || inner.startsWith(`${from}.`) || inner.startsWith(`${from}[`)) {
            return `${field}.${to}${inner.slice(from.length)}`;
          }
        }
        return `${field}.${inner}`;
      };
      try {
        const x = normalizeExchange(candidate, Number.POSITIVE_INFINITY);
        if (!isHttpToken(x.request.method))
          fail(at("request.method"), "is not an HTTP method token");
        if (/[\0-\x20\x7f]/.test(x.request.target)) {
          fail(at("request.target"), "must not contain spaces or control characters");
        }
        for (const [key, value] of Object.entries(x.timing)) {
          if (value !== null && Math.abs(value) > MAX_DATE_MS) {
            fail(at(`timing.${key}`), "is not a time in epoch milliseconds");
          }
        }
        return x;
      } catch (error) {
        if (!(error instanceof CaptureError) || error.code !== "invalid_exchange") throw error;
        if (error.field === undefined) throw error;
        const problem = error.message.startsWith(error.field)
          ? error.message.slice(error.field.length + 1)
          : error.message;
        return fail(at(error.field), problem);
      }
    },
  };
}

/** Checks header pairs (`[name, value]` arrays) at `field`. */
export function readRawHeaders(r: FieldReader, value: unknown, field: string): RawHeaders {
  return r.array(value, field).map((pair, i) => {
    const at = `${field}[${i}]`;
    const p = r.array(pair, at);
    if (p.length !== 2) r.fail(at, "must be a [name, value] pair");
    return r.headerLine(p[0], p[1], `${at}[0]`, `${at}[1]`);
  });
}

/** `a string`, `an array`, `null`… for messages. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === undefined) return "missing";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}
