import { describe, expect, it } from "vitest";
import { CaptureError } from "../errors.js";
import { ALL_BYTES, body, makeExchange, sampleResponse, T0 } from "../exchange-samples.case.js";
import { createExchangeIdGenerator, EXCHANGE_ID_LENGTH } from "../ids.js";
import { createMemoryCaptureStore } from "../memory-store.js";
import type { Exchange } from "../types.js";
import { toHar } from "./har.js";
import { toHooktapJson } from "./hooktap-json.js";
import { parseImport } from "./import.js";

function importError(input: string | Uint8Array): CaptureError {
  try {
    parseImport(input);
  } catch (error) {
    if (error instanceof CaptureError) return error;
    throw error;
  }
  throw new Error("expected parseImport to throw");
}

function samples(): Exchange[] {
  const a = makeExchange({
    timing: { receivedAt: T0 + 50, forwardedAt: null, firstByteAt: null, doneAt: null },
    response: null,
  });
  const b = makeExchange({
    origin: "replay",
    parentId: a.id,
    endpoint: "other",
    queueId: "q_1",
    remoteAddress: null,
    request: {
      ...a.request,
      body: { bytes: ALL_BYTES.subarray(0, 7), size: 900, truncated: true },
    },
    response: sampleResponse({
      statusMessage: null,
      body: { bytes: new Uint8Array(0), size: 0, truncated: false },
    }),
    error: { code: "upstream_timeout", message: "no answer in 30 s" },
    timing: {
      receivedAt: T0 + 10.125,
      forwardedAt: T0 + 11,
      firstByteAt: T0 + 12,
      doneAt: T0 + 13.5,
    },
  });
  const c = makeExchange({ parentId: "01ZZZZZZZZZZZZZZZZZZZZZZZZ" }); // a parent outside the file
  return [a, b, c];
}

describe("parseImport of hooktap exports", () => {
  it("is lossless: the same exchanges come back, byte for byte", () => {
    const xs = samples();
    expect(parseImport(JSON.stringify(toHooktapJson(xs)), { keepIds: true })).toEqual(xs);
    const pretty = new TextEncoder().encode(`\ufeff${JSON.stringify(toHooktapJson(xs), null, 2)}`);
    expect(parseImport(pretty, { keepIds: true })).toEqual(xs);
  });

  it("gives new ids in arrival order, links replays to their new parent, drops outside parents", () => {
    const xs = samples();
    const nextId = createExchangeIdGenerator();
    const out = parseImport(JSON.stringify(toHooktapJson(xs)), { newId: () => nextId(T0 + 1e9) });
    expect(out.map((x) => x.id.length)).toEqual([
      EXCHANGE_ID_LENGTH,
      EXCHANGE_ID_LENGTH,
      EXCHANGE_ID_LENGTH,
    ]);
    const [a, b, c] = out as [Exchange, Exchange, Exchange];
    expect(new Set(out.map((x) => x.id)).size).toBe(3);
    expect(b.id < a.id).toBe(true); // b arrived first
    expect(b.parentId).toBe(a.id);
    expect(c.parentId).toBeNull();
    expect({ ...a, id: "", parentId: null }).toEqual({ ...xs[0], id: "", parentId: null });
  });

  it("makes exchanges a store accepts, twice over (no duplicate ids)", () => {
    const store = createMemoryCaptureStore();
    const text = JSON.stringify(toHooktapJson(samples()));
    for (const x of [...parseImport(text), ...parseImport(text)]) store.insert(x);
    expect(store.count()).toBe(6);
    store.close();
  });
});

