import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaptureError } from "../errors.js";
import { body, makeExchange } from "../exchange-samples.case.js";
import type { Exchange, RawHeaders } from "../types.js";
import { toCurl } from "./to-curl.js";

interface Received {
  method: string;
  url: string;
  httpVersion: string;
  rawHeaders: RawHeaders;
  body: Uint8Array;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];

function pairs(flat: string[]): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] ?? "", flat[i + 1] ?? ""]);
  return out;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        httpVersion: req.httpVersion,
        rawHeaders: pairs(req.rawHeaders),
        body: new Uint8Array(Buffer.concat(chunks)),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Runs the command in sh, as a user pasting it would, and returns what the server got. */
async function run(command: string): Promise<Received> {
  const before = received.length;
  await new Promise<void>((resolve, reject) => {
    // Through sh's stdin, like a paste: a long command would not fit in argv.
    const child = execFile("sh", [], (error, _out, stderr) =>
      error === null ? resolve() : reject(new Error(`${error.message}\n${stderr}`)),
    );
    child.stdin?.end(`${command} -s -o /dev/null\n`);
  });
  expect(received).toHaveLength(before + 1);
  return received[before] as Received;
}

function request(overrides: Partial<Exchange["request"]>): Exchange {
  const x = makeExchange();
  return { ...x, request: { ...x.request, ...overrides } };
}

const HOSTILE = `'; touch /tmp/hooktap-pwned; echo '$(id)\`id\`"\\\\ !x`;

describe("toCurl, run by /usr/bin/curl against a real server", () => {
  it("sends the same method, target, header lines (order, case, repeats) and body", async () => {
    const json = `{"eventType":"com.okta.event_hook","data":{"events":[{"x":"it's \\"q\\" $HOME"}]}}`;
    const headers: RawHeaders = [
      ["Host", "relay.example"],
      ["User-Agent", "Okta Google-HTTP-Java-Client/1.23.0 (gzip)"],
      ["Content-Type", "application/json; charset=UTF-8"],
      ["authorization", "Basic YWRtaW46c3VwZXJzZWNyZXQ="],
      ["X-Dup", "a"],
      ["x-dup", "b"],
      ["X-Hostile", HOSTILE],
      ["x-empty", ""],
      ["Content-Length", String(Buffer.byteLength(json))],
    ];
    const x = request({
      method: "POST",
      target: "/userCreated?x=1&y=%20",
      rawHeaders: headers,
      body: body(json),
    });
    const got = await run(toCurl(x, { baseUrl }));
    expect(got.method).toBe("POST");
    expect(got.url).toBe("/userCreated?x=1&y=%20");
    expect(got.rawHeaders).toEqual(headers);
    expect(Buffer.from(got.body).toString()).toBe(json);
  });

  it("sends a binary body chunked, with an odd method and a target curl would otherwise rewrite", async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) % 256);
    const headers: RawHeaders = [
      ["Host", "h.example"],
      ["Transfer-Encoding", "chunked"],
      ["Content-Type", "application/octet-stream"],
    ];
    for (const target of ["/a/../b/./c?q=[1]&r={2}&s=%zz", "/x?y=1#frag", "*"]) {
      const x = request({ method: "PATCH", target, rawHeaders: headers, body: body(bytes) });
      const got = await run(toCurl(x, { baseUrl }));
      expect(got.method).toBe("PATCH");
      expect(got.url).toBe(target);
      expect(got.rawHeaders).toEqual(headers);
      expect(got.body).toEqual(bytes);
    }
  });

  it("sends no header the capture did not have (no User-Agent, Accept, Content-Type, Expect)", async () => {
    const big = "x".repeat(2 * 1024 * 1024); // above curl's Expect: 100-continue threshold
    const headers: RawHeaders = [
      ["Host", "h"],
      ["Content-Length", String(big.length)],
    ];
    const got = await run(
      toCurl(request({ method: "POST", target: "/", rawHeaders: headers, body: body(big) }), {
        baseUrl,
      }),
    );
    expect(got.rawHeaders).toEqual(headers);
    expect(got.body.byteLength).toBe(big.length);
  });

  it("sends a GET and a HEAD without a body, and HTTP/1.0 when captured so", async () => {
    const headers: RawHeaders = [
      ["Host", "h"],
      ["x-okta-verification-challenge", "abc"],
    ];
    const get = await run(
      toCurl(request({ method: "GET", target: "/v", rawHeaders: headers, body: body("") }), {
        baseUrl,
      }),
    );
    expect([get.method, get.rawHeaders, get.body.byteLength]).toEqual(["GET", headers, 0]);
    const head = await run(
      toCurl(request({ method: "HEAD", target: "/v", rawHeaders: headers, body: body("") }), {
        baseUrl,
      }),
    );
    expect([head.method, head.rawHeaders]).toEqual(["HEAD", headers]);
    const old = await run(
      toCurl(
        request({
          method: "GET",
          target: "/",
          httpVersion: "1.0",
          rawHeaders: headers,
          body: body(""),
        }),
        { baseUrl },
      ),
    );
    expect(old.httpVersion).toBe("1.0");
  });

  it("sends the captured part of a truncated body with a matching Content-Length, and says so", async () => {
    const headers: RawHeaders = [
      ["Host", "h"],
      ["Content-Length", "1000"],
    ];
    const x = request({
      method: "POST",
      target: "/t",
      rawHeaders: headers,
      body: { bytes: new TextEncoder().encode("0123456789"), size: 1000, truncated: true },
    });
    const command = toCurl(x, { baseUrl });
    expect(command.split("\n")[0]).toBe(
      "# request body truncated at capture: sending 10 of 1000 bytes",
    );
    const got = await run(command);
    expect(got.rawHeaders).toEqual([
      ["Host", "h"],
      ["Content-Length", "10"],
    ]);
    expect(Buffer.from(got.body).toString()).toBe("0123456789");
  });

  it("keeps a base URL's path prefix", async () => {
    const x = request({
      method: "GET",
      target: "/x?y=1",
      rawHeaders: [["Host", "h"]],
      body: body(""),
    });
    expect((await run(toCurl(x, { baseUrl: `${baseUrl}/prefix/` }))).url).toBe("/prefix/x?y=1");
  });
});

