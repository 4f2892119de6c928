/**
 * Editing an event before it is delivered (`trigger --set path=value`): a dotted path with
 * array indexes (`target[0].displayName`, `debugContext.debugData.requestUri`) set to a JSON
 * value. Missing objects on the way are created; an index must point into the array or just
 * past its end.
 */

/** One step of a path: an object key or an array index. */
export type PathStep = string | number;

const SEGMENT = /^([^.[\]]+)((?:\[\d+\])*)$/;
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/**
 * Parses `a.b[0].c` into `["a", "b", 0, "c"]`.
 *
 * @throws {SyntaxError} naming what is wrong.
 * @example
 * parseJsonPath("target[0].displayName"); // ["target", 0, "displayName"]
 */
export function parseJsonPath(path: string): PathStep[] {
  if (path === "") throw new SyntaxError("the path is empty");
  const steps: PathStep[] = [];
  for (const segment of path.split(".")) {
    const match = SEGMENT.exec(segment);
    if (match === null) {
      throw new SyntaxError(`'${path}' is not a path like a.b[0].c (bad part '${segment}')`);
    }
    const key = match[1] as string;
    if (FORBIDDEN.has(key)) throw new SyntaxError(`'${key}' cannot be set`);
    steps.push(key);
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

/**
 * Sets `value` at `path` inside `target` (changed in place).
 *
 * @throws {TypeError} when the path runs through a value that is not an object or array, or an
 *   index is beyond the end of its array.
 * @example
 * setJsonPath(event, "outcome.result", "FAILURE");
 */
export function setJsonPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const steps = parseJsonPath(path);
  let node: unknown = target;
  for (const [i, step] of steps.entries()) {
    const last = i === steps.length - 1;
    const where = describe(steps.slice(0, i));
    if (typeof step === "number") {
      if (!Array.isArray(node)) throw new TypeError(`${where} is not an array`);
      if (step > node.length) {
        throw new TypeError(`${where} has ${node.length} items; index ${step} is past its end`);
      }
    } else if (typeof node !== "object" || node === null || Array.isArray(node)) {
      throw new TypeError(`${where} is not an object`);
    }
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[step] = value;
      return;
    }
    const next = container[step];
    if (next === undefined || next === null) {
      container[step] = typeof steps[i + 1] === "number" ? [] : {};
    }
    node = container[step];
  }
}

function describe(steps: readonly PathStep[]): string {
  if (steps.length === 0) return "the event";
  return steps
    .map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`))
    .join("");
}
