/**
 * The relay `hooktap http` embeds when no `--relay` is given: the same relay code on
 * 127.0.0.1, its store and a local agent token under the data directory, so a tunnel works on
 * one machine with one command and keeps its endpoint (and queue) across runs. The agent in
 * the same process reaches it through an in-process link (`relay.connectLocal`), not a loopback socket;
 * agents elsewhere still connect to its WebSocket URL.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log/index.js";
import { openSqliteRelayStore, type Relay, type RelayStore, startRelay } from "../relay/index.js";

/** The name of the token the embedded relay makes for the local agent. */
export const LOCAL_TOKEN_NAME = "local";
/** The endpoint the embedded relay's tunnel uses unless `--name` says otherwise. */
export const LOCAL_ENDPOINT = "local";
const TOKEN_FILE = "agent-token";
const ENDPOINT_FILE = "endpoint";
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A running embedded relay with the secret its agent uses. */
export interface LocalRelay {
  readonly relay: Relay;
  /** The local agent token's secret (kept in `<dataDir>/agent-token`, mode 0600). */
  readonly token: string;
  /** Closes the relay, then its store. */
  close(): Promise<void>;
}

/**
 * Creates the data directory (mode 0700: it holds a token and captured traffic).
 *
 * @example
 * ensureDataDir(".hooktap");
 */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * Opens `<dataDir>/relay.db`, makes sure the local token exists, and starts the relay on
 * 127.0.0.1:`port` (0 for any free port).
 *
 * @example
 * const local = await startLocalRelay({ dataDir: ".hooktap", port: 8080, logger });
 * startAgent({ connect: local.relay.connectLocal, token: local.token, … });
 */
export async function startLocalRelay(options: {
  dataDir: string;
  port: number;
  logger: Logger;
}): Promise<LocalRelay> {
  const store = await openSqliteRelayStore(join(options.dataDir, "relay.db"), {
    logger: options.logger,
  });
  try {
    const token = await localAgentToken(store, join(options.dataDir, TOKEN_FILE));
    const relay = await startRelay({
      store,
      port: options.port,
      host: "127.0.0.1",
      logger: options.logger,
    }).catch((error: unknown) => {
      throw listenError(error, `127.0.0.1:${options.port}`, "the embedded relay", "--listen-port");
    });
    return {
      relay,
      token,
      close: async () => {
        try {
          await relay.close();
        } finally {
          await store.close();
        }
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The secret of the local agent token: the one saved in `file` while the store still accepts
 * it, else a new token (the old `local` token revoked and its endpoints released first, so the
 * new one can claim `local` again), saved with mode 0600.
 *
 * @example
 * const secret = await localAgentToken(store, ".hooktap/agent-token");
 */
export async function localAgentToken(store: RelayStore, file: string): Promise<string> {
  const saved = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (saved !== "" && (await store.authenticate(saved)) !== null) return saved;
  for (const token of await store.listTokens()) {
    if (token.name !== LOCAL_TOKEN_NAME || token.revokedAt !== null) continue;
    for (const endpoint of await store.listEndpoints(token.id)) {
      await store.releaseEndpoint(endpoint.name, token.id);
    }
    await store.revokeToken(token.id);
  }
  const { secret } = await store.createToken(LOCAL_TOKEN_NAME);
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an older file keeps its own.
  chmodSync(file, 0o600);
  return secret;
}

/**
 * The endpoint name to claim when `--name` is absent: `local` on the embedded relay; on a
 * remote relay, a random name made once and kept in `<dataDir>/endpoint`, so the public URL
 * (the one pasted into Okta) survives restarts without leaking a user or host name.
 *
 * @example
 * rememberedEndpoint(".hooktap", false); // "hooktap-k3v9q2xa"
 */
export function rememberedEndpoint(dataDir: string, embedded: boolean): string {
  if (embedded) return LOCAL_ENDPOINT;
  const file = join(dataDir, ENDPOINT_FILE);
  const saved = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (DNS_LABEL.test(saved)) return saved;
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const suffix = [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join("");
  const name = `hooktap-${suffix}`;
  writeFileSync(file, `${name}\n`);
  return name;
}

/**
 * A listen failure in words that name the flag to change.
 *
 * @example
 * throw listenError(error, "127.0.0.1:4040", "the inspector", "--inspect-addr");
 */
export function listenError(error: unknown, where: string, what: string, flag: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE") {
    return new Error(
      `cannot listen on ${where} for ${what}: the port is already in use (EADDRINUSE); pick another with ${flag} (port 0 for any free one)`,
    );
  }
  if (code === "EACCES") {
    return new Error(
      `cannot listen on ${where} for ${what}: permission denied (EACCES); use a port above 1023 with ${flag}`,
    );
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new Error(
      `cannot listen on ${where} for ${what}: no such address on this machine (${code}); check ${flag}`,
    );
  }
  return error;
}
