/**
 * The changed paths between two JSON documents, walked with an explicit stack (hostile nesting
 * cannot overflow) and capped at {@link MAX_JSON_CHANGES}. Objects compare by key, arrays by
 * index: an element inserted at the front shows as every later index changed, which is what
 * the bytes did too.
 */
import { formatJsonPath, type JsonPathSegment } from "./modify/json-path.js";

/** At most this many changes are listed; `truncated` says when there were more. */
export const MAX_JSON_CHANGES = 1000;

/** One difference between two JSON documents. */
export interface JsonChange {
  /** In the JSON edit syntax (`data.events[0].x`); `""` is the whole document. */
  path: string;
  kind: "added" | "removed" | "changed";
  /** The value before (absent for `added`). */
  before?: unknown;
  /** The value after (absent for `removed`). */
  after?: unknown;
}

/** The changes (each level's added and removed keys before its children's changes), and whether the list was cut. */
export interface JsonDiff {
  changes: JsonChange[];
  truncated: boolean;
}

/** A step of the walk; paths are parent links, formatted only for a change (no copies per level). */
type Frame = { parent: Frame | null; segment: JsonPathSegment | null; a: unknown; b: unknown };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function pathOf(frame: Frame, last?: JsonPathSegment): string {
  const segments: JsonPathSegment[] = last === undefined ? [] : [last];
  for (let f: Frame | null = frame; f !== null; f = f.parent) {
    if (f.segment !== null) segments.push(f.segment);
  }
  return formatJsonPath(segments.reverse());
}

/**
 * What changed from `a` to `b`.
 *
 * @example
 * diffJson({ a: 1, b: [1] }, { a: 2, b: [1, 2] });
 * // { changes: [{ path: "a", kind: "changed", before: 1, after: 2 },
 * //             { path: "b[1]", kind: "added", after: 2 }], truncated: false }
 */
export function diffJson(a: unknown, b: unknown): JsonDiff {
  const changes: JsonChange[] = [];
  const stack: Frame[] = [{ parent: null, segment: null, a, b }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const { a: x, b: y } = frame;
    const found: JsonChange[] = [];
    const children: Frame[] = [];
    if (isObject(x) && isObject(y)) {
      for (const key of Object.keys(x)) {
        if (Object.hasOwn(y, key))
          children.push({ parent: frame, segment: key, a: x[key], b: y[key] });
        else found.push({ path: pathOf(frame, key), kind: "removed", before: x[key] });
      }
      for (const key of Object.keys(y)) {
        if (!Object.hasOwn(x, key))
          found.push({ path: pathOf(frame, key), kind: "added", after: y[key] });
      }
    } else if (Array.isArray(x) && Array.isArray(y)) {
      const common = Math.min(x.length, y.length);
      for (let i = 0; i < common; i++)
        children.push({ parent: frame, segment: i, a: x[i], b: y[i] });
      for (let i = common; i < x.length; i++)
        found.push({ path: pathOf(frame, i), kind: "removed", before: x[i] });
      for (let i = common; i < y.length; i++)
        found.push({ path: pathOf(frame, i), kind: "added", after: y[i] });
    } else if (x !== y) {
      found.push({ path: pathOf(frame), kind: "changed", before: x, after: y });
    }
    for (const change of found) {
      if (changes.length >= MAX_JSON_CHANGES) return { changes, truncated: true };
      changes.push(change);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Frame);
  }
  return { changes, truncated: false };
}
