/**
 * `hooktap relay` as real processes for tests (after `npm run build`): a token created through
 * the CLI, and a relay started on 127.0.0.1:0 over a given database file.
 */
import { expect } from "vitest";
import { type RunningProcess, runNode, spawnNode } from "./process.js";

/** The executable the tests run. */
export const BIN = "bin/hooktap.js";

/**
 * Creates a token with `hooktap relay token create` and returns its secret.
 *
 * @example
 * const secret = await createTokenCli(data, "laptop");
 */
export async function createTokenCli(data: string, name: string): Promise<string> {
  const { code, stdout, stderr } = await runNode([
    BIN,
    "relay",
    "token",
    "create",
    name,
    "--data",
    data,
  ]);
  expect(stderr).toEqual([]);
  expect(code).toBe(0);
  const secret = stdout.map((line) => /^ {2}(htk_[0-9A-Za-z]{40})$/.exec(line)?.[1]).find(Boolean);
  if (secret === undefined) throw new Error(`no secret in:\n${stdout.join("\n")}`);
  return secret;
}

/**
 * Starts `hooktap relay --port 0 --host 127.0.0.1 --data <data> …extra` and waits for its banner.
 *
 * @example
 * const { proc, url, agentUrl } = await startRelayProcess(data, ["--queue-ttl", "2s"]);
 */
export async function startRelayProcess(
  data: string,
  extra: string[] = [],
): Promise<{ proc: RunningProcess; url: string; agentUrl: string }> {
  const proc = spawnNode([
    BIN,
    "relay",
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--data",
    data,
    ...extra,
  ]);
  const [, url = ""] = await proc.waitForLine(/^hooktap relay listening on (\S+) /);
  const [, agentUrl = ""] = await proc.waitForLine(/^Agents: +(\S+)$/);
  await proc.waitForLine(/^Press Ctrl-C to stop\.$/);
  return { proc, url, agentUrl };
}
