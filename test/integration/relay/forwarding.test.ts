/**
 * Live forwarding through a real relay on 127.0.0.1:0 to a fake agent: routing by path and
 * subdomain, byte-exact requests and responses, and what the public client gets when the
 * agent fails, vanishes, or has too many requests in flight.
 */
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { StreamResetError } from "../../../src/protocol/index.js";
import { createDeferred } from "../../helpers/receiver-deferred.js";
import {
  closeFakeAgents,
  connectFakeAgent,
  readRequestBody,
  recordingApp,
} from "../../helpers/relay-fake-agent.js";
import {
  closeTestRelays,
  rawExchange,
  send,
  startTestRelay,
  type TestRelay,
} from "../../helpers/relay-harness.js";

afterEach(async () => {
  await closeFakeAgents();
  await closeTestRelays();
});

async function online(
  endpoint = "okta-dev",
  onRequest?: Parameters<typeof connectFakeAgent>[0]["onRequest"],
  relayOptions: Parameters<typeof startTestRelay>[0] = {},
) {
  const test = await startTestRelay(relayOptions);
  const agent = await connectFakeAgent({
    // With a domain the advertised URL names it; the test reaches the relay by loopback.
    url: `ws://127.0.0.1:${test.relay.port}/_hooktap/agent`,
    token: test.secret,
    endpoint,
    ...(onRequest === undefined ? {} : { onRequest }),
  });
  const welcome = await agent.welcome;
  return { ...test, agent, welcome };
}

function headOf(raw: Buffer): { statusLine: string; headerLines: string[]; body: Buffer } {
  const end = raw.indexOf("\r\n\r\n");
  const lines = raw.subarray(0, end).toString("latin1").split("\r\n");
  return { statusLine: lines[0] ?? "", headerLines: lines.slice(1), body: raw.subarray(end + 4) };
}

