/**
 * Reads the recorded Okta Management API traffic of test/fixtures/okta/okta-management-api/
 * (go-vcr cassettes, YAML). Only the subset those files use is understood: per interaction the
 * request's method, URL, headers and body, the response's code, headers and body. Bodies are
 * `|` blocks or single-quoted scalars on one line; anything else fails loudly.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of the cassettes. */
export const CASSETTE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "fixtures",
  "okta",
  "okta-management-api",
);

/** One recorded request and Okta's answer. */
export interface Interaction {
  id: number;
  request: { method: string; url: string; headers: Record<string, string[]>; body: string };
  response: { code: number; headers: Record<string, string[]>; body: string };
}

/** The cassette files, by name. */
export function cassetteNames(): string[] {
  return readdirSync(CASSETTE_DIR)
    .filter((name) => name.endsWith(".yaml"))
    .sort();
}

/** Every interaction of one cassette, in recorded order. */
export function readCassette(name: string): Interaction[] {
  const lines = readFileSync(join(CASSETTE_DIR, name), "utf8").split("\n");
  const starts = lines.flatMap((line, i) => (/^ {4}- id: \d+$/.test(line) ? [i] : []));
  return starts.map((start, k) => {
    const block = lines.slice(start, starts[k + 1] ?? lines.length);
    const split = block.findIndex((line) => line === "      response:");
    if (split === -1) throw new Error(`${name}: interaction at line ${start + 1} has no response`);
    const request = block.slice(0, split);
    const response = block.slice(split);
    return {
      id: Number(/\d+/.exec(block[0] ?? "")?.[0]),
      request: {
        method: scalar(request, "method", name),
        url: scalar(request, "url", name),
        headers: headers(request),
        body: body(request, name),
      },
      response: {
        code: Number(scalar(response, "code", name)),
        headers: headers(response),
        body: body(response, name),
      },
    };
  });
}

function scalar(block: string[], key: string, name: string): string {
  const line = block.find((l) => l.startsWith(`        ${key}: `));
  if (line === undefined) throw new Error(`${name}: no ${key}`);
  return line.slice(`        ${key}: `.length);
}

function body(block: string[], name: string): string {
  const i = block.findIndex((l) => l.startsWith("        body:"));
  if (i === -1) return "";
  const value = (block[i] ?? "").slice("        body:".length).trim();
  if (value === "|") {
    const out: string[] = [];
    for (const line of block.slice(i + 1)) {
      if (!line.startsWith("            ")) break;
      out.push(line.slice(12));
    }
    return out.join("\n");
  }
  if (value === '""' || value === "''") return "";
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  throw new Error(`${name}: body form not understood: ${value.slice(0, 40)}`);
}

function headers(block: string[]): Record<string, string[]> {
  const i = block.findIndex((l) => l === "        headers:");
  const out: Record<string, string[]> = {};
  if (i === -1) return out;
  let current: string | undefined;
  for (const line of block.slice(i + 1)) {
    const name = /^ {12}([^ :][^:]*):$/.exec(line);
    const value = /^ {16}- (.*)$/.exec(line);
    if (name?.[1] !== undefined) {
      current = name[1];
      out[current] = [];
    } else if (value?.[1] !== undefined && current !== undefined) {
      out[current]?.push(value[1]);
    } else break;
  }
  return out;
}
