/**
 * Fuzzes `decodeFrame` with a seeded PRNG: whatever arrives, the outcome is a valid `Frame`
 * or a `ProtocolError`, never another exception. A decoded frame must also survive
 * re-encoding: data frames re-encode to the very same bytes, control messages to an equal
 * message. Runs are bounded and reproducible (fixed seeds).
 */
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { decodeFrame, decodeMessage, encodeMessage } from "./codec.js";
import { encodeData } from "./data-frame.js";
import { ProtocolError } from "./errors.js";
import {
  DATA_FRAME_HEADER_BYTES,
  MAX_CONTROL_FRAME_BYTES,
  MAX_DATA_PAYLOAD_BYTES,
} from "./limits.js";
import { SAMPLE_ENTRIES } from "./samples.case.js";

const RUNS = 5_000;

/** mulberry32: a tiny seeded PRNG, good enough to pick mutations reproducibly. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, bytes };
}
type Rng = ReturnType<typeof prng>;

/** Tallies outcomes and collects every breach of the property. */
function harness() {
  const codes = new Map<string, number>();
  const failures: string[] = [];
  let valid = 0;
  const check = (input: string | Uint8Array, label: string): void => {
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(input);
    } catch (error) {
      if (error instanceof ProtocolError) codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
      else failures.push(`${label}: threw ${String(error)}`);
      return;
    }
    valid++;
    try {
      if (frame.kind === "data") {
        if (!isDeepStrictEqual(encodeData(frame), Uint8Array.from(input as Uint8Array))) {
          failures.push(`${label}: data frame does not re-encode to its bytes`);
        }
      } else if (!isDeepStrictEqual(decodeMessage(encodeMessage(frame.message)), frame.message)) {
        failures.push(`${label}: message does not survive re-encoding`);
      }
    } catch (error) {
      failures.push(`${label}: re-encoding threw ${String(error)}`);
    }
  };
  return { check, codes, failures, valid: () => valid };
}

const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 32,
  2 ** 53,
  1e308,
  "",
  "x",
  "/",
  "\u0000",
  "\ud800",
  "a\r\nb",
  [],
  {},
  [["a", "b"]],
  [[1, 2]],
  { type: "window" },
];

function randomJson(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 5 : 7)) {
    case 0:
      return rng.pick(WEIRD_VALUES);
    case 1:
      return rng.int(2) === 0 ? rng.int(1000) : (rng.next() - 0.5) * 10 ** rng.int(20);
    case 2:
      return String.fromCharCode(...Array.from({ length: rng.int(12) }, () => rng.int(0x10000)));
    case 3:
      return rng.pick([
        "live",
        "queued",
        "edge",
        "app",
        "GET",
        "1.1",
        "q_1",
        "AAAA",
        "https://x.example/",
      ]);
    case 4:
      return rng.int(2) === 0;
    case 5:
      return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(4) }, () => [
          rng.pick(["type", "a", "stream", "__proto__"]),
          randomJson(rng, depth + 1),
        ]),
      );
  }
}

type Path = (string | number)[];

/** Every path to a value inside `value`, the root included. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : typeof value === "object" && value !== null
      ? Object.entries(value)
      : [];
  for (const [key, item] of children) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

/** A copy of `root` with the value at `path` replaced (or deleted when `value` is `undefined`). */
function withValue(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  // defineProperty, not `=`: a "__proto__" key must become an own field, as JSON.parse makes it.
  else
    Object.defineProperty(node, last, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

function mutateText(rng: Rng, text: string): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + String.fromCharCode(rng.int(0x80)) + text.slice(at + 1);
    case 2:
      return (
        text.slice(0, at) +
        rng.pick(["1e400", "-0", "null", "{}", "[", '"', "\\u0000"]) +
        text.slice(at)
      );
    default:
      return text.replace(
        /\d+/,
        rng.pick(["-0", "1e400", "4294967296", "0.5", "9007199254740993"]),
      );
  }
}

