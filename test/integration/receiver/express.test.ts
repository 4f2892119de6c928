import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../../src/log/index.js";
import { createExpressMiddleware, createReceiver } from "../../../src/receiver/index.js";
import { syntheticDelivery } from "../../helpers/receiver-fixtures.js";
import { runReceiverContract } from "./receiver.case.js";

async function listen(app: express.Express): Promise<{ server: Server; port: number }> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, "127.0.0.1", () => resolve(started));
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
}

runReceiverContract("express 5", async (receiver) => {
  const app = express();
  app.all("/okta/events", createExpressMiddleware(receiver));
  // The rest of the app parses JSON; the receiver, mounted first, reads its own raw body.
  app.use(express.json());
  const { server, port } = await listen(app);
  return { url: `http://127.0.0.1:${port}/okta/events`, close: closer(server) };
});

describe("createExpressMiddleware after a body parser", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function startBehind(parser: express.RequestHandler) {
    const logger = createMemoryLogger();
    const receiver = createReceiver({ logger });
    const bodies: string[] = [];
    receiver.onAny((_event, context) => {
      bodies.push(Buffer.from(context.request.body).toString("utf8"));
    });
    const app = express();
    app.use(parser);
    app.all("/okta/events", createExpressMiddleware(receiver));
    const { server, port } = await listen(app);
    close = closer(server);
    return { receiver, logger, bodies, url: `http://127.0.0.1:${port}/okta/events` };
  }

  const post = (url: string, body: string) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("uses the Buffer left by express.raw(): the exact bytes", async () => {
    const { receiver, bodies, url } = await startBehind(express.raw({ type: "*/*" }));
    const { body } = syntheticDelivery(["user.lifecycle.create"]);
    expect((await post(url, body)).status).toBe(200);
    await receiver.idle();
    expect(bodies).toEqual([body]);
  });

  it("uses the string left by express.text(): the exact text", async () => {
    const { receiver, bodies, url } = await startBehind(express.text({ type: "*/*" }));
    const { body } = syntheticDelivery(["user.lifecycle.create"]);
    expect((await post(url, body)).status).toBe(200);
    await receiver.idle();
    expect(bodies).toEqual([body]);
  });

  it("re-serializes the object left by express.json() and logs a debug line", async () => {
    const { receiver, logger, bodies, url } = await startBehind(express.json());
    const { body } = syntheticDelivery(["user.lifecycle.create"]);
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    expect((await post(url, pretty)).status).toBe(200);
    await receiver.idle();
    expect(bodies).toEqual([body]);
    expect(logger.records).toContainEqual(
      expect.objectContaining({
        level: "debug",
        message: "request body was already parsed by another middleware; re-serializing it",
      }),
    );
  });

  it("still answers the verification GET behind express.json()", async () => {
    const { url } = await startBehind(express.json());
    const response = await fetch(url, { headers: { "x-okta-verification-challenge": "c" } });
    expect(await response.text()).toBe('{"verification":"c"}');
  });
});
