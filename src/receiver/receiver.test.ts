import { describe, expect, it } from "vitest";
import { createMemoryLogger } from "../log/index.js";
import type { DeliveryLogEvent } from "../okta/index.js";
import { buildDelivery, buildLogEvent, ipChainOf, serializeDelivery } from "../okta/index.js";
import { createMemoryDedupeStore } from "./memory-dedupe-store.js";
import { createReceiver } from "./receiver.js";
import type {
  DedupeStore,
  ReceiverOptions,
  ReceiverRequest,
  ReceiverRequestHead,
} from "./types.js";

const SECRET = "s3cret";
const auth = { name: "authorization", value: SECRET };

function deliveryOf(events: DeliveryLogEvent[], eventId?: string) {
  return buildDelivery(events, {
    hookId: "who8vt36qfNpCGz9H1e6",
    orgUrl: "https://dev-123456.okta.com",
    ...(eventId === undefined ? {} : { eventId }),
  });
}

function bytes(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

function postOf(
  body: string | Uint8Array,
  headers: ReceiverRequest["headers"] = {},
): ReceiverRequest {
  return {
    method: "POST",
    url: "/okta/events",
    headers: { authorization: SECRET, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? bytes(body) : body,
  };
}

function setup(options: ReceiverOptions = {}) {
  const logger = createMemoryLogger();
  const receiver = createReceiver({ auth, logger, ...options });
  return { receiver, logger };
}

function errorOf(response: { body: string }): { error: string; message: string } {
  return JSON.parse(response.body) as { error: string; message: string };
}

describe("createReceiver options", () => {
  it("applies every default", () => {
    const { options } = createReceiver();
    expect(options).toMatchObject({
      auth: null,
      authOnVerification: true,
      awaitHandlers: false,
      ackTimeoutMs: 2500,
      maxBodyBytes: 4 * 1024 * 1024,
    });
    expect(typeof options.logger.error).toBe("function");
    expect(options.dedupe).not.toBe(false);
  });

  it("gives each receiver its own default dedupe store", () => {
    expect(createReceiver().options.dedupe).not.toBe(createReceiver().options.dedupe);
  });

  it.each([
    [{ auth: { name: "bad header", value: "x" } }, TypeError, /auth.name/],
    [{ auth: { name: "authorization", value: "" } }, TypeError, /auth.value/],
    [{ ackTimeoutMs: -1 }, RangeError, /ackTimeoutMs/],
    [{ maxBodyBytes: 0 }, RangeError, /maxBodyBytes/],
    [{ maxBodyBytes: 1.5 }, RangeError, /maxBodyBytes/],
    [{ dedupe: {} as DedupeStore }, TypeError, /dedupe/],
  ] as const)("rejects %j", (options, type, message) => {
    expect(() => createReceiver(options as ReceiverOptions)).toThrow(type);
    expect(() => createReceiver(options as ReceiverOptions)).toThrow(message);
  });

  it("rejects on() without a type or handler", () => {
    const receiver = createReceiver();
    expect(() => receiver.on("", () => {})).toThrow(TypeError);
    expect(() => receiver.on("user.lifecycle.create", "nope" as never)).toThrow(TypeError);
    expect(() => receiver.onAny(undefined as never)).toThrow(TypeError);
  });
});

describe("verification", () => {
  it("echoes the challenge as JSON, escaping what needs escaping", async () => {
    const { receiver } = setup();
    const challenge = 'a"b\\c\u0001d</script>';
    const response = await receiver.handle({
      method: "GET",
      url: "/",
      headers: { authorization: SECRET, "x-okta-verification-challenge": challenge },
      body: new Uint8Array(0),
    });
    expect(response).toEqual({
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ verification: challenge }),
    });
    expect(JSON.parse(response.body)).toEqual({ verification: challenge });
  });

  it.each([
    ["a repeated challenge", { "x-okta-verification-challenge": ["a", "b"] }, "invalid_challenge"],
    ["an empty challenge", { "x-okta-verification-challenge": "" }, "missing_challenge"],
    ["no challenge", {}, "missing_challenge"],
  ])("answers %s with 400", async (_name, headers, code) => {
    const { receiver } = setup();
    const response = await receiver.handle({
      method: "GET",
      url: "/",
      headers: { authorization: SECRET, ...headers },
      body: new Uint8Array(0),
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).error).toBe(code);
  });

  it("checks auth before the challenge unless authOnVerification is false", async () => {
    const request = {
      method: "GET",
      url: "/",
      headers: { "x-okta-verification-challenge": "c" },
      body: new Uint8Array(0),
    };
    expect((await setup().receiver.handle(request)).status).toBe(401);
    expect((await setup({ authOnVerification: false }).receiver.handle(request)).status).toBe(200);
  });
});

