/**
 * How the CLI commands (`requests`, `replay`, `export`, `import`) talk to a running inspector:
 * `fetch` over its HTTP API, one clear sentence when none is running there, and the problem
 * object's detail when the inspector refuses something.
 */
import type { CommandOption } from "./command.js";
import { UsageError } from "./errors.js";

/** Where the commands look for the inspector unless told otherwise. */
export const DEFAULT_INSPECTOR_URL = "http://127.0.0.1:4040";

/** The `--inspector` flag every client command takes. */
export const INSPECTOR_OPTION: CommandOption = {
  type: "string",
  valueName: "url",
  description: "The running inspector's URL (hooktap http prints it)",
  default: `$HOOKTAP_INSPECTOR, else ${DEFAULT_INSPECTOR_URL}`,
};

/** The `--json` flag of the client commands. */
export const JSON_OPTION: CommandOption = {
  type: "boolean",
  description: "Print the API's JSON instead of text, for scripts",
};

/** The inspector refused a call: its problem object's fields. */
export class InspectorApiError extends Error {
  override readonly name = "InspectorApiError";
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A response of the inspector, read whole. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  json<T>(): T;
}

/** Calls one inspector. */
export interface InspectorClient {
  readonly baseUrl: string;
  /** Sends a request; rejects with {@link InspectorApiError} on a problem, or a clear Error when unreachable. */
  request(
    method: string,
    path: string,
    body?: { json: unknown } | { bytes: Uint8Array; contentType: string },
  ): Promise<ApiResponse>;
  /** Opens a streaming GET (the live stream); the caller reads `body`. */
  stream(path: string, signal: AbortSignal): Promise<Response>;
}

/**
 * The inspector URL from `--inspector`, `$HOOKTAP_INSPECTOR` or the default; a bad one is a
 * usage error.
 *
 * @example
 * inspectorUrl(undefined, {}, "requests"); // "http://127.0.0.1:4040"
 */
export function inspectorUrl(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  commandName: string,
): string {
  const value = flag ?? (env.HOOKTAP_INSPECTOR || undefined) ?? DEFAULT_INSPECTOR_URL;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(
      `--inspector must be an http:// URL like ${DEFAULT_INSPECTOR_URL}, got '${value}'`,
      `hooktap ${commandName} --help`,
    );
  }
  return `${url.protocol}//${url.host}`;
}

function unreachable(baseUrl: string, error: unknown): Error {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (error instanceof Error ? error.message : String(error));
  return new Error(
    `no inspector is running at ${baseUrl} (${code}); start one with 'hooktap http <port>', or point --inspector at it`,
  );
}

async function failure(baseUrl: string, response: Response): Promise<Error> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { code?: unknown; detail?: unknown };
    if (typeof problem.detail === "string") {
      const code = typeof problem.code === "string" ? problem.code : "error";
      return new InspectorApiError(response.status, code, `${problem.detail} [${code}]`);
    }
  } catch {
    // Not a problem object: not hooktap's inspector, described below.
  }
  return new InspectorApiError(
    response.status,
    "unexpected_response",
    `${baseUrl} answered ${response.status} without a problem object; is it a hooktap inspector?`,
  );
}

/**
 * A client of the inspector at `baseUrl`.
 *
 * @example
 * const client = createInspectorClient("http://127.0.0.1:4040");
 * const page = (await client.request("GET", "/api/exchanges?limit=20")).json();
 */
export function createInspectorClient(baseUrl: string): InspectorClient {
  return {
    baseUrl,
    async request(method, path, body) {
      const init: RequestInit = { method };
      if (body !== undefined && "json" in body) {
        init.body = JSON.stringify(body.json);
        init.headers = { "Content-Type": "application/json" };
      } else if (body !== undefined) {
        init.body = body.bytes;
        init.headers = { "Content-Type": body.contentType };
      }
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, init);
      } catch (error) {
        throw unreachable(baseUrl, error);
      }
      if (!response.ok) throw await failure(baseUrl, response);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        headers: response.headers,
        bytes,
        json<T>() {
          return JSON.parse(new TextDecoder().decode(bytes)) as T;
        },
      };
    },
    async stream(path, signal) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, {
          headers: { Accept: "text/event-stream" },
          signal,
        });
      } catch (error) {
        throw unreachable(baseUrl, error);
      }
      if (!response.ok) throw await failure(baseUrl, response);
      return response;
    },
  };
}

/**
 * `--filter key=value` values as query parameters (the API checks names and values).
 *
 * @example
 * filterParams(["status=5xx", "header=X-Id: 7"], "requests").toString(); // "status=5xx&header=X-Id%3A+7"
 */
export function filterParams(filters: readonly string[], commandName: string): URLSearchParams {
  const params = new URLSearchParams();
  for (const filter of filters) {
    const eq = filter.indexOf("=");
    if (eq < 1) {
      throw new UsageError(
        `--filter must be key=value (e.g. status=5xx, oktaEventType=user.lifecycle.create), got '${filter}'`,
        `hooktap ${commandName} --help`,
      );
    }
    params.append(filter.slice(0, eq), filter.slice(eq + 1));
  }
  return params;
}

/** The `--filter` flag of `requests` and `export`. */
export const FILTER_OPTION: CommandOption = {
  type: "string",
  multiple: true,
  valueName: "key=value",
  description:
    "Only matching exchanges; repeatable. Keys: method, path, status (404 or 5xx), minDurationMs, maxDurationMs, origin, header ('Name: value'), oktaEventType, targetUser, text, parentId, endpoint",
};

/**
 * A refused filter (`invalid_query`) is the command line's fault: a usage error (exit 2);
 * anything else is returned unchanged.
 *
 * @example
 * await client.request("GET", path).catch((error) => { throw asUsageError(error, "hooktap requests --help"); });
 */
export function asUsageError(error: unknown, hint: string): unknown {
  if (error instanceof InspectorApiError && error.code === "invalid_query") {
    return new UsageError(error.message.replace(/ \[invalid_query\]$/, ""), hint);
  }
  return error;
}
