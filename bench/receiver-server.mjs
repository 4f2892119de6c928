/**
 * One server of the receiver benchmark, run as its own process by bench/receiver.mjs:
 *   node bench/receiver-server.mjs receiver   # hooktap's node:http adapter (auth, parse, dedupe, dispatch)
 *   node bench/receiver-server.mjs bare       # reads the body, answers 200: the ceiling
 * Prints `listening <port>` once ready; on SIGTERM prints `handled <events>` and exits.
 */
import { createServer } from "node:http";
import { createNodeHandler, createReceiver } from "../dist/receiver/index.js";
import { GUIDE_BASIC_AUTH } from "../dist/sample/index.js";

const mode = process.argv[2];

function bareHandler(req, res) {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    Buffer.concat(chunks);
    events += 1;
    res.writeHead(200, { "content-length": "0" });
    res.end();
  });
}

let events = 0;

function receiverHandler() {
  // Defaults otherwise: in-memory dedupe of 10,000 keys, handlers after the 200.
  const receiver = createReceiver({ auth: { ...GUIDE_BASIC_AUTH } }).on(
    "user.lifecycle.create",
    () => {
      events += 1;
    },
  );
  return createNodeHandler(receiver);
}

const handlers = { bare: () => bareHandler, receiver: receiverHandler };
if (!(mode in handlers)) {
  process.stderr.write(
    `usage: node bench/receiver-server.mjs ${Object.keys(handlers).join("|")}\n`,
  );
  process.exit(2);
}

const server = createServer(handlers[mode]());
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on("SIGTERM", () => {
  process.stdout.write(`handled ${events}\n`);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
