import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server,
  type Socket,
} from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sendOutbound } from "../../../src/emulator/index.js";
import { createDeferred } from "../../helpers/receiver-deferred.js";
import { HAS_OPENSSL, makeCertificate } from "../../helpers/relay-tls.js";
import { closedPort, startUpstreamApp, type UpstreamApp } from "../../helpers/upstream-app.js";

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function app(...args: Parameters<typeof startUpstreamApp>): Promise<UpstreamApp> {
  const started = await startUpstreamApp(...args);
  closers.push(() => started.close());
  return started;
}

/** A raw TCP server whose sockets the test drives by hand. */
async function rawServer(onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    onSocket(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

describe("sendOutbound", () => {
  it("sends method, header pairs in order and body; returns status, headers and body", async () => {
    const receiver = await app((_request, res) => {
      res.writeHead(202, { "X-Seen": "yes" }).end("thanks");
    });
    const result = await sendOutbound({
      url: `${receiver.url}/hooks/okta?x=1`,
      headers: [
        ["Accept", "application/json"],
        ["Content-Type", "application/json"],
        ["authorization", "Basic c2VjcmV0"],
      ],
      body: '{"a":1}',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.response.status).toBe(202);
    expect(result.response.body).toBe("thanks");
    expect(result.response.bodyTruncated).toBe(false);
    expect(result.response.headers).toContainEqual(["X-Seen", "yes"]);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const [seen] = receiver.requests;
    expect(seen?.method).toBe("POST");
    expect(seen?.url).toBe("/hooks/okta?x=1");
    expect(seen?.body.toString()).toBe('{"a":1}');
    expect(seen?.rawHeaders.slice(0, 10)).toEqual([
      "Host",
      `127.0.0.1:${receiver.port}`,
      "Accept",
      "application/json",
      "Content-Type",
      "application/json",
      "authorization",
      "Basic c2VjcmV0",
      "Content-Length",
      "7",
    ]);
  });

  it("without a pool, closes the connection after the exchange even when asked for keep-alive", async () => {
    const closed = createDeferred<void>();
    const receiver = await app((request, res) => {
      request.req.socket.once("close", () => closed.resolve());
      res.writeHead(200, { "Keep-Alive": "timeout=60" }).end();
    });
    const result = await sendOutbound({
      url: receiver.url,
      headers: [["Connection", "keep-alive"]],
      body: "{}",
    });
    expect(result.ok).toBe(true);
    await closed.promise;
  });

  it("returns a redirect as a response and does not follow it", async () => {
    const receiver = await app((request, res) => {
      if (request.url === "/moved") res.writeHead(200).end("followed");
      else res.writeHead(302, { Location: "/moved" }).end();
    });
    const result = await sendOutbound({ url: `${receiver.url}/hook`, body: "{}" });
    expect(result.ok && result.response.status).toBe(302);
    expect(receiver.requests.map((r) => r.url)).toEqual(["/hook"]);
  });

  it("times out a receiver that never answers", async () => {
    const arrived = createDeferred<void>();
    const receiver = await app(() => arrived.resolve());
    const result = await sendOutbound({ url: receiver.url, body: "{}", timeoutMs: 150 });
    await arrived.promise;
    expect(result).toMatchObject({ ok: false, failure: { kind: "timeout" } });
    expect(result.ok ? 0 : result.failure.message).toMatch(/within 150 ms/);
    expect(result.durationMs).toBeGreaterThanOrEqual(149);
  });

  it("counts the body in the deadline: a head in time with a body that never ends is a timeout", async () => {
    const receiver = await app((_request, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.write("partial");
    });
    const result = await sendOutbound({ url: receiver.url, body: "{}", timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, failure: { kind: "timeout" } });
  });

  it("times out with Okta's 3 s default a receiver 3.1 s slow", async () => {
    const receiver = await app((_request, res) => {
      setTimeout(() => res.writeHead(200).end(), 3_100).unref();
    });
    const result = await sendOutbound({ url: receiver.url, body: "{}" });
    expect(result).toMatchObject({ ok: false, failure: { kind: "timeout" } });
    // The deadline fired first: the receiver's answer, 100 ms later, was not waited for.
    expect(result.durationMs).toBeGreaterThanOrEqual(2_999);
  });

  it("classifies garbage instead of HTTP as invalid_response", async () => {
    const url = await rawServer((socket) => {
      socket.once("data", () => socket.end("this is not http\r\n\r\n"));
    });
    const result = await sendOutbound({ url, body: "{}", timeoutMs: 2_000 });
    expect(result).toMatchObject({ ok: false, failure: { kind: "invalid_response" } });
    expect(result.ok ? null : result.failure.code).toMatch(/^HPE_/);
  });

  it("classifies a socket closed without an answer as connection_reset", async () => {
    const url = await rawServer((socket) => {
      socket.once("data", () => socket.destroy());
    });
    const result = await sendOutbound({ url, body: "{}", timeoutMs: 2_000 });
    expect(result).toMatchObject({ ok: false, failure: { kind: "connection_reset" } });
  });

  it("classifies a socket closed in the middle of the body as connection_reset", async () => {
    const url = await rawServer((socket) => {
      socket.once("data", () => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly some");
        setImmediate(() => socket.destroy());
      });
    });
    const result = await sendOutbound({ url, body: "{}", timeoutMs: 2_000 });
    expect(result).toMatchObject({ ok: false, failure: { kind: "connection_reset" } });
  });

  it("classifies a closed port as connection_refused", async () => {
    const port = await closedPort();
    const result = await sendOutbound({ url: `http://127.0.0.1:${port}/`, body: "{}" });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: "connection_refused", code: "ECONNREFUSED" },
    });
    expect(result.ok ? "" : result.failure.message).toContain(`127.0.0.1:${port}`);
  });

  it("classifies an unresolvable host as dns", async () => {
    const result = await sendOutbound({ url: "http://hooktap-test.invalid/", body: "{}" });
    expect(result).toMatchObject({ ok: false, failure: { kind: "dns" } });
  });

  it("keeps at most the configured bytes of the response body and counts the rest", async () => {
    const receiver = await app((_request, res) => {
      res.writeHead(500).end("x".repeat(100_000));
    });
    const result = await sendOutbound({ url: receiver.url, body: "{}" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.response.status).toBe(500);
    expect(result.response.body.length).toBe(65_536);
    expect(result.response.bodyBytes).toBe(100_000);
    expect(result.response.bodyTruncated).toBe(true);
  });

  it("stops on abort with an aborted failure", async () => {
    const arrived = createDeferred<void>();
    const receiver = await app(() => arrived.resolve());
    const controller = new AbortController();
    const pending = sendOutbound({ url: receiver.url, body: "{}", signal: controller.signal });
    await arrived.promise;
    controller.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, failure: { kind: "aborted" } });
  });

  it("refuses bad input without sending anything", async () => {
    const receiver = await app();
    await expect(sendOutbound({ url: "not a url" })).resolves.toMatchObject({
      ok: false,
      failure: { kind: "invalid_request" },
    });
    await expect(sendOutbound({ url: "ftp://127.0.0.1/" })).resolves.toMatchObject({
      ok: false,
      failure: { kind: "invalid_request" },
    });
    await expect(
      sendOutbound({ url: receiver.url, headers: [["X-Bad", "line\r\nbreak"]], body: "{}" }),
    ).resolves.toMatchObject({ ok: false, failure: { kind: "invalid_request" } });
    expect(receiver.requests).toHaveLength(0);
  });

  describe.skipIf(!HAS_OPENSSL)("https", () => {
    async function httpsReceiver(): Promise<{ url: string; ca: string }> {
      const dir = mkdtempSync(join(tmpdir(), "hooktap-outbound-"));
      closers.push(() => rmSync(dir, { recursive: true, force: true }));
      const { cert, key } = makeCertificate(dir);
      const server = createHttpsServer(
        { cert: readFileSync(cert), key: readFileSync(key) },
        (_req, res) => res.writeHead(204).end(),
      );
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      closers.push(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
      const { port } = server.address() as AddressInfo;
      return { url: `https://localhost:${port}/hook`, ca: readFileSync(cert, "utf8") };
    }

    it("fails with tls on an untrusted certificate and succeeds when its CA is given", async () => {
      const { url, ca } = await httpsReceiver();
      await expect(sendOutbound({ url, body: "{}" })).resolves.toMatchObject({
        ok: false,
        failure: { kind: "tls" },
      });
      await expect(sendOutbound({ url, body: "{}", tls: { ca } })).resolves.toMatchObject({
        ok: true,
        response: { status: 204 },
      });
    });
  });
});
