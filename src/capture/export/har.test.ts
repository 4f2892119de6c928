import type { Har } from "har-format";
import { describe, expect, it } from "vitest";
import { CaptureError } from "../errors.js";
import { ALL_BYTES, body, makeExchange, sampleResponse, T0 } from "../exchange-samples.case.js";
import type { Exchange } from "../types.js";
import { type HooktapHarEntry, toHar } from "./har.js";
import { parseImport } from "./import.js";

/**
 * Problems of a HAR log against the HAR 1.2 spec's required fields and types
 * (http://www.softwareishard.com/blog/har-12-spec/); empty when it conforms.
 */
function harProblems(har: unknown): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  const nameValues = (v: unknown, at: string) => {
    check(Array.isArray(v), `${at} array`);
    for (const [i, p] of (Array.isArray(v) ? v : []).entries()) {
      check(
        isObj(p) && typeof p.name === "string" && typeof p.value === "string",
        `${at}[${i}] name/value`,
      );
    }
  };
  const num = (v: unknown, at: string, min = Number.NEGATIVE_INFINITY) =>
    check(typeof v === "number" && Number.isFinite(v) && v >= min, `${at} number >= ${min}`);
  const str = (v: unknown, at: string) => check(typeof v === "string", `${at} string`);
  if (!isObj(har) || !isObj(har.log)) return ["log object"];
  const log = har.log;
  check(log.version === "1.2", "log.version 1.2");
  check(
    isObj(log.creator) &&
      typeof log.creator.name === "string" &&
      typeof log.creator.version === "string",
    "creator",
  );
  check(Array.isArray(log.entries), "entries");
  for (const [i, e] of (Array.isArray(log.entries) ? log.entries : []).entries()) {
    const at = `entries[${i}]`;
    if (!isObj(e) || !isObj(e.request) || !isObj(e.response) || !isObj(e.timings)) {
      problems.push(`${at} request/response/timings objects`);
      continue;
    }
    check(
      typeof e.startedDateTime === "string" &&
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(e.startedDateTime),
      `${at}.startedDateTime ISO 8601`,
    );
    num(e.time, `${at}.time`, 0);
    check(isObj(e.cache), `${at}.cache`);
    const q = e.request;
    for (const k of ["method", "url", "httpVersion"]) str(q[k], `${at}.request.${k}`);
    for (const k of ["cookies", "headers", "queryString"]) nameValues(q[k], `${at}.request.${k}`);
    num(q.headersSize, `${at}.request.headersSize`, -1);
    num(q.bodySize, `${at}.request.bodySize`, -1);
    if (q.postData !== undefined) {
      check(
        isObj(q.postData) && typeof q.postData.mimeType === "string",
        `${at}.request.postData.mimeType`,
      );
      if (isObj(q.postData) && q.postData.text !== undefined)
        str(q.postData.text, `${at}.request.postData.text`);
      if (isObj(q.postData) && q.postData.params !== undefined)
        nameValues(q.postData.params, `${at}.request.postData.params`);
    }
    const r = e.response;
    num(r.status, `${at}.response.status`, 0);
    for (const k of ["statusText", "httpVersion", "redirectURL"]) str(r[k], `${at}.response.${k}`);
    for (const k of ["cookies", "headers"]) nameValues(r[k], `${at}.response.${k}`);
    num(r.headersSize, `${at}.response.headersSize`, -1);
    num(r.bodySize, `${at}.response.bodySize`, -1);
    check(
      isObj(r.content) &&
        typeof r.content.size === "number" &&
        typeof r.content.mimeType === "string",
      `${at}.response.content`,
    );
    if (isObj(r.content) && r.content.text !== undefined)
      str(r.content.text, `${at}.response.content.text`);
    const t = e.timings;
    for (const k of ["send", "wait", "receive"]) num(t[k], `${at}.timings.${k}`, 0);
    for (const k of ["blocked", "dns", "connect", "ssl"])
      if (t[k] !== undefined) num(t[k], `${at}.timings.${k}`, -1);
    const sum = ["blocked", "dns", "connect", "send", "wait", "receive"]
      .map((k) => t[k])
      .filter((v): v is number => typeof v === "number" && v !== -1)
      .reduce((a, b) => a + b, 0);
    check(
      typeof e.time === "number" && Math.abs(e.time - sum) < 1e-6,
      `${at}.time = sum of timings`,
    );
  }
  return problems;
}

