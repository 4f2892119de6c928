/**
 * One tunnel in its own process for bench/capture-cost.mjs: the embedded relay and an agent on
 * an in-process link to it (as `hooktap http` composes them), forwarding to the upstream on
 * argv[2], capturing into a SQLite store under argv[3] unless argv[4] is `off`. Prints
 * `listening <public url>` once the agent is online.
 */
import { join } from "node:path";
import { startAgent } from "../dist/agent/index.js";
import { openSqliteCaptureStore } from "../dist/capture/index.js";
import { startLocalRelay } from "../dist/cli/http-local-relay.js";
import { silentLogger } from "../dist/log/index.js";

const [upstreamPort, dataDir, mode] = process.argv.slice(2);
const capture = mode === "off" ? null : openSqliteCaptureStore(join(dataDir, "capture.db"));
const local = await startLocalRelay({ dataDir, port: 0, logger: silentLogger });
const agent = startAgent({
  connect: local.connect,
  token: local.token,
  endpoint: "bench",
  upstream: `http://127.0.0.1:${upstreamPort}`,
  capture,
});
await agent.ready();
process.stdout.write(`listening ${agent.publicUrls[0]}\n`);
process.on("SIGTERM", async () => {
  await agent.close();
  await local.close();
  capture?.close();
  process.exit(0);
});