describe("toCurl output and errors", () => {
  it("pins HTTP/1.1 for https, so header case survives", () => {
    const x = request({ method: "GET", target: "/", rawHeaders: [["Host", "h"]], body: body("") });
    expect(toCurl(x, { baseUrl: "https://example.com" })).toContain("--http1.1");
    expect(toCurl(x, { baseUrl: "http://example.com" })).not.toContain("--http1.1");
  });

  it.each(["", "not a url", "ftp://x/", "http://h/?q=1", "http://u:p@h/", "http://h/#f"])(
    "refuses the base URL %j with invalid_argument",
    (url) => {
      const error = catchError(() => toCurl(makeExchange(), { baseUrl: url }));
      expect(error).toBeInstanceOf(CaptureError);
      expect((error as CaptureError).code).toBe("invalid_argument");
      expect((error as CaptureError).field).toBe("baseUrl");
    },
  );

  it.each([
    [["X-A", "a\r\nInjected: 1"], "request.rawHeaders[0]"],
    [["X-A", "a\0"], "request.rawHeaders[0]"],
    [["Bad Name", "a"], "request.rawHeaders[0]"],
  ] as const)("refuses a header line no client can send: %j", (pair, field) => {
    const x = request({ rawHeaders: [[pair[0], pair[1]]] });
    const error = catchError(() => toCurl(x, { baseUrl: "http://h" }));
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).code).toBe("invalid_exchange");
    expect((error as CaptureError).field).toBe(field);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("toCurl notes", () => {
  it("says when a non-ASCII header value cannot go out byte for byte", () => {
    const x = request({
      rawHeaders: [
        ["Host", "h"],
        ["X-Latin1", "caf\u00e9"],
      ],
      body: body(""),
    });
    expect(toCurl(x, { baseUrl: "http://h" }).split("\n")[0]).toBe(
      "# non-ASCII header values are sent as UTF-8: X-Latin1",
    );
  });
});
