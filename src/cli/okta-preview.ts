/**
 * `hooktap okta preview <hookId> --event-type T [--body F]`: the Admin Console's Preview from
 * the command line, through the org's `/api/v1/hooktap/eventHooks/:id/preview`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { DeliveryView } from "../emulator/index.js";
import type { Closable } from "./command.js";
import { deliveryLines } from "./delivery-lines.js";
import { UsageError } from "./errors.js";
import type { CliIo } from "./io.js";
import { callOkta, oktaTargetFrom } from "./okta-client.js";

const HELP = "hooktap okta --help";

/** Runs `hooktap okta preview` with the arguments after `preview`. */
export async function runOktaPreview(
  args: readonly string[],
  io: CliIo,
): Promise<Closable | undefined> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error),
      HELP,
    );
  }
  const [hookId, ...extra] = parsed.positionals;
  if (hookId === undefined)
    throw new UsageError("which hook? hooktap okta preview <hookId> --event-type <type>", HELP);
  if (extra.length > 0)
    throw new UsageError(`unexpected argument '${extra[0]}' for 'hooktap okta preview'`, HELP);
  const eventType = parsed.values["event-type"];
  if (eventType === undefined || eventType === "") {
    throw new UsageError("--event-type is required, e.g. --event-type user.lifecycle.create", HELP);
  }
  const event = parsed.values.body === undefined ? undefined : readEvent(parsed.values.body);
  const target = oktaTargetFrom(parsed.values, io, HELP);
  const answer = (await callOkta(
    target,
    "POST",
    `/api/v1/hooktap/eventHooks/${encodeURIComponent(hookId)}/preview`,
    {
      eventType,
      ...(event === undefined ? {} : { event }),
    },
  )) as DeliveryView & { source: string; verificationStatus: string };
  const from =
    answer.source === "request"
      ? `the event in ${parsed.values.body}`
      : answer.source === "system_log"
        ? "the most recent System Log event of that type"
        : "a sample event (the System Log has none of that type)";
  io.stdout(`Preview of ${eventType} for hook ${hookId}, with ${from}:`);
  for (const line of deliveryLines(answer)) io.stdout(line);
  if (answer.response !== null) {
    for (const [name, value] of answer.response.headers) io.stdout(`    < ${name}: ${value}`);
  }
  io.stdout("Delivered body:");
  io.stdout(answer.request.body);
  if (answer.outcome === "failure")
    throw new Error("the hook did not accept the preview (see above)");
  return undefined;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      "event-type": { type: "string" },
      body: { type: "string" },
      okta: { type: "string" },
      token: { type: "string" },
      data: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
}

function readEvent(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`--body: cannot read ${file} (${String(code ?? error)})`, HELP);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--body: ${file} is not JSON (${error instanceof Error ? error.message : String(error)})`,
      HELP,
    );
  }
}
