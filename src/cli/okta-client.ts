/**
 * How commands that talk to a running local Okta org (`hooktap trigger`, `hooktap okta
 * preview`) find it and call it: `--okta` (default http://127.0.0.1:7070) and the token from
 * `--token`, `$HOOKTAP_OKTA_TOKEN`, or the org's database (`--data`, default .hooktap/okta.db).
 * Okta error objects and connection failures become one clear line.
 */
import { DEFAULT_OKTA_EMULATOR_PORT, readStoredOktaToken } from "../emulator/index.js";
import type { CommandOption, ParsedFlags } from "./command.js";
import { UsageError } from "./errors.js";
import type { CliIo } from "./io.js";

/** Where the org's state lives unless told otherwise (as `hooktap okta --data`). */
export const DEFAULT_OKTA_DATA = ".hooktap/okta.db";
/** The org URL unless told otherwise. */
export const DEFAULT_OKTA_URL = `http://127.0.0.1:${DEFAULT_OKTA_EMULATOR_PORT}`;

/** The flags every org client command takes. */
export const OKTA_CLIENT_OPTIONS: Readonly<Record<string, CommandOption>> = {
  okta: {
    type: "string",
    valueName: "url",
    description: "The local Okta org (hooktap okta or hooktap dev)",
    default: `$HOOKTAP_OKTA_URL, else ${DEFAULT_OKTA_URL}`,
  },
  token: {
    type: "string",
    valueName: "token",
    description: "The org's API token",
    default: "$HOOKTAP_OKTA_TOKEN, else the one kept in --data",
  },
  data: {
    type: "string",
    valueName: "file",
    description: "The org's database, to read its token from",
    default: DEFAULT_OKTA_DATA,
  },
};

/** A running org to call. */
export interface OktaTarget {
  url: string;
  token: string;
}

/** The org and token from the flags (see the module comment). */
export function oktaTargetFrom(flags: ParsedFlags, io: CliIo, help: string): OktaTarget {
  const url =
    (typeof flags.okta === "string" ? flags.okta : io.env.HOOKTAP_OKTA_URL) || DEFAULT_OKTA_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `--okta must be an http(s) URL such as ${DEFAULT_OKTA_URL}, got '${url}'`,
      help,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(
      `--okta must be an http(s) URL such as ${DEFAULT_OKTA_URL}, got '${url}'`,
      help,
    );
  }
  const data = typeof flags.data === "string" ? flags.data : DEFAULT_OKTA_DATA;
  const token =
    (typeof flags.token === "string" ? flags.token : undefined) ||
    io.env.HOOKTAP_OKTA_TOKEN ||
    readStoredOktaToken(data);
  if (token === undefined || token === "") {
    throw new UsageError(
      `no API token for ${parsed.origin}: pass --token, set HOOKTAP_OKTA_TOKEN, or point --data at the org's database (${data} has none)`,
      help,
    );
  }
  return { url: parsed.origin, token };
}

/** An Okta error object's one line: summary and causes. */
function describeOktaError(status: number, body: unknown): string {
  const error = body as { errorCode?: unknown; errorSummary?: unknown; errorCauses?: unknown };
  if (typeof error?.errorSummary !== "string") return `the org answered ${status}`;
  const causes = Array.isArray(error.errorCauses)
    ? error.errorCauses
        .map((c: { errorSummary?: unknown }) => c?.errorSummary)
        .filter((c): c is string => typeof c === "string")
    : [];
  return `${status} ${String(error.errorCode)} ${error.errorSummary}${causes.length > 0 ? ` (${causes.join("; ")})` : ""}`;
}

/**
 * Calls the org; resolves with the parsed JSON answer of a 2xx.
 *
 * @throws {Error} one line: the org unreachable, or its Okta error.
 */
export async function callOkta(
  target: OktaTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        authorization: `SSWS ${target.token}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const code = typeof cause?.code === "string" ? ` (${cause.code})` : "";
    throw new Error(
      `cannot reach the local Okta org at ${target.url}${code}: is 'hooktap okta' or 'hooktap dev' running? (--okta sets its URL)`,
    );
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    throw new Error(
      `${target.url} answered ${res.status} with a body that is not JSON: is it a hooktap Okta org?`,
    );
  }
  if (!res.ok) throw new Error(describeOktaError(res.status, parsed));
  return parsed;
}
