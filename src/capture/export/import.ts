/**
 * `parseImport`: a hooktap export or a HAR file → exchanges ready to insert into a store.
 */
import { CaptureError } from "../errors.js";
import { type ExchangeIdGenerator, newExchangeId } from "../ids.js";
import type { Exchange } from "../types.js";
import { type FieldReader, fieldReader } from "./import-fields.js";
import { readHarEntry } from "./import-har.js";
import { readHooktapExport } from "./import-hooktap.js";
import { findJsonSyntaxError } from "./json-syntax.js";

/** The endpoint of exchanges imported from a HAR file that does not name one. */
export const DEFAULT_IMPORT_ENDPOINT = "imported";

/** Options of {@link parseImport}. */
export interface ImportOptions {
  /**
   * The endpoint of HAR entries without a `_hooktap` field (browser and ngrok HAR files).
   * @default "imported"
   */
  endpoint?: string;
  /**
   * Keep the file's ids (and `parentId`s) instead of giving new ones: for restoring an export
   * into an empty store. @default false
   */
  keepIds?: boolean;
  /** The id generator for new ids. @default newExchangeId */
  newId?: ExchangeIdGenerator;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const HAR_VERSIONS = new Set(["1.1", "1.2"]);

function invalid(message: string, field?: string): CaptureError {
  return new CaptureError("invalid_import", message, field === undefined ? {} : { field });
}

function parseJson(input: string | Uint8Array): unknown {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    try {
      text = UTF8.decode(input);
    } catch {
      throw invalid("not an import file: the bytes are not UTF-8 text");
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = findJsonSyntaxError(text);
    if (at === null) throw invalid("not JSON", undefined);
    const message = `not JSON: at line ${at.line}, column ${at.column}: expected ${at.expected}, found ${at.found}`;
    throw new CaptureError("invalid_import", message, { cause: error });
  }
}

function kindOf(doc: unknown): "har" | "hooktap" {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    const what = Array.isArray(doc) ? "an array" : doc === null ? "null" : `a ${typeof doc}`;
    throw invalid(`neither HAR nor a hooktap export: the JSON is ${what}, not an object`);
  }
  const o = doc as Record<string, unknown>;
  if (o.format === "hooktap") return "hooktap";
  if ("log" in o) return "har";
  if (o.format !== undefined) {
    throw invalid(
      `not a hooktap export: "format" is ${JSON.stringify(o.format)}, not "hooktap"`,
      "format",
    );
  }
  throw invalid('neither HAR (no "log" object) nor a hooktap export (no "format": "hooktap")');
}

function readHar(doc: Record<string, unknown>, endpoint: string, makeId: () => string): Exchange[] {
  const r: FieldReader = fieldReader("HAR");
  const log = r.object(doc.log, "log");
  if (log.version !== undefined) {
    const version = r.string(log.version, "log.version");
    if (!HAR_VERSIONS.has(version))
      r.fail("log.version", `is ${JSON.stringify(version)}; hooktap reads HAR 1.1 and 1.2`);
  }
  return r
    .array(log.entries, "log.entries")
    .map((entry, i) => readHarEntry(r, entry, `log.entries[${i}]`, { endpoint }, makeId()));
}

/** New ids in the order the exchanges arrived, `parentId`s following them inside the file. */
function renumber(exchanges: Exchange[], newId: ExchangeIdGenerator): Exchange[] {
  const byArrival = exchanges
    .map((x, i) => ({ x, i }))
    .sort((a, b) => a.x.timing.receivedAt - b.x.timing.receivedAt || a.i - b.i);
  const ids = new Map<string, string>();
  const fresh: string[] = [];
  for (const { x, i } of byArrival) {
    const id = newId();
    fresh[i] = id;
    if (!ids.has(x.id)) ids.set(x.id, id);
  }
  return exchanges.map((x, i) => ({
    ...x,
    id: fresh[i] ?? newId(),
    parentId: x.parentId === null ? null : (ids.get(x.parentId) ?? null),
  }));
}

/**
 * Exchanges from a hooktap export (`toHooktapJson`) or a HAR 1.1/1.2 file (`toHar`, browsers,
 * ngrok, Charles…), to insert into a store and replay later. Each exchange gets a new id
 * (ordered by arrival time, so the store lists them in their original order); a `parentId`
 * pointing at an exchange of the same file follows it, one pointing outside becomes null.
 * Origin, endpoint and the rest are kept from a hooktap export or a HAR entry's `_hooktap`
 * field; other HAR entries become `live` exchanges of `options.endpoint`.
 *
 * Throws `CaptureError` `invalid_import`, changing nothing, when the input is not UTF-8, not
 * JSON (with line and column), neither format, or has a bad field (`field` names it, e.g.
 * `log.entries[3].request.headers[2].value`). Header lines must be sendable (token names, no
 * CR/LF/NUL in values): an imported exchange is meant to be replayed.
 *
 * @example
 * for (const exchange of parseImport(readFileSync("fixture.har"))) store.insert(exchange);
 */
export function parseImport(input: string | Uint8Array, options: ImportOptions = {}): Exchange[] {
  const endpoint = options.endpoint ?? DEFAULT_IMPORT_ENDPOINT;
  if (endpoint === "" || endpoint.length > 256) {
    throw new CaptureError("invalid_argument", "endpoint must be 1 to 256 characters", {
      field: "endpoint",
    });
  }
  const newId = options.newId ?? newExchangeId;
  const keep = options.keepIds === true;
  const doc = parseJson(input);
  const o = doc as Record<string, unknown>;
  let placeholder = 0;
  // Entries without an id of their own: a real id when ids are kept, else a placeholder.
  const makeId = keep ? () => newId() : () => `entry-${placeholder++}`;
  const exchanges = kindOf(doc) === "hooktap" ? readHooktapExport(o) : readHar(o, endpoint, makeId);
  return keep ? exchanges : renumber(exchanges, newId);
}
