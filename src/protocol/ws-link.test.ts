/**
 * A `ws` WebSocket as a LinkSocket, on 127.0.0.1: states, the client's transport taken at the
 * upgrade, text and binary messages, heartbeats, and the close code and reason on both ends.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import type { LinkHandlers, LinkSocket } from "./link.js";
import { until } from "./mux-harness.case.js";
import { linkOverWebSocket } from "./ws-link.js";

const servers: WebSocketServer[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

function recorder(link: LinkSocket): string[] {
  const events: string[] = [];
  const handlers: LinkHandlers = {
    open: () => events.push("open"),
    message: (frame) =>
      events.push(typeof frame === "string" ? `text ${frame}` : `bytes ${frame.byteLength}`),
    heartbeat: () => events.push("heartbeat"),
    error: (error) => events.push(`error ${error.message}`),
    close: (code, reason) => events.push(`close ${code} ${reason}`),
  };
  link.attach(handlers);
  return events;
}

async function pair() {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  servers.push(server);
  await once(server, "listening");
  const accepted = new Promise<LinkSocket>((resolve) => {
    server.once("connection", (ws, req) => resolve(linkOverWebSocket(ws, req.socket)));
  });
  const client = linkOverWebSocket(
    new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`),
  );
  expect([client.state, client.transport]).toEqual(["connecting", undefined]);
  const clientEvents = recorder(client);
  const relay = await accepted;
  const relayEvents = recorder(relay);
  await until(() => clientEvents.includes("open"));
  return { client, relay, clientEvents, relayEvents };
}

describe("a WebSocket as a link", () => {
  it("opens, carries text as strings and binary as bytes, answers pings, closes with the code", async () => {
    const { client, relay, clientEvents, relayEvents } = await pair();
    expect([client.state, relay.state]).toEqual(["open", "open"]);
    expect(client.transport).toBeDefined();
    expect(relay.transport).toBeDefined();
    client.send("hello", () => {});
    client.send(new Uint8Array(70_000), () => {});
    client.ping();
    await until(() => relayEvents.length === 3 && clientEvents.length === 2);
    expect(relayEvents).toEqual(["text hello", "bytes 70000", "heartbeat"]);
    expect(clientEvents).toEqual(["open", "heartbeat"]);
    relay.close(1008, "bad_token");
    expect(relay.state).toBe("closing");
    await until(() => clientEvents.length === 3 && relayEvents.length === 4);
    expect(clientEvents.at(-1)).toBe("close 1008 bad_token");
    expect(relayEvents.at(-1)).toBe("close 1008 bad_token");
    expect([client.state, relay.state]).toEqual(["closed", "closed"]);
    client.ping(); // not open: nothing, no throw
  });

  it("terminate: the peer sees 1006 and an empty reason", async () => {
    const { client, relayEvents } = await pair();
    client.terminate();
    await until(() => relayEvents.length === 1);
    expect(relayEvents).toEqual(["close 1006 "]);
  });

  it("a refused dial reports the error, then the close", async () => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const link = linkOverWebSocket(new WebSocket(`ws://127.0.0.1:${port}`));
    const events = recorder(link);
    await until(() => events.some((e) => e.startsWith("close")));
    expect(events).toEqual([expect.stringMatching(/^error .*ECONNREFUSED/), "close 1006 "]);
    expect(link.state).toBe("closed");
  });
});