describe("relay: live forwarding", () => {
  it("forwards method, target, header pairs and body byte-exact, and returns the app's response as sent", async () => {
    const app = recordingApp(() => ({
      status: 201,
      rawHeaders: [
        ["X-Custom", "A"],
        ["set-cookie", "a=1"],
        ["Set-Cookie", "b=2"],
        ["content-TYPE", "text/plain"],
        ["Content-Length", "5"],
      ],
      body: "hello",
    }));
    const { relay, agent } = await online("okta-dev", app.handler);
    const body = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22, 0x7d]);
    const port = relay.port;
    const raw = Buffer.concat([
      Buffer.from(
        `POST /okta-dev/userCreated?b=2&a=1&x=%20 HTTP/1.1\r\n` +
          `Host: 127.0.0.1:${port}\r\nX-MiXed-Case: v1\r\nx-dup: 1\r\nX-Dup: 2\r\n` +
          `Authorization: Basic YWRtaW46c3VwZXJzZWNyZXQ=\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.byteLength}\r\nConnection: close\r\n\r\n`,
        "latin1",
      ),
      body,
    ]);
    const response = headOf(await rawExchange(port, raw));
    const [received] = await app.count(1);
    expect(received?.head).toMatchObject({
      method: "POST",
      target: "/userCreated?b=2&a=1&x=%20",
      httpVersion: "1.1",
      origin: "live",
      scheme: "http",
      remoteAddress: "127.0.0.1",
    });
    expect(received?.head.rawHeaders).toEqual([
      ["Host", `127.0.0.1:${port}`],
      ["X-MiXed-Case", "v1"],
      ["x-dup", "1"],
      ["X-Dup", "2"],
      ["Authorization", "Basic YWRtaW46c3VwZXJzZWNyZXQ="],
      ["Content-Type", "application/json"],
      ["Content-Length", String(body.byteLength)],
      ["Connection", "close"],
    ]);
    expect(received?.body.equals(body)).toBe(true);
    expect(response.statusLine).toBe("HTTP/1.1 201 Created");
    expect(response.headerLines.slice(0, 5)).toEqual([
      "X-Custom: A",
      "set-cookie: a=1",
      "Set-Cookie: b=2",
      "content-TYPE: text/plain",
      "Content-Length: 5",
    ]);
    expect(response.headerLines.some((line) => /^date:/i.test(line))).toBe(false);
    expect(response.body.toString()).toBe("hello");
    expect(agent.edges).toEqual([]);
  });

  it("strips the endpoint prefix: /<name> becomes /, and the query is kept", async () => {
    const app = recordingApp();
    const { relay } = await online("okta-dev", app.handler);
    for (const path of ["/okta-dev", "/okta-dev/", "/okta-dev?x=1&y", "/okta-dev/a/b/?q=%2F"]) {
      expect((await send(`${relay.url}${path}`)).status).toBe(200);
    }
    const targets = (await app.count(4)).map((r) => r.head.target);
    expect(targets).toEqual(["/", "/", "/?x=1&y", "/a/b/?q=%2F"]);
  });

  it("routes <name>.<domain> by subdomain with the target untouched, and <domain> by path", async () => {
    const app = recordingApp();
    const { relay, welcome } = await online("okta-dev", app.handler, { domain: "relay.test" });
    expect(welcome.urls).toEqual([
      `http://relay.test:${relay.port}/okta-dev`,
      `http://okta-dev.relay.test:${relay.port}`,
    ]);
    const viaSub = await send(`http://127.0.0.1:${relay.port}/okta-dev/hook?x=1`, {
      headers: [["Host", `OKTA-DEV.Relay.Test:${relay.port}`]],
    });
    const viaPath = await send(`http://127.0.0.1:${relay.port}/okta-dev/hook?x=1`, {
      headers: [["Host", "relay.test"]],
    });
    expect([viaSub.status, viaPath.status]).toEqual([200, 200]);
    expect((await app.count(2)).map((r) => r.head.target)).toEqual([
      "/okta-dev/hook?x=1",
      "/hook?x=1",
    ]);
  });

  it("streams a 5 MB binary body both ways unchanged", async () => {
    const { relay } = await online("big", async (stream) => {
      const out = stream.respond(200, [["Content-Type", "application/octet-stream"]]);
      stream.body.pipe(out);
    });
    const body = randomBytes(5 * 1024 * 1024);
    const res = await send(`${relay.url}/big/upload`, { method: "PUT", body });
    expect(res.status).toBe(200);
    const digest = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(digest(res.body)).toBe(digest(body));
    // No length from the app: Node chunks the public response itself.
    expect(res.headers["transfer-encoding"]).toBe("chunked");
  });

  it("honours the app's own Transfer-Encoding: chunked", async () => {
    const { relay } = await online("chunky", (stream) => {
      stream.body.resume();
      const out = stream.respond(200, [
        ["Transfer-Encoding", "chunked"],
        ["Content-Type", "text/plain"],
      ]);
      out.write("part one, ");
      out.end("part two");
    });
    const res = await send(`${relay.url}/chunky`);
    expect(res.body.toString()).toBe("part one, part two");
    expect(res.rawHeaders.filter(([n]) => n.toLowerCase() === "transfer-encoding")).toEqual([
      ["Transfer-Encoding", "chunked"],
    ]);
  });

  it.each([
    ["upstream_unreachable", 502],
    ["upstream_timeout", 504],
    ["upstream_error", 502],
    ["refused", 503],
  ] as const)("answers an agent reset %s with %i and hooktap-error-code", async (code, status) => {
    const { relay } = await online("failing", (stream) => {
      stream.body.resume();
      stream.reset(code, "connect ECONNREFUSED 127.0.0.1:3000");
    });
    const res = await send(`${relay.url}/failing/x`, { method: "POST", body: "{}" });
    expect(res.status).toBe(status);
    const expected = code === "refused" ? "agent_busy" : code;
    expect(res.headers["hooktap-error-code"]).toBe(expected);
    expect(res.json()).toMatchObject({ error: expected });
  });

  it("answers 502 agent_disconnected when the agent vanishes before answering", async () => {
    let agentRef: Awaited<ReturnType<typeof connectFakeAgent>> | undefined;
    const { relay, agent } = await online("gone", () => {
      agentRef?.ws.terminate();
    });
    agentRef = agent;
    const res = await send(`${relay.url}/gone/x`);
    expect(res.status).toBe(502);
    expect(res.headers["hooktap-error-code"]).toBe("agent_disconnected");
  });

  it("cuts the public response when the agent vanishes after the head", async () => {
    let agentRef: Awaited<ReturnType<typeof connectFakeAgent>> | undefined;
    const { relay, agent } = await online("half", (stream) => {
      stream.body.resume();
      const out = stream.respond(200, [["Content-Length", "100"]]);
      out.write("only part of it", () => agentRef?.ws.terminate());
    });
    agentRef = agent;
    await expect(send(`${relay.url}/half/x`)).rejects.toThrow();
  });

  it("resets the stream (aborted) when the public client goes away", async () => {
    const started = createDeferred();
    const aborted = createDeferred<unknown>();
    const { relay } = await online("slow", (stream) => {
      stream.aborted.addEventListener("abort", () => aborted.resolve(stream.aborted.reason));
      started.resolve();
    });
    const req = request(`${relay.url}/slow/x`, { agent: false });
    req.on("error", () => {});
    req.end();
    await started.promise;
    req.destroy();
    const reason = await aborted.promise;
    expect(reason).toBeInstanceOf(StreamResetError);
    expect((reason as StreamResetError).code).toBe("aborted");
  });

  it("resets the stream (aborted) when the public client goes away in the middle of a Content-Length body", async () => {
    const started = createDeferred();
    const aborted = createDeferred<unknown>();
    const { relay } = await online("midbody", (stream) => {
      stream.aborted.addEventListener("abort", () => aborted.resolve(stream.aborted.reason));
      stream.body.once("data", () => started.resolve());
    });
    const req = request(`${relay.url}/midbody/x`, {
      agent: false,
      method: "POST",
      headers: { "Content-Length": "1000" },
    });
    req.on("error", () => {});
    req.write("the first 40 bytes of a 1000-byte body..");
    await started.promise;
    req.destroy();
    const reason = await aborted.promise;
    expect(reason).toBeInstanceOf(StreamResetError);
    expect((reason as StreamResetError).code).toBe("aborted");
    expect((reason as StreamResetError).message).toBe("the public client disconnected");
  });

  it("forwards requests without a body (GET, DELETE) with an empty body that ends", async () => {
    const seen: { bytes: number; ended: boolean }[] = [];
    const { relay } = await online("nobody", async (stream) => {
      let bytes = 0;
      for await (const chunk of stream.body) bytes += (chunk as Uint8Array).byteLength;
      seen.push({ bytes, ended: stream.body.readableEnded });
      stream.respond(204, []).end();
    });
    for (const method of ["GET", "DELETE"]) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(`${relay.url}/nobody/x`, { method }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(204);
    }
    expect(seen).toEqual([
      { bytes: 0, ended: true },
      { bytes: 0, ended: true },
    ]);
  });

  it("answers 503 agent_busy beyond maxConcurrentStreams, and serves again once free", async () => {
    const waiting: (() => void)[] = [];
    const { relay } = await online(
      "busy",
      async (stream) => {
        await readRequestBody(stream);
        if (stream.head.target === "/hold") await new Promise<void>((r) => waiting.push(r));
        stream.respond(200, []).end("ok");
      },
      { maxConcurrentStreams: 1 },
    );
    const held = send(`${relay.url}/busy/hold`);
    while (waiting.length === 0) await new Promise((r) => setImmediate(r));
    const refused = await send(`${relay.url}/busy/other`);
    expect(refused.status).toBe(503);
    expect(refused.headers["hooktap-error-code"]).toBe("agent_busy");
    waiting[0]?.();
    expect((await held).status).toBe(200);
    expect((await send(`${relay.url}/busy/other`)).status).toBe(200);
  });

  it("keeps one agent's traffic away from another endpoint's agent", async () => {
    const test: TestRelay = await startTestRelay();
    const a = recordingApp();
    const b = recordingApp();
    const second = await test.store.createToken("second");
    const agentA = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: test.secret,
      endpoint: "aa",
      onRequest: a.handler,
    });
    const agentB = await connectFakeAgent({
      url: test.relay.agentUrl,
      token: second.secret,
      endpoint: "bb",
      onRequest: b.handler,
    });
    await Promise.all([agentA.welcome, agentB.welcome]);
    await send(`${test.relay.url}/aa/1`);
    await send(`${test.relay.url}/bb/2`);
    await send(`${test.relay.url}/aa/3`);
    expect(a.requests.map((r) => r.head.target)).toEqual(["/1", "/3"]);
    expect(b.requests.map((r) => r.head.target)).toEqual(["/2"]);
  });
});
