/**
 * The forwarding path relies on a Node behaviour: `http.request` given `headers` as a flat
 * array sends it as it is (name case, order, repeats), and a server's `rawHeaders` reports it
 * as it came. Checked here on its own, so that a Node upgrade that breaks it fails this test by
 * name, not the agent's tests by symptom.
 */
import { once } from "node:events";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

it("http.request sends a flat header array with its case, order and repeats", async () => {
  const server = createServer((req, res) => res.end(JSON.stringify(req.rawHeaders)));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const sent = [
    "hOsT",
    "relay.example",
    "X-Dup",
    "1",
    "x-dup",
    "2",
    "X-DUP",
    "3",
    "Authorization",
    "Bearer a",
    "content-length",
    "2",
  ];
  const req = request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/",
    headers: sent,
    setHost: false,
    agent: false,
  });
  req.end("{}");
  const [res] = (await once(req, "response")) as [NodeJS.ReadableStream];
  let text = "";
  for await (const chunk of res) text += String(chunk);
  const received = JSON.parse(text) as string[];
  // Node adds its own Connection header after the user's; everything before it is ours.
  expect(received.slice(0, sent.length)).toEqual(sent);
  expect(received.slice(sent.length)).toEqual(["Connection", "close"]);
});
