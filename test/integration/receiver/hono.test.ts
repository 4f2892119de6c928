import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createHonoHandler } from "../../../src/receiver/index.js";
import { runReceiverContract } from "./receiver.case.js";

runReceiverContract("hono 4 (@hono/node-server)", async (receiver) => {
  const app = new Hono();
  app.all("/okta/events", createHonoHandler(receiver));
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      resolve({ server: started as Server, port: info.port }),
    );
  });
  return {
    url: `http://127.0.0.1:${port}/okta/events`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
});
