import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  type AgentToken,
  DEFAULT_STORE_WATCH_MS,
  openSqliteRelayStore,
  type RelayStore,
  StoreError,
} from "../../relay/index.js";
import { describeParseError } from "../command.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { formatInstant, formatTable } from "../text-table.js";

const HELP = "hooktap relay --help";

/** Where `hooktap relay` keeps its data unless `--data` says otherwise. */
export const DEFAULT_RELAY_DATA = ".hooktap/relay.db";

/**
 * `hooktap relay token create <name> | ls | revoke <id|name> [--data <file>]`: manage the
 * tokens agents authenticate with, in the relay's database (the relay may be running).
 *
 * @example
 * await runTokenCommand(["create", "laptop"], io);
 */
export async function runTokenCommand(args: readonly string[], io: CliIo): Promise<undefined> {
  const { data, positionals } = parseTokenArgs(args);
  const [action, ...rest] = positionals;
  const expect = (count: number, synopsis: string): void => {
    if (rest.length !== count) {
      throw new UsageError(`usage: hooktap relay token ${synopsis} [--data <file>]`, HELP);
    }
  };
  switch (action) {
    case "create":
      expect(1, "create <name>");
      return withRelayStore(data, (store) => create(store, rest[0] ?? "", io));
    case "ls":
    case "list":
      expect(0, "ls");
      return withRelayStore(data, (store) => list(store, io));
    case "revoke":
      expect(1, "revoke <id|name>");
      return withRelayStore(data, (store) => revoke(store, rest[0] ?? "", io));
    case undefined:
      throw new UsageError("'hooktap relay token' needs an action: create, ls or revoke", HELP);
    default:
      throw new UsageError(`unknown token action '${action}': use create, ls or revoke`, HELP);
  }
}

function parseTokenArgs(args: readonly string[]): { data: string; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { data: { type: "string" } },
      strict: true,
      allowPositionals: true,
    });
    if (values.data === "") throw new UsageError("--data must not be empty", HELP);
    return { data: values.data ?? DEFAULT_RELAY_DATA, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(describeParseError(error, "relay token"), HELP);
  }
}

/**
 * Runs `work` on the relay database at `path` and closes it. With `mustExist`, a missing file
 * is an error instead of a new empty database (a typo in `--data` must not create one).
 */
export async function withRelayStore(
  path: string,
  work: (store: RelayStore) => Promise<void>,
  { mustExist = false }: { mustExist?: boolean } = {},
): Promise<undefined> {
  if (mustExist && !existsSync(path)) {
    throw new Error(
      `no relay database at ${path} (give the file 'hooktap relay' uses with --data)`,
    );
  }
  const store = await openSqliteRelayStore(path);
  try {
    await work(store);
  } finally {
    await store.close();
  }
  return undefined;
}

async function create(store: RelayStore, name: string, io: CliIo): Promise<void> {
  let created: Awaited<ReturnType<RelayStore["createToken"]>>;
  try {
    created = await store.createToken(name);
  } catch (error) {
    if (error instanceof StoreError && error.code === "invalid_name") {
      throw new UsageError(`invalid token name '${name}': ${error.message}`, HELP);
    }
    throw error;
  }
  const { token, secret } = created;
  io.stdout(`Created token ${token.name} (${token.id}).`);
  io.stdout("Secret, shown only now (the relay keeps only its hash):");
  io.stdout(`  ${secret}`);
  io.stdout("Connect an agent with it (the agent URL is the one 'hooktap relay' prints):");
  io.stdout(`  hooktap http 3000 --relay ws://localhost:8080/_hooktap/agent --token ${secret}`);
}

async function list(store: RelayStore, io: CliIo): Promise<void> {
  const tokens = await store.listTokens();
  if (tokens.length === 0) {
    io.stdout("No tokens yet. Create one with: hooktap relay token create <name>");
    return;
  }
  const rows = [["ID", "NAME", "CREATED", "LAST USED", "REVOKED"], ...tokens.map(row)];
  for (const line of formatTable(rows)) io.stdout(line);
}

function row(token: AgentToken): string[] {
  return [
    token.id,
    token.name,
    formatInstant(token.createdAt),
    formatInstant(token.lastUsedAt),
    formatInstant(token.revokedAt),
  ];
}

async function revoke(store: RelayStore, idOrName: string, io: CliIo): Promise<void> {
  let token: AgentToken;
  try {
    token = await store.revokeToken(idOrName);
  } catch (error) {
    if (error instanceof StoreError && error.code === "not_found") {
      throw new Error(`no token '${idOrName}' (by id, or by the name of a token not yet revoked)`);
    }
    throw error;
  }
  io.stdout(`Revoked token ${token.name} (${token.id}).`);
  io.stdout(
    `A relay running on this file disconnects its agents within ${DEFAULT_STORE_WATCH_MS / 1000} s and refuses them from now on; its endpoints stay reserved.`,
  );
}
