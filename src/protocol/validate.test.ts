import { describe, expect, it } from "vitest";
import { decodeMessage } from "./codec.js";
import type { ProtocolErrorCode } from "./errors.js";
import { MAX_EDGE_BODY_BYTES } from "./limits.js";
import { decodeJson, mutate, protocolErrorOf, type SAMPLES, sampleJson } from "./samples.case.js";

type Case = [path: string, value: unknown, message: string];

/** Per sample: a field set to a bad value (`undefined` removes it) → the message expected. */
const INVALID_FIELDS: { [K in keyof typeof SAMPLES]?: Case[] } = {
  hello: [
    ["token", undefined, "hello.token must be a string"],
    ["token", "", "hello.token must have 1-1024 characters"],
    ["token", "a b", "hello.token must be visible ASCII"],
    ["endpoint", "MyHooks", "hello.endpoint must be a lowercase DNS label"],
    ["endpoint", "-a", "hello.endpoint must be a lowercase DNS label"],
    ["endpoint", "a-", "hello.endpoint must be a lowercase DNS label"],
    ["endpoint", "a".repeat(64), "hello.endpoint must be a lowercase DNS label"],
    ["endpoint", "a.b", "hello.endpoint must be a lowercase DNS label"],
    ["policy", "edge", "hello.policy must be an object"],
    ["policy.queue", "sometimes", 'hello.policy.queue must be one of "offline", "always", "never"'],
    ["policy.oktaChallenge", "both", "hello.policy.oktaChallenge must be one of"],
    ["client", undefined, "hello.client must be an object"],
    ["client.name", 3, "hello.client.name must be a string"],
    ["client.version", "", "hello.client.version must have 1-128 characters"],
  ],
  policy: [
    ["policy.requireHeader", undefined, "policy.policy.requireHeader must be an object"],
    [
      "policy.requireHeader.name",
      "Bad Name",
      "policy.policy.requireHeader.name must be an HTTP token",
    ],
    [
      "policy.requireHeader.value",
      "a\r\nX: y",
      "policy.policy.requireHeader.value must be a header value",
    ],
    ["policy.requireHeader.value", "", "policy.policy.requireHeader.value must have at least 1"],
    ["policy.maxBodyBytes", -1, "policy.policy.maxBodyBytes must be an integer in 0.."],
    ["policy.maxBodyBytes", "10mb", "policy.policy.maxBodyBytes must be an integer"],
  ],
  welcome: [
    ["urls", [], "welcome.urls must hold at least one URL"],
    ["urls", "https://x.example/", "welcome.urls must be an array"],
    ["urls[1]", "relay.example/x", "welcome.urls[1] must be an absolute URL"],
    ["urls[0]", "ftp://relay.example/x", "welcome.urls[0] must be an http(s) URL"],
    ["sessionId", "", "welcome.sessionId must have 1-128 characters"],
    ["heartbeatMs", 0, "welcome.heartbeatMs must be an integer in 1..3600000"],
    ["endpoint", "UP", "welcome.endpoint must be a lowercase DNS label"],
  ],
  window: [
    ["stream", 0, "window.stream must be an integer in 1..4294967295"],
    ["stream", undefined, "window.stream must be an integer"],
    ["bytes", 0, "window.bytes must be an integer in 1..2147483647"],
    ["bytes", 2 ** 31, "window.bytes must be an integer in 1..2147483647"],
  ],
  response: [
    ["stream", 2 ** 32, "response.stream must be an integer in 1..4294967295"],
    ["status", 103, "response.status must be an integer in 200..599"],
    ["status", 600, "response.status must be an integer in 200..599"],
    ["status", "200", "response.status must be an integer"],
    ["rawHeaders", { a: "b" }, "response.rawHeaders must be an array"],
    ["rawHeaders[0]", ["a", "b\nc"], "response.rawHeaders[0][1] must be a header value"],
    ["rawHeaders[0]", ["a", "\u20ac"], "response.rawHeaders[0][1] must be a header value"],
    ["rawHeaders[0]", ["", "x"], "response.rawHeaders[0][0] must be an HTTP token"],
  ],
  reset: [
    ["stream", 1.5, "reset.stream must be an integer"],
    ["stream", "7", "reset.stream must be an integer"],
    ["code", "oops", 'reset.code must be one of "upstream_unreachable"'],
    ["message", undefined, "reset.message must be a string"],
  ],
  error: [
    ["code", "nope", 'error.code must be one of "bad_token"'],
    ["message", null, "error.message must be a string"],
  ],
  requestLive: [
    ["rawHeaders[3]", ["x-dup"], "request.rawHeaders[3] must be a [name, value] pair of strings"],
    [
      "rawHeaders[0]",
      ["a", "b", "c"],
      "request.rawHeaders[0] must be a [name, value] pair of strings",
    ],
    ["rawHeaders[1]", ["a", 1], "request.rawHeaders[1] must be a [name, value] pair of strings"],
    [
      "rawHeaders[4]",
      { name: "a" },
      "request.rawHeaders[4] must be a [name, value] pair of strings",
    ],
    ["rawHeaders[2]", ["a:b", "1"], "request.rawHeaders[2][0] must be an HTTP token"],
    ["method", "GE T", "request.method must be an HTTP token"],
    ["target", "http://x/", 'request.target must be a request target starting with "/"'],
    ["target", "/a b", 'request.target must be a request target starting with "/"'],
    ["httpVersion", "HTTP/1.1", 'request.httpVersion must be like "1.1"'],
    ["remoteAddress", undefined, "request.remoteAddress must be a string"],
    ["receivedAt", -1, "request.receivedAt must be an integer in 0.."],
    ["origin", "replay", 'request.origin must be one of "live", "queued"'],
    ["queueId", "q1", 'request.queueId must be absent when origin is "live"'],
    ["attempt", 1, 'request.attempt must be absent when origin is "live"'],
  ],
  requestQueued: [
    ["queueId", undefined, "request.queueId must be a string"],
    ["queueId", "q 1", "request.queueId must be visible ASCII"],
    ["attempt", 0, "request.attempt must be an integer in 1.."],
  ],
  edgeChallenge: [
    ["exchange", null, "edge.exchange must be an object"],
    ["exchange.reason", "because", "edge.exchange.reason must be one of"],
    ["exchange.queueId", "q1", 'edge.exchange.queueId must be absent unless reason is "queued"'],
    ["exchange.durationMs", -5, "edge.exchange.durationMs must be an integer"],
    [
      "exchange.response.status",
      99,
      "edge.exchange.response.status must be an integer in 200..599",
    ],
    [
      "exchange.response.body.base64",
      "not base64!",
      "edge.exchange.response.body.base64 must be padded standard base64",
    ],
    [
      "exchange.response.body.size",
      21,
      "edge.exchange.response.body.size must be an integer in 22..",
    ],
    [
      "exchange.response.body.truncated",
      true,
      "edge.exchange.response.body.truncated must be true exactly when",
    ],
    ["exchange.request.body", undefined, "edge.exchange.request.body must be an object"],
    ["exchange.request.target", "", "edge.exchange.request.target must be a request target"],
  ],
  edgeQueued: [
    ["exchange.queueId", undefined, "edge.exchange.queueId must be a string"],
    [
      "exchange.request.body.base64",
      "AAE",
      "edge.exchange.request.body.base64 must be padded standard base64",
    ],
    [
      "exchange.request.body.truncated",
      false,
      "edge.exchange.request.body.truncated must be true exactly when",
    ],
    ["exchange.response", undefined, "edge.exchange.response must be an object"],
    [
      "exchange.request.rawHeaders[4]",
      "Authorization: x",
      "edge.exchange.request.rawHeaders[4] must be a [name, value] pair of strings",
    ],
  ],
};

