/**
 * The trivial upstream app of bench/tunnel.mjs, in its own process: reads the body, answers
 * 200 `ok`. Prints `listening <port>` once ready.
 */
import { createServer } from "node:http";

const server = createServer((req, res) => {
  let bytes = 0;
  req.on("data", (chunk) => {
    bytes += chunk.length;
  });
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/plain", "x-body-bytes": String(bytes) });
    res.end("ok");
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