describe("parseImport of HAR files", () => {
  const chromeHar = {
    log: {
      version: "1.2",
      creator: { name: "WebInspector", version: "537.36" },
      pages: [],
      entries: [
        {
          startedDateTime: "2024-05-29T12:00:00.000Z",
          time: 30,
          request: {
            method: "POST",
            url: "https://api.example.com/hooks/okta?x=1#frag",
            httpVersion: "http/2.0",
            headers: [
              { name: ":method", value: "POST" },
              { name: ":authority", value: "api.example.com" },
              { name: "content-type", value: "application/x-www-form-urlencoded" },
            ],
            queryString: [{ name: "x", value: "1" }],
            cookies: [],
            headersSize: -1,
            bodySize: 9,
            postData: {
              mimeType: "application/x-www-form-urlencoded",
              params: [{ name: "a b", value: "c&d" }],
            },
          },
          response: {
            status: 200,
            statusText: "",
            httpVersion: "http/2.0",
            headers: [{ name: "content-type", value: "image/png" }],
            cookies: [],
            content: { size: 4, mimeType: "image/png", text: "AAECAw==", encoding: "base64" },
            redirectURL: "",
            headersSize: -1,
            bodySize: -1,
          },
          cache: {},
          timings: { blocked: 2, dns: -1, connect: -1, ssl: -1, send: 1, wait: 20, receive: 7 },
        },
        {
          startedDateTime: "2024-05-29T12:00:01.000+02:00",
          time: 0,
          request: {
            method: "GET",
            url: "/relative",
            httpVersion: "HTTP/1.1",
            headers: [],
            queryString: [],
            cookies: [],
            headersSize: -1,
            bodySize: 0,
          },
          response: {
            status: 0,
            statusText: "",
            httpVersion: "",
            headers: [],
            cookies: [],
            content: { size: 0, mimeType: "x-unknown" },
            redirectURL: "",
            headersSize: -1,
            bodySize: -1,
            _error: "net::ERR_FAILED",
          },
          cache: {},
          timings: { send: 0, wait: 0, receive: 0 },
        },
        {
          startedDateTime: "2024-05-29T12:00:02Z",
          time: 1,
          request: {
            method: "GET",
            url: "http://h.example",
            httpVersion: "HTTP/1.1",
            headers: [],
            queryString: [],
            cookies: [],
            headersSize: -1,
            bodySize: 0,
          },
          response: {
            status: 200,
            statusText: "OK",
            httpVersion: "HTTP/1.1",
            headers: [],
            cookies: [],
            content: { size: 5000, mimeType: "text/html" },
            redirectURL: "",
            headersSize: -1,
            bodySize: -1,
          },
          cache: {},
          timings: { send: 0, wait: 1, receive: 0 },
        },
      ],
    },
  };

  it("reads a browser's HAR: pseudo-headers, params-only bodies, base64 content, failed and body-less entries", () => {
    const [a, b, c] = parseImport(JSON.stringify(chromeHar), { endpoint: "browser" }) as [
      Exchange,
      Exchange,
      Exchange,
    ];
    expect(a.endpoint).toBe("browser");
    expect(a.origin).toBe("live");
    expect(a.request).toEqual({
      method: "POST",
      target: "/hooks/okta?x=1",
      httpVersion: "2.0",
      rawHeaders: [
        ["host", "api.example.com"],
        ["content-type", "application/x-www-form-urlencoded"],
      ],
      body: body("a%20b=c%26d"),
    });
    expect(a.response).toEqual({
      status: 200,
      statusMessage: null,
      rawHeaders: [["content-type", "image/png"]],
      body: body(Uint8Array.of(0, 1, 2, 3)),
    });
    const t0 = Date.parse("2024-05-29T12:00:00.000Z");
    expect(a.timing).toEqual({
      receivedAt: t0,
      forwardedAt: t0 + 2,
      firstByteAt: t0 + 23,
      doneAt: t0 + 30,
    });
    expect(b.request.target).toBe("/relative");
    expect(b.response).toBeNull();
    expect(b.timing.receivedAt).toBe(Date.parse("2024-05-29T10:00:01Z"));
    expect(c.request.target).toBe("/");
    expect(c.response?.body).toEqual({ bytes: new Uint8Array(0), size: 5000, truncated: true });
  });

  it("accepts HAR 1.1 and a log without a version; defaults the endpoint to 'imported'", () => {
    for (const version of ["1.1", undefined]) {
      const har = { log: { ...chromeHar.log, version } };
      expect(parseImport(JSON.stringify(har))[0]?.endpoint).toBe("imported");
    }
  });

  it("restores hooktap's fields from _hooktap", () => {
    const xs = [makeExchange({ origin: "emulator", endpoint: "okta-dev", remoteAddress: null })];
    const [x] = parseImport(JSON.stringify(toHar(xs)));
    expect(x?.origin).toBe("emulator");
    expect(x?.endpoint).toBe("okta-dev");
    expect(x?.request).toEqual(xs[0]?.request);
  });
});

