/**
 * `diffResponses`: what changed between two responses — the original exchange's and its
 * replay's — in status, header lines and body.
 */
import type { CapturedBody, CapturedResponse, RawHeaders } from "../capture/index.js";
import { diffJson, type JsonChange } from "./diff-json.js";
import { unifiedLineDiff } from "./diff-text.js";

/** Bodies larger than this (either one) are compared for equality only: no line or JSON diff. */
export const MAX_BODY_DIFF_BYTES = 1024 * 1024;
/** Headers ignored by default: they differ on every response. */
export const DEFAULT_DIFF_IGNORED_HEADERS: readonly string[] = ["date"];

/** Options of {@link diffResponses}. */
export interface DiffOptions {
  /** Header names (any case) left out of the comparison. @default ["date"] */
  ignoreHeaders?: readonly string[];
}

/** One header name whose lines differ; values in wire order. */
export interface HeaderChange {
  /** As written in the second response (the first, for a removed header). */
  name: string;
  kind: "added" | "removed" | "changed";
  before: string[];
  after: string[];
}

/** How two bodies compare. */
export interface BodyDiff {
  equal: boolean;
  /**
   * How they were compared: `json` when both parse as JSON, `text` when both are UTF-8,
   * `binary` otherwise, `absent` when a response is missing.
   */
  kind: "json" | "text" | "binary" | "absent";
  /** Wire sizes; null for a missing response. */
  sizes: { before: number | null; after: number | null };
  /** Either body was truncated at capture: only the kept bytes were compared. */
  truncated: boolean;
  /** For `json` bodies that differ: the changed paths (at most 1000). */
  json?: { changes: JsonChange[]; truncated: boolean };
  /** For `text` bodies that differ: a unified line diff. */
  unified?: string;
  /** Why a detailed diff is missing, or what it means, for people. */
  note?: string;
}

/** The difference between two responses. */
export interface ResponseDiff {
  /** Same status, same header lines (ignored names aside, order included), same body bytes. */
  equal: boolean;
  /** Null when the status is the same. */
  status: { before: number | null; after: number | null } | null;
  /** Names whose lines (values, in order) differ, in order of first appearance. */
  headers: HeaderChange[];
  /** The names both responses have appear in a different order. */
  headerOrderChanged: boolean;
  /** The header names left out of the comparison (lower case). */
  ignoredHeaders: string[];
  body: BodyDiff;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function grouped(
  headers: RawHeaders,
  ignored: ReadonlySet<string>,
): Map<string, { name: string; values: string[] }> {
  const out = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (ignored.has(key)) continue;
    const entry = out.get(key);
    if (entry === undefined) out.set(key, { name, values: [value] });
    else entry.values.push(value);
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function headerChanges(
  a: RawHeaders,
  b: RawHeaders,
  ignored: ReadonlySet<string>,
): { changes: HeaderChange[]; orderChanged: boolean } {
  const ga = grouped(a, ignored);
  const gb = grouped(b, ignored);
  const changes: HeaderChange[] = [];
  for (const [key, before] of ga) {
    const after = gb.get(key);
    if (after === undefined)
      changes.push({ name: before.name, kind: "removed", before: before.values, after: [] });
    else if (!sameList(before.values, after.values)) {
      changes.push({
        name: after.name,
        kind: "changed",
        before: before.values,
        after: after.values,
      });
    }
  }
  for (const [key, after] of gb) {
    if (!ga.has(key))
      changes.push({ name: after.name, kind: "added", before: [], after: after.values });
  }
  const orderA = [...ga.keys()].filter((k) => gb.has(k));
  const orderB = [...gb.keys()].filter((k) => ga.has(k));
  return { changes, orderChanged: !sameList(orderA, orderB) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

function decode(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

function parseJson(text: string): { value: unknown } | null {
  if (text.trim() === "") return null;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

function bodyDiff(a: CapturedBody, b: CapturedBody): BodyDiff {
  const equal = sameBytes(a.bytes, b.bytes) && a.size === b.size;
  const base = {
    equal,
    sizes: { before: a.size, after: b.size },
    truncated: a.truncated || b.truncated,
  };
  const textA = decode(a.bytes);
  const textB = decode(b.bytes);
  if (textA === null || textB === null) return { ...base, kind: "binary" };
  const large =
    a.bytes.byteLength > MAX_BODY_DIFF_BYTES || b.bytes.byteLength > MAX_BODY_DIFF_BYTES;
  const jsonA = large ? null : parseJson(textA);
  const jsonB = large ? null : parseJson(textB);
  if (jsonA !== null && jsonB !== null) {
    if (equal) return { ...base, kind: "json" };
    const json = diffJson(jsonA.value, jsonB.value);
    const note =
      json.changes.length === 0
        ? "the bytes differ but the JSON values are equal (formatting)"
        : undefined;
    return { ...base, kind: "json", json, ...(note !== undefined && { note }) };
  }
  if (equal) return { ...base, kind: "text" };
  if (large)
    return {
      ...base,
      kind: "text",
      note: `a body is over ${MAX_BODY_DIFF_BYTES} bytes: compared for equality only`,
    };
  const unified = unifiedLineDiff(textA, textB);
  if (unified === null)
    return { ...base, kind: "text", note: "too many changed lines for a line diff" };
  return { ...base, kind: "text", unified };
}

function absentBody(a: CapturedResponse | null, b: CapturedResponse | null): BodyDiff {
  return {
    equal: a === null && b === null,
    kind: "absent",
    sizes: { before: a?.body.size ?? null, after: b?.body.size ?? null },
    truncated: (a?.body.truncated ?? false) || (b?.body.truncated ?? false),
    note:
      a === null && b === null
        ? "neither exchange has a response"
        : a === null
          ? "the first exchange has no response"
          : "the second exchange has no response",
  };
}

/**
 * What changed from response `a` (the original's) to `b` (the replay's); null stands for an
 * exchange without a response. Headers compare by name, case-insensitively: the lines of each
 * name, values in order (`Date` is ignored by default); `headerOrderChanged` says whether the
 * names they share come in another order. Bodies compare byte for byte; when they differ, JSON
 * bodies list the changed paths (in the JSON edit syntax, at most 1000) and text bodies get a
 * unified line diff (bodies up to 1 MiB, and a changed part of up to 1,000,000 line pairs;
 * beyond that a `note` says the bodies differ).
 *
 * @example
 * const diff = diffResponses(original.response, replay.response);
 * if (!diff.equal) console.log(diff.status, diff.headers, diff.body.json?.changes);
 */
export function diffResponses(
  a: CapturedResponse | null,
  b: CapturedResponse | null,
  options: DiffOptions = {},
): ResponseDiff {
  const ignored = new Set(
    (options.ignoreHeaders ?? DEFAULT_DIFF_IGNORED_HEADERS).map((n) => n.toLowerCase()),
  );
  const status =
    a?.status === b?.status ? null : { before: a?.status ?? null, after: b?.status ?? null };
  const { changes, orderChanged } = headerChanges(
    a?.rawHeaders ?? [],
    b?.rawHeaders ?? [],
    ignored,
  );
  const body = a === null || b === null ? absentBody(a, b) : bodyDiff(a.body, b.body);
  return {
    equal: status === null && changes.length === 0 && !orderChanged && body.equal,
    status,
    headers: changes,
    headerOrderChanged: orderChanged,
    ignoredHeaders: [...ignored],
    body,
  };
}