const FIELD_CASES = Object.entries(INVALID_FIELDS).flatMap(([sample, cases]) =>
  (cases ?? []).map(([path, value, message]) => ({
    name: `${sample}.${path} = ${value === undefined ? "(missing)" : JSON.stringify(value).slice(0, 30)}`,
    sample: sample as keyof typeof SAMPLES,
    path,
    value,
    message,
  })),
);

describe("invalid_message: every ill-typed or missing field is named", () => {
  it.each(FIELD_CASES)("$name", ({ sample, path, value, message }) => {
    const error = protocolErrorOf(() => decodeJson(mutate(sample, path, value)));
    expect(error.code).toBe("invalid_message");
    expect(error.message).toContain(message);
    expect(message.startsWith(error.field ?? "(no field)")).toBe(true);
  });

  it("refuses an edge body over MAX_EDGE_BODY_BYTES", () => {
    const base64 = "A".repeat(Math.ceil((MAX_EDGE_BODY_BYTES + 1) / 3) * 4);
    const json = mutate("edgeQueued", "exchange.request.body", {
      base64,
      truncated: true,
      size: 1e9,
    });
    const error = protocolErrorOf(() => decodeJson(json));
    expect(error.message).toBe(
      `edge.exchange.request.body.base64 must encode at most ${MAX_EDGE_BODY_BYTES} bytes`,
    );
  });

  it("accepts an edge body of exactly MAX_EDGE_BODY_BYTES", () => {
    const base64 = Buffer.alloc(MAX_EDGE_BODY_BYTES).toString("base64");
    const body = { base64, truncated: true, size: MAX_EDGE_BODY_BYTES + 1 };
    expect(decodeJson(mutate("edgeQueued", "exchange.request.body", body)).type).toBe("edge");
  });
});

