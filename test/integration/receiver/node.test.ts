import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeHandler } from "../../../src/receiver/index.js";
import { runReceiverContract } from "./receiver.case.js";

runReceiverContract("node:http", async (receiver) => {
  const server = createServer(createNodeHandler(receiver));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
});