const entryOf = (har: Har, i = 0) => har.log.entries[i] as HooktapHarEntry;

function samples(): Exchange[] {
  const json = makeExchange({
    request: {
      method: "POST",
      target: "/hook?a=1&b=x%20y&a=2",
      httpVersion: "1.1",
      rawHeaders: [
        ["Host", "relay.example"],
        ["Content-Type", "application/json"],
        ["Cookie", "s=1; t=2"],
        ["X-Dup", "a"],
        ["x-dup", "b"],
      ],
      body: body('{"eventType":"com.okta.event_hook"}'),
    },
    response: sampleResponse({
      rawHeaders: [
        ["Content-Type", "application/json"],
        ["Set-Cookie", "sid=abc; Path=/; HttpOnly; Secure"],
        ["Location", "/next"],
      ],
      body: body("{}"),
    }),
  });
  const form = makeExchange({
    request: {
      method: "POST",
      target: "/form",
      httpVersion: "1.1",
      rawHeaders: [["Content-Type", "application/x-www-form-urlencoded"]],
      body: body("a=1&b=hello+world&c=%C3%A9"),
    },
  });
  const binary = makeExchange(); // ALL_BYTES request body, binary response
  const failed = makeExchange({
    response: null,
    error: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:3000" },
    timing: { receivedAt: T0 + 0.5, forwardedAt: T0 + 1, firstByteAt: null, doneAt: T0 + 2.25 },
  });
  const truncated = makeExchange({
    origin: "replay",
    parentId: json.id,
    request: {
      ...binary.request,
      body: { bytes: ALL_BYTES.subarray(0, 100), size: 5000, truncated: true },
    },
    response: sampleResponse({
      body: { bytes: body("abc").bytes, size: 10, truncated: true },
      statusMessage: null,
    }),
  });
  const blocked = makeExchange({
    origin: "blocked",
    response: null,
    timing: { receivedAt: T0, forwardedAt: null, firstByteAt: null, doneAt: null },
  });
  return [json, form, binary, failed, truncated, blocked];
}