describe("the other codes", () => {
  const cases: [name: string, text: string, code: ProtocolErrorCode, message: string][] = [
    ["not JSON", "{nope", "malformed_json", "control frame is not valid JSON"],
    ["empty text", "", "malformed_json", "control frame is not valid JSON"],
    ["JSON array", "[]", "invalid_message", "message must be an object"],
    ["JSON null", "null", "invalid_message", "message must be an object"],
    ["missing type", "{}", "invalid_message", "message.type must be a string"],
    ["numeric type", '{"type":1}', "invalid_message", "message.type must be a string"],
    ["unknown type", '{"type":"ping"}', "unknown_type", 'unknown message type "ping"'],
    [
      "inherited name as type",
      '{"type":"constructor"}',
      "unknown_type",
      'unknown message type "constructor"',
    ],
    [
      "another protocol version",
      JSON.stringify(mutate("hello", "protocol", 2)),
      "unsupported_protocol",
      "hello.protocol 2 is not supported: this side speaks protocol 1",
    ],
    [
      "another protocol version in welcome",
      JSON.stringify(mutate("welcome", "protocol", 99)),
      "unsupported_protocol",
      "welcome.protocol 99 is not supported",
    ],
    [
      "the version is read before the rest of hello",
      '{"type":"hello","protocol":2,"token":5}',
      "unsupported_protocol",
      "hello.protocol 2 is not supported",
    ],
    [
      "protocol not a number",
      '{"type":"hello","protocol":"1"}',
      "invalid_message",
      "hello.protocol must be an integer",
    ],
  ];

  it.each(cases)("%s → %s", (_name, text, code, message) => {
    const error = protocolErrorOf(() => decodeMessage(text));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});

describe("secrets", () => {
  it("never quotes a field's value in an error", () => {
    const secrets = ["htk_SECRET_TOKEN", "Bearer SECRET"];
    const attempts = [
      () => decodeMessage(`{"type":"hello","token":"${secrets[0]}",`),
      () => decodeJson({ ...sampleJson("hello"), token: `${secrets[0]} ` }),
      () => decodeJson(mutate("policy", "policy.requireHeader.value", `${secrets[1]}\n`)),
    ];
    for (const attempt of attempts) {
      const error = protocolErrorOf(attempt);
      for (const secret of secrets) {
        expect(`${error.message} ${String(error.cause)}`).not.toContain(secret);
      }
    }
  });
});