describe("auth", () => {
  it("matches the header name case-insensitively, in the config and in the request", async () => {
    const receiver = createReceiver({ auth: { name: "X-Okta-Secret", value: SECRET } });
    const body = serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]));
    const response = await receiver.handle({
      method: "POST",
      url: "/",
      headers: { "X-OKTA-SECRET": SECRET },
      body: bytes(body),
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ["missing", {}, "missing authorization header"],
    ["wrong", { authorization: `${SECRET}!` }, "invalid authorization header"],
    ["a prefix", { authorization: SECRET.slice(0, 3) }, "invalid authorization header"],
    [
      "repeated",
      { authorization: [SECRET, SECRET] },
      "the authorization header must appear exactly once",
    ],
  ])("answers a %s header with 401", async (_name, headers, message) => {
    const { receiver } = setup();
    const response = await receiver.handle({ ...postOf("{}"), headers });
    expect(response.status).toBe(401);
    expect(errorOf(response)).toEqual({ error: "unauthorized", message });
  });

  it("compares a non-ASCII secret with the bytes that arrive on the wire", async () => {
    const receiver = createReceiver({ auth: { name: "authorization", value: "pässwörd" } });
    const wire = Buffer.from("pässwörd", "utf8").toString("latin1");
    const body = serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]));
    expect((await receiver.handle(postOf(body, { authorization: wire }))).status).toBe(200);
    expect((await receiver.handle(postOf(body, { authorization: "passwort" }))).status).toBe(401);
  });

  it("checks nothing when auth is null", async () => {
    const receiver = createReceiver();
    const body = serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]));
    const response = await receiver.handle({
      method: "POST",
      url: "/",
      headers: {},
      body: bytes(body),
    });
    expect(response.status).toBe(200);
  });
});

describe("requests that are not deliveries", () => {
  it.each(["HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"])("%s → 405", async (method) => {
    const { receiver } = setup();
    const response = await receiver.handle({ ...postOf(""), method });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, POST");
    expect(errorOf(response).error).toBe("method_not_allowed");
  });

  it("accepts a lower-case method", async () => {
    const { receiver } = setup();
    const body = serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]));
    expect((await receiver.handle({ ...postOf(body), method: "post" })).status).toBe(200);
  });

  it("answers 413 when handed a body over maxBodyBytes", async () => {
    const { receiver } = setup({ maxBodyBytes: 10 });
    const response = await receiver.handle(postOf("x".repeat(11)));
    expect(response.status).toBe(413);
    expect(errorOf(response).error).toBe("payload_too_large");
  });

  it.each([
    ["[]", "invalid_delivery", "body must be a JSON object"],
    ["null", "invalid_delivery", "body must be a JSON object"],
    ["{", "invalid_json", undefined],
    [
      JSON.stringify({
        eventType: "com.okta.event_hook",
        eventId: "e",
        data: { events: [{ eventType: "a.b", uuid: "u" }, 3] },
      }),
      "invalid_delivery",
      "data.events[1] must be an object",
    ],
  ])("answers %s with 400 %s", async (body, code, message) => {
    const { receiver } = setup();
    const response = await receiver.handle(postOf(body));
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(errorOf(response).error).toBe(code);
    if (message !== undefined) expect(errorOf(response).message).toBe(message);
  });

  it("logs each rejected request as a warning", async () => {
    const { receiver, logger } = setup();
    await receiver.handle(postOf("{", { authorization: "nope" }));
    expect(logger.records).toEqual([
      expect.objectContaining({ level: "warn", message: "request rejected" }),
    ]);
    expect(logger.records[0]?.fields).toMatchObject({ method: "POST", status: 401 });
  });
});