describe("decodeFrame fuzz: every outcome is a Frame or a ProtocolError", () => {
  it(`${RUNS} random byte strings, as binary and as text frames`, () => {
    const rng = prng(0x0b17e5);
    const h = harness();
    for (let i = 0; i < RUNS; i++) {
      const bytes = rng.bytes(
        rng.int(4) === 0 ? rng.int(DATA_FRAME_HEADER_BYTES + 2) : rng.int(300),
      );
      h.check(bytes, `bytes#${i}`);
      h.check(Buffer.from(bytes).toString(rng.int(2) === 0 ? "latin1" : "utf8"), `text#${i}`);
    }
    expect(h.failures).toEqual([]);
    expect(h.valid()).toBeGreaterThan(0);
    for (const code of ["truncated_frame", "invalid_flags", "malformed_json"]) {
      expect(h.codes.get(code) ?? 0).toBeGreaterThan(0);
    }
  });

  it(`${RUNS} truncations, bit flips and extensions of valid data frames`, () => {
    const rng = prng(0xf1a95);
    const h = harness();
    for (let i = 0; i < RUNS; i++) {
      const size = rng.int(50) === 0 ? MAX_DATA_PAYLOAD_BYTES : rng.int(200);
      const stream = rng.pick([1, 2, 0xffff_ffff, 1 + rng.int(0xffff_fffe)]);
      const valid = encodeData({ stream, end: rng.int(2) === 0, payload: rng.bytes(size) });
      let bytes: Uint8Array;
      switch (rng.int(3)) {
        case 0:
          bytes = valid.subarray(0, rng.int(valid.byteLength + 1));
          break;
        case 1:
          bytes = Uint8Array.from(valid);
          for (let flips = 1 + rng.int(3); flips > 0; flips--) {
            const at = rng.int(rng.int(2) === 0 ? DATA_FRAME_HEADER_BYTES : bytes.byteLength);
            bytes[at] = (bytes[at] ?? 0) ^ (1 << rng.int(8));
          }
          break;
        default: {
          const extra = rng.int(3) === 0 ? 1 + rng.int(4) : 0;
          bytes = new Uint8Array(valid.byteLength + extra);
          bytes.set(valid);
        }
      }
      h.check(bytes, `data#${i}`);
    }
    expect(h.failures).toEqual([]);
    expect(h.valid()).toBeGreaterThan(RUNS / 4);
    for (const code of ["truncated_frame", "invalid_flags", "invalid_stream", "frame_too_large"]) {
      expect(h.codes.get(code) ?? 0).toBeGreaterThan(0);
    }
  });

  it("every field of every sample set to every kind of JSON value, or removed", () => {
    const h = harness();
    let runs = 0;
    for (const [name, message] of SAMPLE_ENTRIES) {
      for (const path of pathsOf(message)) {
        for (const value of [...WEIRD_VALUES, undefined]) {
          h.check(
            JSON.stringify(withValue(message, path, value)) ?? "",
            `${name}.${path.join(".")}`,
          );
          runs++;
        }
      }
    }
    expect(runs).toBeGreaterThan(3_000);
    expect(h.failures).toEqual([]);
    expect(h.valid()).toBeGreaterThan(0);
    expect(h.codes.get("invalid_message") ?? 0).toBeGreaterThan(runs / 2);
  });

  it(`${RUNS} random mutations of valid JSON messages`, () => {
    const rng = prng(0x15014);
    const h = harness();
    for (let i = 0; i < RUNS; i++) {
      const [name, message] = rng.pick(SAMPLE_ENTRIES);
      let mutated: unknown = message;
      for (let steps = 1 + rng.int(3); steps > 0; steps--) {
        const paths = pathsOf(mutated);
        const path = rng.pick(paths);
        const choice = rng.int(4);
        if (choice === 0 && path.length > 0) mutated = withValue(mutated, path, undefined);
        else if (choice === 1) {
          const objects = paths.filter((p) => isObject(valueAt(mutated, p)));
          const key = rng.pick(["extra", "type", "__proto__"]);
          if (objects.length > 0)
            mutated = withValue(mutated, [...rng.pick(objects), key], randomJson(rng));
        } else mutated = withValue(mutated, path, randomJson(rng));
      }
      const text = JSON.stringify(mutated) ?? "";
      h.check(rng.int(4) === 0 ? mutateText(rng, text) : text, `json#${i} from ${name}`);
    }
    expect(h.failures).toEqual([]);
    expect(h.valid()).toBeGreaterThan(0);
    for (const code of ["invalid_message", "malformed_json", "unknown_type"]) {
      expect(h.codes.get(code) ?? 0).toBeGreaterThan(0);
    }
  });

  it("oversized frames are refused with frame_too_large", () => {
    const rng = prng(0xb16);
    const h = harness();
    for (let i = 0; i < 20; i++) {
      const extra = 1 + rng.int(1024);
      const bytes = rng.bytes(DATA_FRAME_HEADER_BYTES + MAX_DATA_PAYLOAD_BYTES + extra);
      bytes[0] = 0;
      bytes[1] = 0;
      bytes[2] = 0;
      bytes[3] = 1;
      bytes[4] = 1;
      h.check(bytes, `big-data#${i}`);
      h.check(
        `{"type":"window","pad":"${"x".repeat(MAX_CONTROL_FRAME_BYTES + extra)}"}`,
        `big-text#${i}`,
      );
      h.check("\u20ac".repeat(Math.ceil(MAX_CONTROL_FRAME_BYTES / 3) + extra), `big-utf8#${i}`);
    }
    expect(h.failures).toEqual([]);
    expect(h.valid()).toBe(0);
    expect([...h.codes]).toEqual([["frame_too_large", 60]]);
  });
});
