/**
 * The body of `POST /api/exchanges/:id/replay`, checked field by field: every mistake is a 400
 * problem naming the field, and nothing is sent or stored.
 *
 * ```json
 * { "method": "POST", "path": "/hooks?x=1",
 *   "headers": { "set": [["X-Env", "test"]], "add": [["X-Extra", "1"]], "remove": ["X-Okta-Verification-Challenge"] },
 *   "body": "text", "bodyBase64": "AAE=", "jsonEdits": ["data.events[0].target[0].alternateId=jane@example.com"],
 *   "to": "http://127.0.0.1:4000" }
 * ```
 * Header lists take pairs (`[["Name", "value"]]`, order kept) or an object (`{"Name": "value"}`).
 */
import { isHttpFieldValue, isHttpToken } from "../http/index.js";
import { ProblemError } from "./problem.js";
import { describeJson } from "./request-body.js";

const FIELDS = ["method", "path", "headers", "body", "bodyBase64", "jsonEdits", "to"];
const HEADER_FIELDS = ["set", "add", "remove"];

/** Checked replay options. */
export interface ReplayOptions {
  method?: string;
  path?: string;
  headers?: {
    set?: [string, string][];
    add?: [string, string][];
    remove?: string[];
  };
  /** The new body, decoded (from `body` as UTF-8, or from `bodyBase64`). */
  body?: Uint8Array;
  /** JSON edits, as written (`a.b[0]=value`). */
  jsonEdits?: string[];
  /** Send here instead of the tunnel's upstream. */
  to: string | null;
}

function bad(field: string, message: string): never {
  throw new ProblemError(400, "invalid_replay_options", `${field} ${message}`, { field });
}

/**
 * Checks the replay options; `input` is the parsed JSON body (undefined when empty).
 *
 * @example
 * parseReplayOptions({ jsonEdits: ["data.events[0].target[0].alternateId=jane@example.com"] });
 */
export function parseReplayOptions(input: Record<string, unknown>): ReplayOptions {
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) bad(key, `is not a replay option; use ${FIELDS.join(", ")}`);
  }
  const options: ReplayOptions = { to: null };
  if (input.method !== undefined) {
    if (!isHttpToken(input.method)) {
      bad("method", `must be an HTTP method, got ${JSON.stringify(input.method)}`);
    }
    options.method = input.method;
  }
  if (input.path !== undefined) {
    if (typeof input.path !== "string" || !/^\/[^\s#]*$/.test(input.path)) {
      bad(
        "path",
        `must start with '/' and hold no spaces or '#', got ${JSON.stringify(input.path)}`,
      );
    }
    options.path = input.path;
  }
  if (input.headers !== undefined) options.headers = headerOptions(input.headers);
  if (input.body !== undefined && input.bodyBase64 !== undefined) {
    bad("body", "and bodyBase64 cannot both be given");
  }
  if (input.body !== undefined) {
    if (typeof input.body !== "string")
      bad("body", `must be a string, got ${describeJson(input.body)}`);
    options.body = new TextEncoder().encode(input.body);
  }
  if (input.bodyBase64 !== undefined) {
    const text = input.bodyBase64;
    if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
      bad("bodyBase64", "must be a base64 string");
    }
    options.body = new Uint8Array(Buffer.from(text, "base64"));
  }
  if (input.jsonEdits !== undefined) {
    const edits = input.jsonEdits;
    if (!Array.isArray(edits) || edits.some((edit) => typeof edit !== "string")) {
      bad(
        "jsonEdits",
        "must be an array of strings like 'data.events[0].eventType=user.lifecycle.create'",
      );
    }
    options.jsonEdits = edits as string[];
  }
  if (input.to !== undefined && input.to !== null) options.to = targetUrl(input.to);
  return options;
}

/** True when the options change the request (not only where it goes). */
export function modifiesRequest(options: ReplayOptions): boolean {
  return (
    options.method !== undefined ||
    options.path !== undefined ||
    options.headers !== undefined ||
    options.body !== undefined ||
    (options.jsonEdits?.length ?? 0) > 0
  );
}

function headerOptions(value: unknown): NonNullable<ReplayOptions["headers"]> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    bad("headers", `must be an object with set, add and remove, got ${describeJson(value)}`);
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!HEADER_FIELDS.includes(key))
      bad(`headers.${key}`, "is not a header option; use set, add, remove");
  }
  const headers: NonNullable<ReplayOptions["headers"]> = {};
  if (input.set !== undefined) headers.set = headerPairs(input.set, "headers.set");
  if (input.add !== undefined) headers.add = headerPairs(input.add, "headers.add");
  if (input.remove !== undefined) {
    const remove = input.remove;
    if (!Array.isArray(remove)) bad("headers.remove", "must be an array of header names");
    remove.forEach((name: unknown, i) => {
      if (!isHttpToken(name)) {
        bad(`headers.remove[${i}]`, `must be a header name, got ${JSON.stringify(name)}`);
      }
    });
    headers.remove = remove as string[];
  }
  return headers;
}

function headerPairs(value: unknown, field: string): [string, string][] {
  let pairs: unknown[];
  if (Array.isArray(value)) pairs = value;
  else if (typeof value === "object" && value !== null) pairs = Object.entries(value);
  else
    bad(field, `must be [["Name", "value"], …] or {"Name": "value"}, got ${describeJson(value)}`);
  return pairs.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2)
      bad(`${field}[${i}]`, 'must be ["Name", "value"]');
    const [name, headerValue] = pair as unknown[];
    if (!isHttpToken(name)) {
      bad(`${field}[${i}]`, `has an invalid header name ${JSON.stringify(name)}`);
    }
    if (!isHttpFieldValue(headerValue)) {
      bad(`${field}[${i}]`, `value of ${name} must be a string without control characters`);
    }
    return [name, headerValue];
  });
}

/**
 * Checks a replay destination: an `http(s)://` URL without credentials, query or fragment.
 *
 * @example
 * targetUrl("http://127.0.0.1:4000/base/"); // "http://127.0.0.1:4000/base"
 */
export function targetUrl(value: unknown, field = "to"): string {
  if (typeof value !== "string" || !URL.canParse(value)) {
    bad(field, `must be an http:// or https:// URL, got ${JSON.stringify(value)}`);
  }
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    bad(field, `must be an http:// or https:// URL, got ${url.protocol}//`);
  }
  if (url.username !== "" || url.password !== "") bad(field, "must not carry credentials");
  if (url.search !== "" || url.hash !== "") {
    bad(field, "must not have a query or fragment (the request's own target is appended)");
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