describe("precheck: deciding on the request head alone", () => {
  const validBody = () =>
    bytes(serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")])));

  function headOf(
    method: string,
    headers: ReceiverRequestHead["headers"] = { authorization: SECRET },
  ): ReceiverRequestHead {
    return { method, url: "/okta/events", headers };
  }

  it("lets an authenticated POST through (null), whatever the case of method and header", () => {
    const { receiver, logger } = setup();
    expect(receiver.precheck(headOf("POST"))).toBeNull();
    expect(receiver.precheck(headOf("post", { Authorization: SECRET }))).toBeNull();
    expect(
      receiver.precheck(headOf("POST", { authorization: SECRET, "content-length": "10" })),
    ).toBeNull();
    expect(createReceiver().precheck(headOf("POST", {}))).toBeNull();
    expect(logger.records).toEqual([]);
  });

  it.each([
    ["a POST without the auth header", headOf("POST", {}), 401, "unauthorized"],
    [
      "a POST with a wrong auth header",
      headOf("POST", { authorization: "nope" }),
      401,
      "unauthorized",
    ],
    [
      "a POST with a repeated auth header",
      headOf("POST", { authorization: [SECRET, SECRET] }),
      401,
      "unauthorized",
    ],
    [
      "a POST declaring more than maxBodyBytes",
      headOf("POST", { authorization: SECRET, "content-length": "65" }),
      413,
      "payload_too_large",
    ],
    ["a PUT", headOf("PUT"), 405, "method_not_allowed"],
    ["a HEAD", headOf("HEAD"), 405, "method_not_allowed"],
    ["a GET without the challenge", headOf("GET"), 400, "missing_challenge"],
    [
      "a GET with a wrong auth header",
      headOf("GET", { authorization: "nope", "x-okta-verification-challenge": "c" }),
      401,
      "unauthorized",
    ],
  ])("answers %s, as handle() does with the body", async (_name, head, status, code) => {
    const { receiver } = setup({ maxBodyBytes: 64 });
    const early = receiver.precheck(head);
    expect(early?.status).toBe(status);
    expect(errorOf(early ?? { body: "{}" }).error).toBe(code);
    expect(await receiver.handle({ ...head, body: bytes("{}") })).toEqual(early);
  });

  it("answers a verification GET itself: a GET needs no body", async () => {
    const { receiver } = setup();
    const head = headOf("GET", { authorization: SECRET, "x-okta-verification-challenge": "c" });
    expect(receiver.precheck(head)).toEqual({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"verification":"c"}',
    });
    const withoutAuth = headOf("GET", { "x-okta-verification-challenge": "c" });
    expect(receiver.precheck(withoutAuth)?.status).toBe(401);
    expect(setup({ authOnVerification: false }).receiver.precheck(withoutAuth)?.status).toBe(200);
  });

  it("checks auth before the declared length: an unauthenticated client learns nothing more", () => {
    const { receiver } = setup({ maxBodyBytes: 64 });
    const head = headOf("POST", { authorization: "nope", "content-length": "1000000" });
    expect(receiver.precheck(head)?.status).toBe(401);
  });

  it.each([
    ["exactly maxBodyBytes", "64"],
    ["not a plain integer", "6.4e1"],
    ["negative", "-1"],
  ])("leaves a declared length %s to the body read (null)", (_name, length) => {
    const { receiver } = setup({ maxBodyBytes: 64 });
    expect(
      receiver.precheck(headOf("POST", { authorization: SECRET, "content-length": length })),
    ).toBeNull();
  });

  it("makes handle() refuse a declared length over maxBodyBytes even for a small body", async () => {
    const { receiver } = setup({ maxBodyBytes: 4096 });
    const response = await receiver.handle(postOf(validBody(), { "content-length": "4097" }));
    expect(response.status).toBe(413);
  });

  it("logs each answer it gives as a rejection, once", () => {
    const { receiver, logger } = setup();
    receiver.precheck(headOf("POST", { authorization: "nope" }));
    expect(logger.records).toEqual([
      expect.objectContaining({ level: "warn", message: "request rejected" }),
    ]);
    expect(logger.records[0]?.fields).toMatchObject({
      method: "POST",
      url: "/okta/events",
      status: 401,
    });
  });

  it("never throws: a failure becomes a 500", () => {
    const receiver = createReceiver({
      auth,
      logger: {
        debug() {},
        info() {},
        warn() {
          throw new Error("logger down");
        },
        error() {},
      },
    });
    const response = receiver.precheck(headOf("POST", {}));
    expect(response?.status).toBe(500);
    expect(errorOf(response ?? { body: "{}" }).error).toBe("internal_error");
  });
});

