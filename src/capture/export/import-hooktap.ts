/**
 * Reads a hooktap export (hooktap-json.ts) back into exchanges, checking every field.
 */
import type { CapturedBody, Exchange } from "../types.js";
import { fromBase64 } from "./body-text.js";
import { HOOKTAP_EXPORT_VERSION } from "./hooktap-json.js";
import { type FieldReader, fieldReader, readRawHeaders } from "./import-fields.js";

function body(r: FieldReader, value: unknown, field: string): CapturedBody {
  const b = r.object(value, field);
  const base64 = r.string(b.base64, `${field}.base64`);
  const bytes = fromBase64(base64) ?? r.fail(`${field}.base64`, "is not standard padded base64");
  return { bytes, size: b.size as number, truncated: b.truncated as boolean };
}

function exchange(r: FieldReader, value: unknown, field: string): Exchange {
  const x = r.object(value, field);
  const request = r.object(x.request, `${field}.request`);
  const response = x.response === null ? null : r.object(x.response, `${field}.response`);
  // The store's validation checks sizes, flags, origin, timing; header lines are checked here
  // because an imported exchange is meant to be replayed.
  return r.exchange(
    {
      ...x,
      request: {
        ...request,
        rawHeaders: readRawHeaders(r, request.rawHeaders, `${field}.request.rawHeaders`),
        body: body(r, request.body, `${field}.request.body`),
      },
      response:
        response === null
          ? null
          : {
              ...response,
              rawHeaders: readRawHeaders(r, response.rawHeaders, `${field}.response.rawHeaders`),
              body: body(r, response.body, `${field}.response.body`),
            },
    },
    field,
  );
}

/** The exchanges of a parsed hooktap export, ids as in the file. */
export function readHooktapExport(doc: Record<string, unknown>): Exchange[] {
  const r: FieldReader = fieldReader("hooktap export");
  const version = doc.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    r.fail("version", "must be a positive integer");
  }
  if (version > HOOKTAP_EXPORT_VERSION) {
    r.fail(
      "version",
      `${version} is newer than this hooktap reads (${HOOKTAP_EXPORT_VERSION}); upgrade hooktap`,
    );
  }
  return r.array(doc.exchanges, "exchanges").map((x, i) => exchange(r, x, `exchanges[${i}]`));
}
