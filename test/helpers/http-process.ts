/**
 * `hooktap http` as a child process (the built `bin/hooktap.js`): started in front of an app
 * with the embedded relay on port 0, JSON logs, and its `started` event parsed.
 */
import type { StartedInfo } from "../../src/cli/http-output.js";
import { type RunningProcess, spawnNode } from "./process.js";

/** Options of {@link spawnHttp}. */
export interface SpawnHttpOptions {
  /** Flags after the defaults; `--inspect-addr 127.0.0.1:0` unless given. */
  flags?: readonly string[];
  /** How long to wait for the `started` event. @default 15000 */
  timeoutMs?: number;
}

/**
 * Runs `hooktap http <appPort> --listen-port 0 … --data-dir <dataDir> --log json` and waits
 * for its `started` line. The process is stopped by `stopAllProcesses()`.
 *
 * @example
 * const { proc, started } = await spawnHttp(app.port, dir);
 * await fetch(`${started.publicUrls[0]}/hooks/okta`, { method: "POST", body });
 */
export async function spawnHttp(
  appPort: number,
  dataDir: string,
  options: SpawnHttpOptions = {},
): Promise<{ proc: RunningProcess; started: StartedInfo }> {
  const proc = spawnNode([
    "bin/hooktap.js",
    "http",
    String(appPort),
    "--listen-port",
    "0",
    ...(options.flags ?? ["--inspect-addr", "127.0.0.1:0"]),
    "--data-dir",
    dataDir,
    "--log",
    "json",
  ]);
  const [line] = await proc.waitForLine(/^\{.*"event":"started".*\}$/, {
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  return { proc, started: JSON.parse(line ?? "{}") as StartedInfo };
}