describe("dispatch", () => {
  it("runs the type's handlers in registration order, then the catch-alls", async () => {
    const { receiver } = setup();
    const calls: string[] = [];
    receiver
      .on("user.lifecycle.create", (event) => {
        calls.push(`create-1 ${event.uuid}`);
      })
      .onAny((event) => {
        calls.push(`any ${event.eventType}`);
      })
      .on("user.lifecycle.create", async () => {
        calls.push("create-2");
      });
    const events = [
      buildLogEvent("user.lifecycle.create"),
      buildLogEvent("group.user_membership.add"),
    ];
    const response = await receiver.handle(postOf(serializeDelivery(deliveryOf(events))));
    expect(response).toEqual({ status: 200, headers: {}, body: "" });
    await receiver.idle();
    expect(calls).toEqual([
      `create-1 ${events[0]?.uuid}`,
      "create-2",
      "any user.lifecycle.create",
      "any group.user_membership.add",
    ]);
  });

  it("gives handlers the delivery, the event's index and the request", async () => {
    const { receiver } = setup();
    const contexts: unknown[] = [];
    receiver.onAny((_event, context) => {
      contexts.push({
        eventId: context.delivery.eventId,
        index: context.index,
        url: context.request.url,
      });
    });
    const delivery = deliveryOf([
      buildLogEvent("user.lifecycle.create"),
      buildLogEvent("user.lifecycle.activate"),
    ]);
    await receiver.handle(postOf(serializeDelivery(delivery)));
    await receiver.idle();
    expect(contexts).toEqual([
      { eventId: delivery.eventId, index: 0, url: "/okta/events" },
      { eventId: delivery.eventId, index: 1, url: "/okta/events" },
    ]);
  });

  it("answers before any handler code runs (default)", async () => {
    const { receiver } = setup();
    let ran = false;
    receiver.onAny(() => {
      ran = true;
    });
    await receiver.handle(
      postOf(serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]))),
    );
    expect(ran).toBe(false);
    await receiver.idle();
    expect(ran).toBe(true);
  });

  it("runs the handlers of deliveries acknowledged together in acknowledgement order, each after its 200", async () => {
    const { receiver } = setup();
    const ran: string[] = [];
    receiver.onAny((event) => {
      ran.push(event.eventType);
      if (event.eventType === "user.lifecycle.create") throw new Error("first one fails");
    });
    const types = ["user.lifecycle.create", "user.lifecycle.activate", "group.user_membership.add"];
    const answers = await Promise.all(
      types.map((type) =>
        receiver.handle(postOf(serializeDelivery(deliveryOf([buildLogEvent(type)])))),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(ran).toEqual([]);
    await receiver.idle();
    expect(ran).toEqual(types);
  });

  it("logs a handler that throws or rejects, and still runs the next handlers", async () => {
    const { receiver, logger } = setup();
    const ran: string[] = [];
    receiver
      .on("user.lifecycle.create", () => {
        throw "not an Error";
      })
      .on("user.lifecycle.create", async () => {
        throw new Error("async failure");
      })
      .onAny(() => {
        ran.push("any");
      });
    const event = buildLogEvent("user.lifecycle.create");
    const delivery = deliveryOf([event]);
    await receiver.handle(postOf(serializeDelivery(delivery)));
    await receiver.idle();
    expect(ran).toEqual(["any"]);
    const errors = logger.records.filter((record) => record.level === "error");
    expect(errors.map((record) => [record.message, record.fields])).toEqual([
      [
        "event handler failed",
        {
          eventType: event.eventType,
          uuid: event.uuid,
          eventId: delivery.eventId,
          error: "not an Error",
        },
      ],
      [
        "event handler failed",
        {
          eventType: event.eventType,
          uuid: event.uuid,
          eventId: delivery.eventId,
          error: "async failure",
        },
      ],
    ]);
  });

  it("tolerates nulls, missing sub-objects, unknown keys and both IP chain placements", async () => {
    const { receiver } = setup();
    const seen: DeliveryLogEvent[] = [];
    receiver.onAny((event) => {
      seen.push(event);
    });
    const ip = { ip: "203.0.113.24", geographicalContext: null, version: "V4", source: null };
    const body = JSON.stringify({
      eventType: "com.okta.event_hook",
      eventId: "e1",
      data: {
        events: [
          { uuid: "u1", eventType: "user.lifecycle.create", client: null, newField: { x: 1 } },
          { uuid: "u2", eventType: "user.session.start", request: { ipChain: [ip] } },
          { uuid: "u3", eventType: "user.session.start", client: { ipChain: [ip], zone: "null" } },
        ],
      },
      somethingNew: true,
    });
    expect((await receiver.handle(postOf(body))).status).toBe(200);
    await receiver.idle();
    expect(seen.map((event) => event.uuid)).toEqual(["u1", "u2", "u3"]);
    expect(seen[0]).toMatchObject({ client: null, target: null, device: null, newField: { x: 1 } });
    expect(seen.map((event) => ipChainOf(event).map((hop) => hop.ip))).toEqual([
      [],
      ["203.0.113.24"],
      ["203.0.113.24"],
    ]);
  });

  it("idle() waits for every delivery still being processed", async () => {
    const { receiver } = setup();
    const finished: string[] = [];
    receiver.onAny(async (event) => {
      await new Promise((resolve) => setImmediate(resolve));
      finished.push(event.uuid);
    });
    const a = deliveryOf([buildLogEvent("user.lifecycle.create")]);
    const b = deliveryOf([buildLogEvent("user.lifecycle.create")]);
    await Promise.all([
      receiver.handle(postOf(serializeDelivery(a))),
      receiver.handle(postOf(serializeDelivery(b))),
    ]);
    await receiver.idle();
    expect(finished.sort()).toEqual([a.data.events[0]?.uuid, b.data.events[0]?.uuid].sort());
    await expect(createReceiver().idle()).resolves.toBeUndefined();
  });
});