describe("parseImport refuses bad input with invalid_import, saying what is wrong", () => {
  const hooktap = (patch: (x: Record<string, unknown>) => void) => {
    const doc = JSON.parse(JSON.stringify(toHooktapJson([makeExchange()])));
    patch(doc.exchanges[0]);
    return JSON.stringify(doc);
  };
  const har = (patch: (entry: Record<string, unknown>) => void) => {
    const doc = JSON.parse(JSON.stringify(toHar([makeExchange()])));
    delete doc.log.entries[0]._hooktap;
    patch(doc.log.entries[0]);
    return JSON.stringify(doc);
  };

  it.each([
    [
      Uint8Array.of(0x7b, 0xff, 0x7d),
      "not an import file: the bytes are not UTF-8 text",
      undefined,
    ],
    ["", "not JSON: at line 1, column 1: expected a value, found end of input", undefined],
    [
      '{\n  "log": {\n    "entries": [,]\n',
      'not JSON: at line 3, column 17: expected a value, found ","',
      undefined,
    ],
    ["<!doctype html>", 'not JSON: at line 1, column 1: expected a value, found "<"', undefined],
    ["[]", "neither HAR nor a hooktap export: the JSON is an array, not an object", undefined],
    ["null", "neither HAR nor a hooktap export: the JSON is null, not an object", undefined],
    ["42", "neither HAR nor a hooktap export: the JSON is a number, not an object", undefined],
    [
      "{}",
      'neither HAR (no "log" object) nor a hooktap export (no "format": "hooktap")',
      undefined,
    ],
    [
      '{"format":"postman"}',
      'not a hooktap export: "format" is "postman", not "hooktap"',
      "format",
    ],
    [
      '{"format":"hooktap","version":2,"exchanges":[]}',
      "invalid hooktap export: version 2 is newer than this hooktap reads (1); upgrade hooktap",
      "version",
    ],
    [
      '{"format":"hooktap","version":"1","exchanges":[]}',
      "invalid hooktap export: version must be a positive integer",
      "version",
    ],
    [
      '{"format":"hooktap","version":1}',
      "invalid hooktap export: exchanges is missing (an array)",
      "exchanges",
    ],
    [
      '{"format":"hooktap","version":1,"exchanges":{}}',
      "invalid hooktap export: exchanges must be an array, not an object",
      "exchanges",
    ],
    [
      '{"format":"hooktap","version":1,"exchanges":[7]}',
      "invalid hooktap export: exchanges[0] must be an object, not a number",
      "exchanges[0]",
    ],
    [
      hooktap((x) => delete x.request),
      "invalid hooktap export: exchanges[0].request is missing (an object)",
      "exchanges[0].request",
    ],
    [
      hooktap((x) => {
        (x.request as { body: { base64: string } }).body.base64 = "!!!";
      }),
      "invalid hooktap export: exchanges[0].request.body.base64 is not standard padded base64",
      "exchanges[0].request.body.base64",
    ],
    [
      hooktap((x) => {
        (x.request as { body: { size: number } }).body.size = 3;
      }),
      "invalid hooktap export: exchanges[0].request.body.size must be an integer no smaller than bytes.length",
      "exchanges[0].request.body.size",
    ],
    [
      hooktap((x) => {
        x.origin = "martian";
      }),
      "invalid hooktap export: exchanges[0].origin must be one of live, replay, queued, blocked, edge, emulator",
      "exchanges[0].origin",
    ],
    [
      hooktap((x) => {
        (x.request as { rawHeaders: unknown[] }).rawHeaders[2] = ["X-A", "a\r\nX-Injected: 1"];
      }),
      "invalid hooktap export: exchanges[0].request.rawHeaders[2][1] must not contain CR, LF or NUL",
      "exchanges[0].request.rawHeaders[2][1]",
    ],
    [
      hooktap((x) => {
        (x.request as { rawHeaders: unknown[] }).rawHeaders[0] = ["Bad Name", "a"];
      }),
      'invalid hooktap export: exchanges[0].request.rawHeaders[0][0] is not a valid header name: "Bad Name"',
      "exchanges[0].request.rawHeaders[0][0]",
    ],
    [
      hooktap((x) => {
        (x.request as { rawHeaders: unknown[] }).rawHeaders[0] = ["a"];
      }),
      "invalid hooktap export: exchanges[0].request.rawHeaders[0] must be a [name, value] pair",
      "exchanges[0].request.rawHeaders[0]",
    ],
    [
      hooktap((x) => {
        (x.request as { method: string }).method = "GET /x";
      }),
      "invalid hooktap export: exchanges[0].request.method is not an HTTP method token",
      "exchanges[0].request.method",
    ],
    [
      hooktap((x) => {
        (x.request as { target: string }).target = "/a b";
      }),
      "invalid hooktap export: exchanges[0].request.target must not contain spaces or control characters",
      "exchanges[0].request.target",
    ],
    [
      hooktap((x) => {
        (x.timing as { receivedAt: unknown }).receivedAt = "yesterday";
      }),
      "invalid hooktap export: exchanges[0].timing.receivedAt must be a finite number",
      "exchanges[0].timing.receivedAt",
    ],
    [
      hooktap((x) => {
        (x.timing as { doneAt: unknown }).doneAt = 1e300;
      }),
      "invalid hooktap export: exchanges[0].timing.doneAt is not a time in epoch milliseconds",
      "exchanges[0].timing.doneAt",
    ],
    ['{"log":[]}', "invalid HAR: log must be an object, not an array", "log"],
    [
      '{"log":{"version":"2.0","entries":[]}}',
      'invalid HAR: log.version is "2.0"; hooktap reads HAR 1.1 and 1.2',
      "log.version",
    ],
    ['{"log":{"version":"1.2"}}', "invalid HAR: log.entries is missing (an array)", "log.entries"],
    [
      har((e) => delete e.request),
      "invalid HAR: log.entries[0].request is missing (an object)",
      "log.entries[0].request",
    ],
    [
      har((e) => {
        (e.request as { url: unknown }).url = 5;
      }),
      "invalid HAR: log.entries[0].request.url must be a string, not a number",
      "log.entries[0].request.url",
    ],
    [
      har((e) => {
        (e.request as { url: unknown }).url = "mailto:x";
      }),
      'invalid HAR: log.entries[0].request.url must be an absolute URL or a path, not "mailto:x"',
      "log.entries[0].request.url",
    ],
    [
      har((e) => {
        (e.request as { headers: unknown[] }).headers[1] = { name: "X", value: 1 };
      }),
      "invalid HAR: log.entries[0].request.headers[1].value must be a string, not a number",
      "log.entries[0].request.headers[1].value",
    ],
    [
      har((e) => {
        (e.request as { headers: unknown }).headers = [[[[[[]]]]]];
      }),
      "invalid HAR: log.entries[0].request.headers[0] must be an object, not an array",
      "log.entries[0].request.headers[0]",
    ],
    [
      har((e) => {
        e.startedDateTime = "last tuesday";
      }),
      'invalid HAR: log.entries[0].startedDateTime is not an ISO 8601 date: "last tuesday"',
      "log.entries[0].startedDateTime",
    ],
    [
      har((e) => {
        (e.response as { status: unknown }).status = "200";
      }),
      "invalid HAR: log.entries[0].response.status must be a finite number, not a string",
      "log.entries[0].response.status",
    ],
    [
      har((e) => {
        (e.response as { status: unknown }).status = 1000;
      }),
      "invalid HAR: log.entries[0].response.status must be an integer from 100 to 999",
      "log.entries[0].response.status",
    ],
    [
      har((e) => {
        (e.response as { content: { encoding: string } }).content.encoding = "gzip";
      }),
      'invalid HAR: log.entries[0].response.content.encoding must be "base64" when present, not "gzip"',
      "log.entries[0].response.content.encoding",
    ],
    [
      har((e) => {
        e._hooktap = { origin: "nowhere" };
      }),
      "invalid HAR: log.entries[0]._hooktap.origin must be one of live, replay, queued, blocked, edge, emulator",
      "log.entries[0]._hooktap.origin",
    ],
  ])("%#: %s", (input, message, field) => {
    const error = importError(input);
    expect(error.code).toBe("invalid_import");
    expect(error.message).toBe(message);
    expect(error.field).toBe(field);
  });

  it("refuses an empty endpoint option", () => {
    expect(() => parseImport("{}", { endpoint: "" })).toThrow(
      /endpoint must be 1 to 256 characters/,
    );
  });

  it("handles hostile sizes: a million-deep array, a huge valid file", () => {
    expect(importError("[".repeat(1_000_000)).message).toBe(
      "not JSON: at line 1, column 1000001: expected a value, found end of input",
    );
    const nested = `{"log":{"entries":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}}`;
    expect(importError(nested).message).toBe(
      "invalid HAR: log.entries[0] must be an object, not an array",
    );
    const big = toHooktapJson(
      Array.from({ length: 2000 }, () =>
        makeExchange({ request: { ...makeExchange().request, body: body("y".repeat(10_000)) } }),
      ),
    );
    expect(parseImport(JSON.stringify(big))).toHaveLength(2000);
  });
});
