/**
 * The event hook endpoint of bench/emulator.mjs's action-to-delivery run, as its own process:
 * answers Okta's verification GET, acknowledges deliveries with 200 and notes when each
 * event's target login arrived (epoch ms, sub-millisecond). Prints `listening <port>` once
 * ready; on SIGTERM prints one JSON line `{ login: arrivedAtMs }` and exits.
 */
import { createServer } from "node:http";

const arrivals = {};
const now = () => performance.timeOrigin + performance.now();

const server = createServer((req, res) => {
  const challenge = req.headers["x-okta-verification-challenge"];
  if (req.method === "GET" && typeof challenge === "string") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ verification: challenge }));
    return;
  }
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const at = now();
    res.writeHead(200, { "content-length": "0" }).end();
    for (const event of JSON.parse(Buffer.concat(chunks).toString()).data.events) {
      const login = event.target?.find((t) => t.type === "User")?.alternateId;
      if (login !== undefined && arrivals[login] === undefined) arrivals[login] = at;
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on("SIGTERM", () => {
  process.stdout.write(`${JSON.stringify(arrivals)}\n`);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