describe("toHar", () => {
  it("writes a log that conforms to HAR 1.2 for every kind of exchange", () => {
    const har = toHar(samples(), { creatorVersion: "1.2.3" });
    expect(harProblems(har)).toEqual([]);
    expect(har.log.creator).toEqual({ name: "hooktap", version: "1.2.3" });
    expect(toHar([]).log).toEqual({
      version: "1.2",
      creator: { name: "hooktap", version: "unknown" },
      entries: [],
    });
  });

  it("keeps header lines in order with case, derives query, cookies and redirect", () => {
    const e = entryOf(toHar(samples()));
    expect(e.request.url).toBe("http://relay.example/hook?a=1&b=x%20y&a=2");
    expect(e.request.httpVersion).toBe("HTTP/1.1");
    expect(e.request.headers.map((h) => [h.name, h.value])).toEqual(
      samples()[0]?.request.rawHeaders,
    );
    expect(e.request.queryString).toEqual([
      { name: "a", value: "1" },
      { name: "b", value: "x y" },
      { name: "a", value: "2" },
    ]);
    expect(e.request.cookies).toEqual([
      { name: "s", value: "1" },
      { name: "t", value: "2" },
    ]);
    expect(e.response.cookies).toEqual([
      { name: "sid", value: "abc", path: "/", httpOnly: true, secure: true },
    ]);
    expect(e.response.redirectURL).toBe("/next");
    expect(e.request.postData).toEqual({
      mimeType: "application/json",
      text: '{"eventType":"com.okta.event_hook"}',
    });
    expect(e.response.content).toEqual({ size: 2, mimeType: "application/json", text: "{}" });
    const headLine = "POST /hook?a=1&b=x%20y&a=2 HTTP/1.1";
    const lines = e.request.headers.map((h) => `${h.name}: ${h.value}\r\n`).join("");
    expect(e.request.headersSize).toBe(`${headLine}\r\n${lines}\r\n`.length);
  });

  it("writes the epoch for a time no Date can hold, rather than throwing", () => {
    const x = makeExchange({
      timing: { receivedAt: 1e300, forwardedAt: null, firstByteAt: null, doneAt: null },
    });
    expect(entryOf(toHar([x])).startedDateTime).toBe("1970-01-01T00:00:00.000Z");
  });

  it("uses baseUrl when given, with its path prefix", () => {
    const e = entryOf(toHar(samples(), { baseUrl: "https://abc.tunnel.example/my-hooks/" }));
    expect(e.request.url).toBe("https://abc.tunnel.example/my-hooks/hook?a=1&b=x%20y&a=2");
    expect(() => toHar(samples(), { baseUrl: "nope" })).toThrow(CaptureError);
  });

  it("gives a form body as text and params", () => {
    const post = entryOf(toHar(samples()), 1).request.postData as unknown as Record<
      string,
      unknown
    >;
    expect(post.text).toBe("a=1&b=hello+world&c=%C3%A9");
    expect(post.params).toEqual([
      { name: "a", value: "1" },
      { name: "b", value: "hello world" },
      { name: "c", value: "é" },
    ]);
  });

  it("writes binary bodies as base64 and says so", () => {
    const e = entryOf(toHar(samples()), 2);
    expect(e.request.postData?.text).toBe(Buffer.from(ALL_BYTES).toString("base64"));
    expect(e.request.postData?.comment).toBe("base64");
    expect(e._hooktap.request.bodyEncoding).toBe("base64");
    expect(e.response.content).toMatchObject({ size: 3, encoding: "base64", text: "AP8K" });
  });

  it("writes an exchange without a response as status 0, and the error", () => {
    const e = entryOf(toHar(samples()), 3);
    expect(e.response.status).toBe(0);
    expect(e.comment).toBe("ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3000");
    expect(e._hooktap.error?.code).toBe("ECONNREFUSED");
    expect(e.timings).toEqual({
      blocked: 0.5,
      dns: -1,
      connect: -1,
      ssl: -1,
      send: 0,
      wait: 1.25,
      receive: 0,
    });
  });

  it("maps the four instants onto HAR phases (blocked -1 when never forwarded)", () => {
    const e = entryOf(toHar(samples()), 0);
    expect(e.startedDateTime).toBe(new Date(T0).toISOString());
    expect(e.timings).toEqual({
      blocked: 1.25,
      dns: -1,
      connect: -1,
      ssl: -1,
      send: 0,
      wait: 10.625,
      receive: 0.875,
    });
    expect(e.time).toBe(12.75);
    expect(entryOf(toHar(samples()), 5).timings.blocked).toBe(-1);
  });

  it("notes truncated bodies, keeping their wire size", () => {
    const e = entryOf(toHar(samples()), 4);
    expect(e.request.bodySize).toBe(5000);
    expect(e.request.postData?.comment).toContain("truncated at capture: first 100 of 5000 bytes");
    expect(e.response.content).toMatchObject({ size: 10, text: "abc" });
    expect(e._hooktap.response).toEqual({ statusMessage: null, bodyTruncated: true });
  });

  it("round-trips through parseImport to the same exchanges", () => {
    const xs = samples();
    expect(
      parseImport(JSON.stringify(toHar(xs, { baseUrl: "https://x.example/p" })), { keepIds: true }),
    ).toEqual(xs);
  });
});
