/**
 * The reference point of bench/tunnel.mjs: the smallest node:http reverse proxy (keep-alive
 * to the upstream, bodies piped, no capture, no WebSocket), in its own process. A tunnel is
 * at least two such hops (the relay's HTTP server, the agent's HTTP client) plus the
 * WebSocket between them, so this proxy's throughput bounds what any Node tunnel can reach
 * on the same machine. Prints `listening <port>` once ready.
 *
 *   node bench/tunnel-proxy.mjs <upstream port>
 */
import http from "node:http";

const upstreamPort = Number(process.argv[2]);
const agent = new http.Agent({ keepAlive: true });
const server = http.createServer((req, res) => {
  const upstream = http.request(
    {
      host: "127.0.0.1",
      port: upstreamPort,
      method: req.method,
      path: req.url,
      headers: req.rawHeaders,
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => res.destroy());
  req.pipe(upstream);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.on("SIGINT", () => process.emit("SIGTERM"));
