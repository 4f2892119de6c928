import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createReceiver, fastifyReceiver } from "../../../src/receiver/index.js";
import { syntheticDelivery } from "../../helpers/receiver-fixtures.js";
import { runReceiverContract } from "./receiver.case.js";

runReceiverContract("fastify 5", async (receiver) => {
  const app = Fastify();
  await app.register(fastifyReceiver(receiver), { prefix: "/okta/events" });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url: `${address}/okta/events`, close: () => app.close() };
});

describe("fastifyReceiver encapsulation", () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it("leaves the rest of the app's JSON parsing alone", async () => {
    const receiver = createReceiver();
    app = Fastify();
    app.post("/api/echo", async (request) => ({ got: request.body }));
    await app.register(fastifyReceiver(receiver), { prefix: "/okta/events" });
    const address = await app.listen({ host: "127.0.0.1", port: 0 });

    const echo = await fetch(`${address}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(await echo.json()).toEqual({ got: { a: 1 } });
    const delivery = await fetch(`${address}/okta/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: syntheticDelivery(["user.lifecycle.create"]).body,
    });
    expect(delivery.status).toBe(200);
  });

  it("mounts at the given path without a prefix", async () => {
    const receiver = createReceiver();
    app = Fastify();
    await app.register(fastifyReceiver(receiver, { path: "/hooks/okta" }));
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    const response = await fetch(`${address}/hooks/okta`, {
      headers: { "x-okta-verification-challenge": "c" },
    });
    expect(await response.text()).toBe('{"verification":"c"}');
  });

  it("rejects a path that does not start with /", () => {
    expect(() => fastifyReceiver(createReceiver(), { path: "okta" })).toThrow(TypeError);
  });
});
