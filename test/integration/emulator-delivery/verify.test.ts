import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { verifyEventHook } from "../../../src/emulator/index.js";
import { createMemoryLogger } from "../../../src/log/index.js";
import {
  closedPort,
  type RecordedRequest,
  startUpstreamApp,
  type UpstreamApp,
} from "../../helpers/upstream-app.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function endpoint(
  handler: (request: RecordedRequest, res: ServerResponse) => void,
): Promise<UpstreamApp> {
  const app = await startUpstreamApp(handler);
  closers.push(() => app.close());
  return app;
}

function challengeOf(request: RecordedRequest): string {
  const at = request.rawHeaders.findIndex(
    (h) => h.toLowerCase() === "x-okta-verification-challenge",
  );
  return request.rawHeaders[at + 1] ?? "";
}

const answerChallenge = (request: RecordedRequest, res: ServerResponse): void => {
  res
    .writeHead(200, { "Content-Type": "application/json; charset=utf-8" })
    .end(JSON.stringify({ verification: challengeOf(request) }));
};

describe("verifyEventHook", () => {
  it("sends a GET with the challenge, the auth header, the custom headers and Okta's User-Agent", async () => {
    const app = await endpoint(answerChallenge);
    const logger = createMemoryLogger();
    const result = await verifyEventHook(
      {
        uri: `${app.url}/hooks/okta`,
        authScheme: { type: "HEADER", key: "Authorization", value: "Basic YWRtaW46c2VjcmV0" },
        headers: [{ key: "X-Other-Header", value: "my-header-value" }],
      },
      { hookId: "who8vt36qfNpCGz9H1e6", logger },
    );
    expect(result.verified).toBe(true);
    expect(result.cause).toBeUndefined();
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({
      attempt: 1,
      status: 200,
      verified: true,
      cause: null,
    });
    const [request] = app.requests;
    expect(request?.method).toBe("GET");
    expect(request?.url).toBe("/hooks/okta");
    expect(request?.body.byteLength).toBe(0);
    expect(challengeOf(request as RecordedRequest)).toBe(result.challenge);
    expect(result.challenge).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(request?.rawHeaders.slice(0, 12)).toEqual([
      "Host",
      `127.0.0.1:${app.port}`,
      "Accept",
      "application/json",
      "x-okta-verification-challenge",
      result.challenge,
      "Authorization",
      "Basic YWRtaW46c2VjcmV0",
      "X-Other-Header",
      "my-header-value",
      "User-Agent",
      "Okta Hook Service v1.0.0 - who8vt36qfNpCGz9H1e6",
    ]);
    expect(logger.records.map((r) => r.message)).toEqual(["event hook endpoint verified"]);
  });

  it("uses a given challenge and a fresh one otherwise", async () => {
    const app = await endpoint(answerChallenge);
    const given = await verifyEventHook({ uri: app.url }, { challenge: "abc" });
    expect(given).toMatchObject({ verified: true, challenge: "abc" });
    const a = await verifyEventHook({ uri: app.url });
    const b = await verifyEventHook({ uri: app.url });
    expect(a.challenge).not.toBe(b.challenge);
  });

  it("fails on a wrong value without retrying, saying what came back", async () => {
    const app = await endpoint((_request, res) => {
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"verification":"nope"}');
    });
    const result = await verifyEventHook({ uri: app.url }, { challenge: "expected-one" });
    expect(result.verified).toBe(false);
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]?.failure).toBe("wrong_value");
    expect(result.cause).toBe('"verification" is "nope", expected the challenge "expected-one"');
  });

  it("fails on JSON without the field, on a non-object and on a body that is not JSON", async () => {
    const bodies = ['{"challenge":"x"}', '"x"', "<html>ok</html>"];
    const app = await endpoint((_request, res) => res.writeHead(200).end(bodies.shift()));
    const missing = await verifyEventHook({ uri: app.url });
    expect(missing.cause).toBe('the JSON response has no "verification" field: {"challenge":"x"}');
    const scalar = await verifyEventHook({ uri: app.url });
    expect(scalar.attempts[0]?.failure).toBe("body_not_json");
    expect(scalar.cause).toBe('the response body is not a JSON object: "x"');
    const html = await verifyEventHook({ uri: app.url });
    expect(html.attempts[0]?.failure).toBe("body_not_json");
    expect(html.cause).toBe("the response body is not JSON: <html>ok</html>");
    expect(app.requests).toHaveLength(3);
  });

  it("does not retry a 4xx and names the status", async () => {
    const app = await endpoint((_request, res) => res.writeHead(401).end());
    const result = await verifyEventHook({ uri: app.url });
    expect(result.attempts).toHaveLength(1);
    expect(result.cause).toBe(
      'the endpoint answered 401, expected 200 with {"verification": "<challenge>"}',
    );
  });

  it("retries a 5xx once with the same challenge and succeeds on the second answer", async () => {
    let calls = 0;
    const app = await endpoint((request, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(503).end("warming up");
      else answerChallenge(request, res);
    });
    const result = await verifyEventHook({ uri: app.url });
    expect(result.verified).toBe(true);
    expect(result.attempts.map((a) => [a.attempt, a.status, a.verified])).toEqual([
      [1, 503, false],
      [2, 200, true],
    ]);
    expect(result.attempts[0]?.responseBody).toBe("warming up");
    expect(app.requests.map(challengeOf)).toEqual([result.challenge, result.challenge]);
  });

  it("retries a timeout once, then fails with a cause naming the timeout", async () => {
    const app = await endpoint(() => {});
    const result = await verifyEventHook({ uri: app.url }, { timeoutMs: 100 });
    expect(result.verified).toBe(false);
    expect(result.attempts.map((a) => a.failure)).toEqual(["timeout", "timeout"]);
    expect(result.attempts.every((a) => a.status === null && a.responseBody === null)).toBe(true);
    expect(result.cause).toBe(`127.0.0.1:${app.port} sent no complete response within 100 ms`);
    expect(app.requests).toHaveLength(2);
  });

  it("retries a refused connection once", async () => {
    const port = await closedPort();
    const result = await verifyEventHook({ uri: `http://127.0.0.1:${port}/` });
    expect(result.attempts.map((a) => a.failure)).toEqual([
      "connection_refused",
      "connection_refused",
    ]);
    expect(result.cause).toBe(`connection refused by 127.0.0.1:${port}`);
  });

  it("fails on a socket closed without an answer, and on garbage", async () => {
    const sockets = new Set<Socket>();
    let mode: "close" | "garbage" = "close";
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.once("data", () => {
        if (mode === "close") socket.destroy();
        else socket.end("garbage\r\n\r\n");
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    closers.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const closed = await verifyEventHook({ uri });
    expect(closed.attempts.map((a) => a.failure)).toEqual(["connection_reset", "connection_reset"]);
    mode = "garbage";
    const garbage = await verifyEventHook({ uri });
    expect(garbage.attempts[0]?.failure).toBe("invalid_response");
    expect(garbage.verified).toBe(false);
  });

  it("does not follow a redirect", async () => {
    const app = await endpoint((request, res) => {
      if (request.url === "/elsewhere") answerChallenge(request, res);
      else res.writeHead(301, { Location: "/elsewhere" }).end();
    });
    const result = await verifyEventHook({ uri: `${app.url}/hook` });
    expect(result.verified).toBe(false);
    expect(result.attempts).toHaveLength(1);
    expect(result.cause).toContain("answered 301");
    expect(app.requests.map((r) => r.url)).toEqual(["/hook"]);
  });

  it("makes only the requests asked for with retries: 0", async () => {
    const app = await endpoint((_request, res) => res.writeHead(500).end());
    const result = await verifyEventHook({ uri: app.url }, { retries: 0 });
    expect(result.attempts).toHaveLength(1);
    expect(app.requests).toHaveLength(1);
  });

  it("gives a clear cause for a URI that cannot be called, without retrying", async () => {
    const result = await verifyEventHook({ uri: "mailto:ops@example.com" });
    expect(result.verified).toBe(false);
    expect(result.attempts).toHaveLength(1);
    expect(result.cause).toBe(
      'only http: and https: URLs can be called, got "mailto:ops@example.com"',
    );
  });
});
