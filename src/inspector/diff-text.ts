/**
 * A unified line diff of two texts, hand-written and bounded: the common first and last lines
 * are trimmed, and the rest is compared with a longest-common-subsequence table of at most
 * {@link MAX_LINE_DIFF_CELLS} cells. Beyond that the caller only learns that the texts differ.
 */

/** Lines × lines of the changed middle part the diff will compare (4 MB of table). */
export const MAX_LINE_DIFF_CELLS = 1_000_000;
/** Lines of context around each change, as `diff -u`. */
export const DIFF_CONTEXT_LINES = 3;

type Op = { kind: " " | "-" | "+"; line: string };

/** The edit script of the middle parts, by LCS; null when too large. */
function middleOps(a: readonly string[], b: readonly string[]): Op[] | null {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_LINE_DIFF_CELLS) return null;
  const width = m + 1;
  // lcs[i * width + j]: length of the LCS of a[i..] and b[j..]
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i++] ?? "" });
      j++;
    } else if (
      i < n &&
      (j === m || (lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0))
    ) {
      ops.push({ kind: "-", line: a[i++] ?? "" }); // deletions first, as diff -u writes them
    } else {
      ops.push({ kind: "+", line: b[j++] ?? "" });
    }
  }
  return ops;
}

function range(start: number, count: number): string {
  // diff -u: an empty range names the line before it
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
}

function hunks(ops: readonly Op[]): string[] {
  const out: string[] = [];
  const changed = ops.map((op, k) => (op.kind === " " ? -1 : k)).filter((k) => k >= 0);
  let g = 0;
  while (g < changed.length) {
    let from = Math.max(0, (changed[g] ?? 0) - DIFF_CONTEXT_LINES);
    let to = Math.min(ops.length, (changed[g] ?? 0) + DIFF_CONTEXT_LINES + 1);
    g++;
    while (g < changed.length && (changed[g] ?? 0) - DIFF_CONTEXT_LINES <= to) {
      to = Math.min(ops.length, (changed[g] ?? 0) + DIFF_CONTEXT_LINES + 1);
      g++;
    }
    let aStart = 1;
    let bStart = 1;
    for (let k = 0; k < from; k++) {
      if (ops[k]?.kind !== "+") aStart++;
      if (ops[k]?.kind !== "-") bStart++;
    }
    const slice = ops.slice(from, to);
    const aCount = slice.filter((op) => op.kind !== "+").length;
    const bCount = slice.filter((op) => op.kind !== "-").length;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
    from = to;
  }
  return out;
}

/**
 * A unified diff (`--- before`, `+++ after`, `@@` hunks with 3 lines of context) of two texts
 * split on `\n`; null when the changed part is too large to compare (see
 * {@link MAX_LINE_DIFF_CELLS}). Equal texts give an empty string.
 *
 * @example
 * unifiedLineDiff("a\nb\n", "a\nc\n");
 * // "--- before\n+++ after\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n \n"
 */
export function unifiedLineDiff(before: string, after: string): string | null {
  if (before === after) return "";
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = middleOps(a.slice(start, endA), b.slice(start, endB));
  if (middle === null) return null;
  const ops: Op[] = [
    ...a.slice(0, start).map((line): Op => ({ kind: " ", line })),
    ...middle,
    ...a.slice(endA).map((line): Op => ({ kind: " ", line })),
  ];
  return ["--- before", "+++ after", ...hunks(ops), ""].join("\n");
}
