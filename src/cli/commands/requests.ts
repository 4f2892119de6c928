import type { ExchangeSummary } from "../../inspector/index.js";
import type { Closable, Command } from "../command.js";
import { parseCommandLine } from "../command.js";
import { UsageError } from "../errors.js";
import { exchangeHeader, exchangeLine } from "../exchange-table.js";
import {
  asUsageError,
  createInspectorClient,
  FILTER_OPTION,
  filterParams,
  INSPECTOR_OPTION,
  type InspectorClient,
  inspectorUrl,
  JSON_OPTION,
} from "../inspector-client.js";
import type { CliIo } from "../io.js";
import { readSse } from "../sse-reader.js";

const HELP = "hooktap requests --help";

/** `hooktap requests`: the captured history, and with `--follow` what arrives next. */
export const requestsCommand: Command = {
  name: "requests",
  summary: "List captured requests from a running inspector; --follow to watch new ones",
  usage:
    "hooktap requests [--follow] [--filter key=value]… [--limit <n>] [--json] [--inspector <url>]",
  options: {
    follow: {
      type: "boolean",
      short: "f",
      description: "After the list, print each request as it completes (live stream)",
    },
    filter: FILTER_OPTION,
    limit: {
      type: "string",
      short: "n",
      valueName: "n",
      description: "How many of the latest requests to list (1-1000)",
      default: "20",
    },
    json: JSON_OPTION,
    inspector: INSPECTOR_OPTION,
  },
  environment: { HOOKTAP_INSPECTOR: "the inspector's URL, as --inspector" },
  examples: [
    "hooktap requests",
    "hooktap requests --filter status=5xx --filter oktaEventType=user.lifecycle.create",
    "hooktap requests --follow --filter origin=live",
    "hooktap requests --limit 100 --json | jq '.items[].id'",
  ],
  async run(args, io) {
    const { flags } = parseCommandLine(requestsCommand, args, false);
    const client = createInspectorClient(
      inspectorUrl(flags.inspector as string | undefined, io.env, "requests"),
    );
    const params = filterParams((flags.filter as string[] | undefined) ?? [], "requests");
    const limit = (flags.limit as string | undefined) ?? "20";
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) {
      throw new UsageError(`--limit must be an integer from 1 to 1000, got '${limit}'`, HELP);
    }
    const json = flags.json === true;
    // Follow: open the stream first, so nothing completing during the list is missed.
    const stream = flags.follow === true ? await openStream(client, params) : null;
    const listParams = new URLSearchParams(params);
    listParams.set("limit", limit);
    let page: { items: ExchangeSummary[] };
    try {
      const response = await client.request("GET", `/api/exchanges?${listParams}`);
      page = response.json<{ items: ExchangeSummary[] }>();
    } catch (error) {
      stream?.controller.abort();
      throw asUsageError(error, HELP);
    }
    if (stream === null) {
      if (json) io.stdout(JSON.stringify(page, null, 2));
      else {
        io.stdout(exchangeHeader());
        for (const item of [...page.items].reverse()) io.stdout(exchangeLine(item));
        if (page.items.length === 0) io.stdout("(no requests)");
      }
      return undefined;
    }
    if (!json) io.stdout(exchangeHeader());
    // Oldest first, so that followed requests continue the list downwards.
    for (const item of [...page.items].reverse()) {
      io.stdout(json ? JSON.stringify(item) : exchangeLine(item));
    }
    const shown = new Set(page.items.filter((item) => item.state !== "pending").map((i) => i.id));
    return follow(client, stream, shown, json, io);
  },
};

interface OpenStream {
  controller: AbortController;
  /**
   * Held while reading: undici cancels the body of a Response that is garbage-collected, which
   * would end the stream at a random moment.
   */
  response: Response;
  body: ReadableStream<Uint8Array>;
}

async function openStream(client: InspectorClient, params: URLSearchParams): Promise<OpenStream> {
  const controller = new AbortController();
  const query = params.size === 0 ? "" : `?${params}`;
  const response = await client
    .stream(`/api/exchanges/stream${query}`, controller.signal)
    .catch((error: unknown) => {
      throw asUsageError(error, HELP);
    });
  if (response.body === null) throw new Error("the inspector sent an empty live stream");
  return { controller, response, body: response.body };
}

function follow(
  client: InspectorClient,
  stream: OpenStream,
  shown: Set<string>,
  json: boolean,
  io: CliIo,
): Closable {
  const { controller, body } = stream;
  const finished = (async (): Promise<number> => {
    try {
      for await (const message of readSse(body)) {
        if (message.event === "reset") {
          io.stderr("hooktap: the live stream was reset; some requests may be missing above");
          continue;
        }
        if (message.event !== "insert" && message.event !== "update") continue;
        const summary = JSON.parse(message.data) as ExchangeSummary;
        if (summary.state === "pending" || shown.delete(summary.id)) continue;
        io.stdout(json ? JSON.stringify(summary) : exchangeLine(summary));
      }
    } catch (error) {
      if (controller.signal.aborted) return 0;
      io.stderr(
        `hooktap: the live stream broke: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 1;
    }
    if (controller.signal.aborted) return 0;
    io.stderr(`hooktap: the inspector at ${client.baseUrl} closed the live stream`);
    return 1;
  })().finally(() => {
    stream.response.headers.get("content-type");
  });
  return {
    finished,
    async close() {
      controller.abort();
      await finished;
    },
  };
}