describe("de-duplication", () => {
  it("skips a delivery seen before and an event seen in an earlier delivery", async () => {
    const { receiver } = setup();
    const seen: string[] = [];
    receiver.onAny((event) => {
      seen.push(event.uuid);
    });
    const [old, fresh] = [
      buildLogEvent("user.lifecycle.create"),
      buildLogEvent("user.lifecycle.activate"),
    ];
    const first = serializeDelivery(deliveryOf([old]));
    await receiver.handle(postOf(first));
    await receiver.handle(postOf(first));
    await receiver.handle(postOf(serializeDelivery(deliveryOf([old, fresh, fresh]))));
    await receiver.idle();
    expect(seen).toEqual([old.uuid, fresh.uuid]);
  });

  it("keeps delivery ids and event uuids apart (prefixed keys)", async () => {
    const store = createMemoryDedupeStore();
    const { receiver } = setup({ dedupe: store });
    const seen: string[] = [];
    receiver.onAny((event) => {
      seen.push(event.uuid);
    });
    const shared = "0d7f3a9e-5b1c-4e2a-9f7d-3c8b6a1e2f40";
    const first = buildLogEvent("user.lifecycle.create", { uuid: shared });
    const second = buildLogEvent("user.lifecycle.activate");
    await receiver.handle(postOf(serializeDelivery(deliveryOf([first]))));
    await receiver.handle(postOf(serializeDelivery(deliveryOf([second], shared))));
    await receiver.idle();
    expect(seen).toEqual([shared, second.uuid]);
    expect(store.has(`event:${shared}`)).toBe(true);
    expect(store.has(`delivery:${shared}`)).toBe(true);
  });

  it("dispatches every time when dedupe is false", async () => {
    const { receiver } = setup({ dedupe: false });
    let calls = 0;
    receiver.onAny(() => {
      calls += 1;
    });
    const body = serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]));
    await receiver.handle(postOf(body));
    await receiver.handle(postOf(body));
    await receiver.idle();
    expect(calls).toBe(2);
  });

  it("works with an async store", async () => {
    const memory = createMemoryDedupeStore();
    const store: DedupeStore = {
      claim: async (key) => memory.claim(key),
      release: async (key) => memory.release(key),
    };
    const { receiver } = setup({ dedupe: store });
    let calls = 0;
    receiver.onAny(() => {
      calls += 1;
    });
    const body = serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]));
    await receiver.handle(postOf(body));
    await receiver.handle(postOf(body));
    await receiver.idle();
    expect(calls).toBe(1);
  });

  it("releases the keys of failed events (not the others) so a redelivery runs them again", async () => {
    const store = createMemoryDedupeStore();
    const { receiver } = setup({ dedupe: store });
    const runs: string[] = [];
    let failNext = true;
    receiver.on("user.lifecycle.create", (event) => {
      runs.push(event.eventType);
      if (failNext) {
        failNext = false;
        throw new Error("transient");
      }
    });
    receiver.on("user.lifecycle.activate", (event) => {
      runs.push(event.eventType);
    });
    const delivery = deliveryOf([
      buildLogEvent("user.lifecycle.create"),
      buildLogEvent("user.lifecycle.activate"),
    ]);
    const body = serializeDelivery(delivery);
    await receiver.handle(postOf(body));
    await receiver.idle();
    expect(store.has(`delivery:${delivery.eventId}`)).toBe(false);
    await receiver.handle(postOf(body));
    await receiver.idle();
    expect(runs).toEqual([
      "user.lifecycle.create",
      "user.lifecycle.activate",
      "user.lifecycle.create",
    ]);
    expect(store.has(`delivery:${delivery.eventId}`)).toBe(true);
  });

  it("answers 500 and releases what it claimed when the store fails", async () => {
    const memory = createMemoryDedupeStore();
    let claims = 0;
    const store: DedupeStore = {
      claim(key) {
        claims += 1;
        if (claims === 2) throw new Error("redis down");
        return memory.claim(key);
      },
      release: (key) => memory.release(key),
    };
    const { receiver, logger } = setup({ dedupe: store });
    const delivery = deliveryOf([buildLogEvent("user.lifecycle.create")]);
    const response = await receiver.handle(postOf(serializeDelivery(delivery)));
    expect(response.status).toBe(500);
    expect(errorOf(response).error).toBe("internal_error");
    expect(memory.size).toBe(0);
    expect(logger.records.at(-1)).toMatchObject({
      level: "error",
      fields: { error: "redis down" },
    });
  });
});

