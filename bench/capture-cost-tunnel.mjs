/**
 * One tunnel in its own process for bench/capture-cost.mjs: the embedded relay and an agent on
 * an in-process link to it (as `hooktap http` composes them), forwarding to the upstream on
 * argv[2], with capture under argv[3] as `hooktap http` wires it (argv[4] `on`: the store and
 * its worker-thread writer, and the inspector's live-stream log listening to the store, as the
 * inspector always does), on the main thread only (`main`), or off (`off`). Prints
 * `listening <public url>` once the agent is online.
 */
import { join } from "node:path";
import { startAgent } from "../dist/agent/index.js";
import { openSqliteCaptureStore } from "../dist/capture/index.js";
import { openCapture } from "../dist/cli/capture-files.js";
import { startLocalRelay } from "../dist/cli/http-local-relay.js";
import { createEventLog } from "../dist/inspector/live-stream.js";
import { silentLogger } from "../dist/log/index.js";

const [upstreamPort, dataDir, mode = "on"] = process.argv.slice(2);
const capture =
  mode === "on"
    ? openCapture(dataDir, {}, silentLogger)
    : mode === "main"
      ? { store: openSqliteCaptureStore(join(dataDir, "capture.db")), writer: null }
      : null;
// The inspector of `hooktap http` numbers every change of the store for its live stream.
if (capture !== null) createEventLog(capture.store);
const local = await startLocalRelay({ dataDir, port: 0, logger: silentLogger });
const agent = startAgent({
  connect: local.relay.connectLocal,
  token: local.token,
  endpoint: "bench",
  upstream: `http://127.0.0.1:${upstreamPort}`,
  capture: capture?.writer ?? capture?.store ?? null,
});
await agent.ready();
process.stdout.write(`listening ${agent.publicUrls[0]}\n`);
process.on("SIGTERM", async () => {
  await agent.close();
  await local.close();
  if (capture?.writer) await capture.close();
  else capture?.store.close();
  process.exit(0);
});
