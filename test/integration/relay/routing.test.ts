/**
 * What the relay answers itself before any endpoint is involved: Host checks, unknown
 * endpoints, targets that are not paths. Always JSON with `hooktap-error-code`, never an echo
 * of the hostile input in a header.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeFakeAgents, connectFakeAgent, recordingApp } from "../../helpers/relay-fake-agent.js";
import { closeTestRelays, rawExchange, startTestRelay } from "../../helpers/relay-harness.js";

afterEach(async () => {
  await closeFakeAgents();
  await closeTestRelays();
});

interface RawAnswer {
  status: number;
  headers: [string, string][];
  json: { error: string; message: string };
}

async function raw(port: number, head: string): Promise<RawAnswer> {
  const bytes = (await rawExchange(port, head)).toString("latin1");
  const end = bytes.indexOf("\r\n\r\n");
  const lines = bytes.slice(0, end).split("\r\n");
  const headers = lines.slice(1).map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return {
    status: Number(lines[0]?.split(" ")[1]),
    headers,
    json: JSON.parse(bytes.slice(end + 4)) as RawAnswer["json"],
  };
}

function expectError(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers).toContainEqual(["hooktap-error-code", code]);
  expect(answer.headers).toContainEqual(["Content-Type", "application/json; charset=utf-8"]);
  expect(answer.json.error).toBe(code);
}

describe("relay: routing errors", () => {
  it("answers 400 bad_host to a missing, repeated or malformed Host", async () => {
    const { relay } = await startTestRelay();
    const request = (hostLines: string) =>
      raw(relay.port, `GET /okta-dev/x HTTP/1.1\r\n${hostLines}Connection: close\r\n\r\n`);
    expectError(await request(""), 400, "bad_host");
    expectError(await request("Host: a.example\r\nHost: b.example\r\n"), 400, "bad_host");
    for (const bad of [
      "bad_host.example",
      "a..b",
      "x.example:99999",
      "x.example:port",
      "-a.example",
    ]) {
      expectError(await request(`Host: ${bad}\r\n`), 400, "bad_host");
    }
    expectError(await raw(relay.port, "GET /okta-dev/x HTTP/1.0\r\n\r\n"), 400, "bad_host");
  });

  it("with a domain, answers 400 to a Host that is neither the domain nor one of its subdomains", async () => {
    const test = await startTestRelay({ domain: "relay.test" });
    const app = recordingApp();
    const agent = await connectFakeAgent({
      url: `ws://127.0.0.1:${test.relay.port}/_hooktap/agent`,
      token: test.secret,
      endpoint: "okta-dev",
      onRequest: app.handler,
    });
    await agent.welcome;
    const request = (host: string, path = "/x") =>
      raw(test.relay.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expectError(await request("evil.example"), 400, "bad_host");
    expectError(await request("relay.test.evil.example"), 400, "bad_host");
    expectError(await request("a.okta-dev.relay.test"), 400, "bad_host");
    expectError(await request("127.0.0.1"), 400, "bad_host");
    expectError(await request("nobody.relay.test"), 404, "unknown_endpoint");
    expect(
      (
        await rawExchange(
          test.relay.port,
          "GET /x HTTP/1.1\r\nHost: okta-dev.relay.test.\r\nConnection: close\r\n\r\n",
        )
      ).toString(),
    ).toMatch(/^HTTP\/1\.1 200 /);
    expect(app.requests.map((r) => r.head.target)).toEqual(["/x"]);
  });

  it("answers 404 unknown_endpoint to the root, to unreserved names and to names that cannot exist, without echoing them", async () => {
    const { relay } = await startTestRelay();
    const get = (path: string) =>
      raw(relay.port, `GET ${path} HTTP/1.1\r\nHost: relay.example\r\nConnection: close\r\n\r\n`);
    expectError(await get("/"), 404, "unknown_endpoint");
    const unreserved = await get("/okta-dev/x");
    expectError(unreserved, 404, "unknown_endpoint");
    expect(unreserved.json.message).toBe("no endpoint okta-dev on this relay");
    const hostile = await get("/%0d%0aSet-Cookie:%20x=1/x");
    expectError(hostile, 404, "unknown_endpoint");
    expect(JSON.stringify(hostile)).not.toMatch(/Set-Cookie|%0d/i);
    expectError(await get("/_hooktap/other"), 404, "unknown_endpoint");
    expectError(await get("/Okta-Dev/x"), 404, "unknown_endpoint");
  });

  it("answers 400 bad_request to a target that is not a path", async () => {
    const { relay } = await startTestRelay();
    const answer = await raw(
      relay.port,
      "GET http://relay.example/okta-dev/x HTTP/1.1\r\nHost: relay.example\r\nConnection: close\r\n\r\n",
    );
    expectError(answer, 400, "bad_request");
  });

  it("answers 400 bad_request in its JSON shape to a request Node cannot parse", async () => {
    const { relay } = await startTestRelay();
    const text = (await rawExchange(relay.port, "NOT-HTTP\r\n\r\n")).toString("latin1");
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain("hooktap-error-code: bad_request");
  });
});