describe("awaitHandlers", () => {
  it("answers 500 on failure and only re-runs the failed events on the retry", async () => {
    const { receiver } = setup({ awaitHandlers: true });
    const runs: string[] = [];
    let fail = true;
    receiver.onAny((event) => {
      runs.push(event.eventType);
      if (event.eventType === "user.lifecycle.activate" && fail) throw new Error("once");
    });
    const body = serializeDelivery(
      deliveryOf([
        buildLogEvent("user.lifecycle.create"),
        buildLogEvent("user.lifecycle.activate"),
      ]),
    );
    const first = await receiver.handle(postOf(body));
    expect(first.status).toBe(500);
    expect(errorOf(first)).toEqual({
      error: "handler_failed",
      message: "1 of 2 events failed; Okta will retry the delivery",
    });
    fail = false;
    expect((await receiver.handle(postOf(body))).status).toBe(200);
    expect(runs).toEqual([
      "user.lifecycle.create",
      "user.lifecycle.activate",
      "user.lifecycle.activate",
    ]);
  });

  it("answers 200 after ackTimeoutMs and warns, while the handler finishes", async () => {
    const { receiver, logger } = setup({ awaitHandlers: true, ackTimeoutMs: 0 });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = false;
    receiver.onAny(async () => {
      await gate;
      finished = true;
    });
    const response = await receiver.handle(
      postOf(serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]))),
    );
    expect(response.status).toBe(200);
    expect(finished).toBe(false);
    expect(logger.records.find((record) => record.level === "warn")?.fields).toMatchObject({
      ackTimeoutMs: 0,
    });
    release();
    await receiver.idle();
    expect(finished).toBe(true);
  });
});

describe("robustness", () => {
  it("survives a logger that throws while reporting a failed handler", async () => {
    let calls = 0;
    const throwingLogger = {
      debug() {},
      info() {},
      warn() {},
      error() {
        calls += 1;
        throw new Error("logger down");
      },
    };
    const receiver = createReceiver({ logger: throwingLogger });
    receiver.onAny(() => {
      throw new Error("handler down");
    });
    const body = serializeDelivery(deliveryOf([buildLogEvent("user.lifecycle.create")]));
    expect((await receiver.handle(postOf(body))).status).toBe(200);
    await receiver.idle();
    expect(calls).toBe(2);
  });
});
