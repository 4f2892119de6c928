/**
 * The contract every receiver adapter must meet, written once and run against node:http,
 * Express, Fastify and Hono (one *.test.ts per adapter), each on a real socket.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../../src/log/index.js";
import type { DeliveryLogEvent } from "../../../src/okta/index.js";
import type { Receiver, ReceiverOptions } from "../../../src/receiver/index.js";
import { createReceiver } from "../../../src/receiver/index.js";
import { createDeferred } from "../../helpers/receiver-deferred.js";
import {
  envelopeOf,
  loadAlbCaptures,
  loadSnsCaptures,
  syntheticDelivery,
  userAlternateIdOf,
} from "../../helpers/receiver-fixtures.js";
import {
  exchangeRaw,
  exchangeWithoutEnding,
  expectJsonError,
} from "../../helpers/receiver-http.js";

/** A running server with a receiver mounted at `url`. */
export interface ReceiverServer {
  /** Full URL of the receiver endpoint, e.g. `http://127.0.0.1:51234/okta/events`. */
  url: string;
  close(): Promise<void>;
}

/** Starts the framework under test on 127.0.0.1:0 with `receiver` mounted. */
export type StartReceiverServer = (receiver: Receiver) => Promise<ReceiverServer>;

const SECRET = "Basic YWRtaW46c3VwZXJzZWNyZXQ=";
const TEN_MIB = 10 * 1024 * 1024;
// A server that waits for a body that never comes hangs: this bound turns the hang into a failure.
const HEAD_ONLY_TIMEOUT_MS = 5_000;

/** What each real capture must dispatch; a new alb-*.json fails until it is listed here. */
const EXPECTED_ALB: Record<string, { eventType: string; uuid: string; alternateId: string }> = {
  "alb-event-user-lifecycle-create": {
    eventType: "user.lifecycle.create",
    uuid: "9191ef7a-f669-11e9-b9b3-fd3a55cb1b10",
    alternateId: "ironman@stark.com",
  },
  "alb-event-user-lifecycle-delete": {
    eventType: "user.lifecycle.delete.initiated",
    uuid: "4b9e1d8f-f684-11e9-ad48-d37548da8f9c",
    alternateId: "tony.stark@avengers.org",
  },
  "alb-event-user-update-profile": {
    eventType: "user.account.update_profile",
    uuid: "04b1f1d4-4bbf-11ec-82ee-e73dada86765",
    alternateId: "thor.odinson@avengers.org",
  },
};

const EXPECTED_SNS: Record<string, { eventType: string; uuid: string; alternateId: string }> = {
  "sns-user-account-update-profile": {
    eventType: "user.account.update_profile",
    uuid: "69d47726-f9b1-11e9-b9b3-fd3a55cb1b10",
    alternateId: "ronin@avengers.org",
  },
  "sns-user-lifecycle-create": {
    eventType: "user.lifecycle.create",
    uuid: "b5a27583-f66a-11e9-a361-bda85973de4a",
    alternateId: "bruce.banner@avengers.org",
  },
  // The captured deactivate/reactivate events carry the create event's uuid (as captured).
  "sns-user-lifecycle-deactivate": {
    eventType: "user.lifecycle.deactivate",
    uuid: "b5a27583-f66a-11e9-a361-bda85973de4a",
    alternateId: "bruce.banner@avengers.org",
  },
  "sns-user-lifecycle-reactivate": {
    eventType: "user.lifecycle.reactivate",
    uuid: "b5a27583-f66a-11e9-a361-bda85973de4a",
    alternateId: "bruce.banner@avengers.org",
  },
};

interface Seen {
  eventType: string;
  uuid: string;
  alternateId: string | null | undefined;
}

function seenOf(event: DeliveryLogEvent): Seen {
  return { eventType: event.eventType, uuid: event.uuid, alternateId: userAlternateIdOf(event) };
}

const jsonHeaders = { authorization: SECRET, "content-type": "application/json" };

function post(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = jsonHeaders,
) {
  return fetch(url, { method: "POST", headers, body });
}

/**
 * Runs the receiver contract against one adapter.
 *
 * @example
 * runReceiverContract("node:http", startNodeServer);
 */
export function runReceiverContract(name: string, startServer: StartReceiverServer): void {
  describe(`receiver contract: ${name}`, () => {
    let server: ReceiverServer | undefined;

    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    async function start(options: ReceiverOptions = {}) {
      const logger = createMemoryLogger();
      const receiver = createReceiver({
        auth: { name: "authorization", value: SECRET },
        logger,
        ...options,
      });
      server = await startServer(receiver);
      return { receiver, logger, url: server.url };
    }

    /** A fresh valid delivery still gets 200 and is dispatched. */
    async function expectStillServing(receiver: Receiver, url: string): Promise<void> {
      const dispatched = createDeferred<string>();
      receiver.onAny((event) => dispatched.resolve(event.uuid));
      const delivery = syntheticDelivery(["user.lifecycle.activate"]);
      const response = await post(url, delivery.body);
      expect(response.status).toBe(200);
      await expect(dispatched.promise).resolves.toBe(delivery.events[0]?.uuid);
    }

    describe("real Okta captures", () => {
      it("has an expectation for every alb-*.json capture", () => {
        expect(loadAlbCaptures().map((capture) => capture.name)).toEqual(
          Object.keys(EXPECTED_ALB).sort(),
        );
      });

      for (const capture of loadAlbCaptures()) {
        it(`${capture.name}: sent byte for byte with its headers → 200, event dispatched`, async () => {
          const expected = EXPECTED_ALB[capture.name];
          if (expected === undefined) throw new Error(`no expectation for ${capture.name}`);
          const { receiver, url } = await start({
            auth: { name: "authorization", value: capture.authorization },
          });
          const seen: (Seen & { body: string; index: number })[] = [];
          receiver.on(expected.eventType, (event, context) => {
            seen.push({
              ...seenOf(event),
              body: Buffer.from(context.request.body).toString("utf8"),
              index: context.index,
            });
          });

          const response = await fetch(url, {
            method: capture.method,
            headers: capture.headers,
            body: capture.body,
          });

          expect(response.status).toBe(200);
          expect(await response.text()).toBe("");
          await receiver.idle();
          expect(seen).toEqual([{ ...expected, body: capture.body, index: 0 }]);
        });
      }

      for (const capture of loadSnsCaptures()) {
        it(`${capture.name}: the LogEvent in an envelope → 200, typed event dispatched`, async () => {
          const expected = EXPECTED_SNS[capture.name];
          if (expected === undefined) throw new Error(`no expectation for ${capture.name}`);
          const { receiver, url } = await start();
          const seen: Seen[] = [];
          receiver.on(expected.eventType, (event) => {
            seen.push(seenOf(event));
          });

          const response = await post(url, envelopeOf([capture.eventJson], crypto.randomUUID()));

          expect(response.status).toBe(200);
          await receiver.idle();
          expect(seen).toEqual([expected]);
        });
      }
    });

    describe("verification", () => {
      const challenge = 'Xz8"q\\uY/ 9<é>';

      it("answers the challenge with the auth header: 200 application/json, escaped JSON", async () => {
        const { url } = await start();
        const response = await fetch(url, {
          headers: { authorization: SECRET, "x-okta-verification-challenge": challenge },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("application/json");
        const text = await response.text();
        expect(text).toBe(JSON.stringify({ verification: challenge }));
        expect(JSON.parse(text)).toEqual({ verification: challenge });
      });

      it("refuses the challenge without the auth header (401), then keeps serving", async () => {
        const { receiver, url } = await start();
        const response = await fetch(url, { headers: { "x-okta-verification-challenge": "abc" } });
        await expectJsonError(response, 401, "unauthorized");
        await expectStillServing(receiver, url);
      });

      it("answers the challenge without auth when authOnVerification is false", async () => {
        const { url } = await start({ authOnVerification: false });
        const response = await fetch(url, { headers: { "x-okta-verification-challenge": "abc" } });
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('{"verification":"abc"}');
      });

      it("answers a GET without the challenge header with 400, then keeps serving", async () => {
        const { receiver, url } = await start();
        const response = await fetch(url, { headers: { authorization: SECRET } });
        await expectJsonError(response, 400, "missing_challenge");
        await expectStillServing(receiver, url);
      });
    });

    describe("authentication", () => {
      it("rejects a wrong auth value with 401, then keeps serving", async () => {
        const { receiver, url } = await start();
        const wrong = { ...jsonHeaders, authorization: `${SECRET}x` };
        const response = await post(url, syntheticDelivery(["user.lifecycle.create"]).body, wrong);
        await expectJsonError(response, 401, "unauthorized");
        await expectStillServing(receiver, url);
      });

      it("rejects a delivery without the auth header with 401, then keeps serving", async () => {
        const { receiver, url } = await start();
        const response = await post(url, syntheticDelivery(["user.lifecycle.create"]).body, {
          "content-type": "application/json",
        });
        await expectJsonError(response, 401, "unauthorized");
        await expectStillServing(receiver, url);
      });

      it("rejects a repeated auth header with 401, even when both copies are right", async () => {
        const { receiver, url } = await start();
        const response = await exchangeRaw(
          url,
          "POST",
          { authorization: [SECRET, SECRET], "content-type": "application/json" },
          syntheticDelivery(["user.lifecycle.create"]).body,
        );
        expect(response.status).toBe(401);
        expect(JSON.parse(response.body)).toMatchObject({ error: "unauthorized" });
        await expectStillServing(receiver, url);
      });
    });

    describe("requests refused from their head alone, before any body byte", () => {
      for (const declared of [1_000_000, 10_000_000]) {
        it(
          `a POST with a wrong auth header declaring ${declared} bytes → 401 without its body`,
          async () => {
            const { receiver, url } = await start();
            const response = await exchangeWithoutEnding(
              url,
              {
                authorization: `${SECRET}x`,
                "content-type": "application/json",
                "content-length": String(declared),
              },
              0,
              "POST",
            );
            expect(response.status).toBe(401);
            expect(JSON.parse(response.body)).toMatchObject({ error: "unauthorized" });
            await expectStillServing(receiver, url);
          },
          HEAD_ONLY_TIMEOUT_MS,
        );
      }

      it(
        "a POST without the auth header declaring a body → 401 without its body",
        async () => {
          const { receiver, url } = await start();
          const response = await exchangeWithoutEnding(
            url,
            {
              "content-type": "application/json",
              "content-length": "1000000",
            },
            0,
            "POST",
          );
          expect(response.status).toBe(401);
          expect(JSON.parse(response.body)).toMatchObject({ error: "unauthorized" });
          await expectStillServing(receiver, url);
        },
        HEAD_ONLY_TIMEOUT_MS,
      );

      it(
        "a verification GET with a wrong auth header declaring a body → 401 without it",
        async () => {
          const { receiver, url } = await start();
          const response = await exchangeWithoutEnding(
            url,
            {
              authorization: `${SECRET}x`,
              "x-okta-verification-challenge": "abc",
              "content-length": "1000000",
            },
            0,
            "GET",
          );
          expect(response.status).toBe(401);
          expect(JSON.parse(response.body)).toMatchObject({ error: "unauthorized" });
          await expectStillServing(receiver, url);
        },
        HEAD_ONLY_TIMEOUT_MS,
      );

      it(
        "a verification GET declaring a body is answered without it",
        async () => {
          const { receiver, url } = await start();
          const response = await exchangeWithoutEnding(
            url,
            {
              authorization: SECRET,
              "x-okta-verification-challenge": "abc",
              "content-length": "1000000",
            },
            0,
            "GET",
          );
          expect(response.status).toBe(200);
          expect(response.body).toBe('{"verification":"abc"}');
          await expectStillServing(receiver, url);
        },
        HEAD_ONLY_TIMEOUT_MS,
      );

      it(
        "a PUT declaring a body → 405 without it",
        async () => {
          const { receiver, url } = await start();
          const response = await exchangeWithoutEnding(
            url,
            {
              authorization: SECRET,
              "content-length": "1000000",
            },
            0,
            "PUT",
          );
          expect(response.status).toBe(405);
          expect(response.headers.allow).toBe("GET, POST");
          await expectStillServing(receiver, url);
        },
        HEAD_ONLY_TIMEOUT_MS,
      );

      it("a 10 MB body sent whole with a wrong auth header → 401, the answer not lost", async () => {
        const { receiver, url } = await start();
        const wrong = { ...jsonHeaders, authorization: `${SECRET}x` };
        await expectJsonError(
          await post(url, Buffer.alloc(TEN_MIB, 0x20), wrong),
          401,
          "unauthorized",
        );
        await expectStillServing(receiver, url);
      });
    });

    describe("bad requests get a 4xx JSON error and the server keeps serving", () => {
      it("malformed JSON → 400 invalid_json", async () => {
        const { receiver, url } = await start();
        await expectJsonError(await post(url, '{"eventType":'), 400, "invalid_json");
        await expectStillServing(receiver, url);
      });

      it("invalid UTF-8 → 400 invalid_encoding", async () => {
        const { receiver, url } = await start();
        const bytes = Buffer.from(syntheticDelivery(["user.lifecycle.create"]).body, "utf8");
        const broken = Buffer.concat([
          bytes.subarray(0, 20),
          Buffer.from([0xc3, 0x28]),
          bytes.subarray(20),
        ]);
        await expectJsonError(await post(url, broken), 400, "invalid_encoding");
        await expectStillServing(receiver, url);
      });

      it("wrong envelope eventType → 400 invalid_delivery naming the field", async () => {
        const { receiver, url } = await start();
        const body = syntheticDelivery(["user.lifecycle.create"]).body.replace(
          '"com.okta.event_hook"',
          '"com.example.hook"',
        );
        const message = await expectJsonError(await post(url, body), 400, "invalid_delivery");
        expect(message).toBe('eventType must be "com.okta.event_hook", got "com.example.hook"');
        await expectStillServing(receiver, url);
      });

      it("empty data.events → 400 invalid_delivery", async () => {
        const { receiver, url } = await start();
        const message = await expectJsonError(
          await post(url, envelopeOf([], crypto.randomUUID())),
          400,
          "invalid_delivery",
        );
        expect(message).toBe("data.events must be a non-empty array");
        await expectStillServing(receiver, url);
      });

      it("a 10 MB body → 413 payload_too_large", async () => {
        const { receiver, url } = await start();
        await expectJsonError(
          await post(url, Buffer.alloc(TEN_MIB, 0x20)),
          413,
          "payload_too_large",
        );
        await expectStillServing(receiver, url);
      });

      it("a declared 10 MB body is refused before it is sent", async () => {
        const { receiver, url } = await start();
        const response = await exchangeWithoutEnding(
          url,
          { ...jsonHeaders, "content-length": String(TEN_MIB) },
          0,
        );
        expect(response.status).toBe(413);
        expect(JSON.parse(response.body)).toMatchObject({ error: "payload_too_large" });
        await expectStillServing(receiver, url);
      });

      it("a chunked body growing past the limit is refused before it ends", async () => {
        const { receiver, url } = await start({ maxBodyBytes: 256 * 1024 });
        const response = await exchangeWithoutEnding(
          url,
          { ...jsonHeaders, "transfer-encoding": "chunked" },
          TEN_MIB,
        );
        expect(response.status).toBe(413);
        expect(JSON.parse(response.body)).toMatchObject({ error: "payload_too_large" });
        await expectStillServing(receiver, url);
      });

      for (const method of ["PUT", "PATCH", "DELETE", "OPTIONS"]) {
        it(`${method} → 405 with allow: GET, POST`, async () => {
          const { receiver, url } = await start();
          const response = await fetch(url, { method, headers: { authorization: SECRET } });
          expect(response.headers.get("allow")).toBe("GET, POST");
          await expectJsonError(response, 405, "method_not_allowed");
          await expectStillServing(receiver, url);
        });
      }

      it("HEAD → 405 with allow: GET, POST", async () => {
        const { receiver, url } = await start();
        const response = await fetch(url, { method: "HEAD", headers: { authorization: SECRET } });
        expect(response.status).toBe(405);
        expect(response.headers.get("allow")).toBe("GET, POST");
        await expectStillServing(receiver, url);
      });
    });

    describe("content type", () => {
      it("accepts a valid delivery whatever its content-type (or none)", async () => {
        const { receiver, url } = await start();
        const uuids: string[] = [];
        receiver.onAny((event) => {
          uuids.push(event.uuid);
        });
        const plain = syntheticDelivery(["user.lifecycle.create"]);
        const none = syntheticDelivery(["user.lifecycle.create"]);
        const asText = await post(url, plain.body, {
          ...jsonHeaders,
          "content-type": "text/plain",
        });
        const bare = await exchangeRaw(url, "POST", { authorization: SECRET }, none.body);
        expect(asText.status).toBe(200);
        expect(bare.status).toBe(200);
        await receiver.idle();
        expect(uuids.sort()).toEqual([plain.events[0]?.uuid, none.events[0]?.uuid].sort());
      });
    });

    describe("handlers", () => {
      it("acknowledges before the handlers run (default)", async () => {
        const { receiver, url } = await start();
        const gate = createDeferred();
        let finished = false;
        receiver.on("user.lifecycle.create", async () => {
          await gate.promise;
          finished = true;
        });
        const response = await post(url, syntheticDelivery(["user.lifecycle.create"]).body);
        expect(response.status).toBe(200);
        expect(finished).toBe(false);
        gate.resolve();
        await receiver.idle();
        expect(finished).toBe(true);
      });

      it("logs a throwing handler (sync and async) and keeps serving", async () => {
        const { receiver, logger, url } = await start();
        receiver.on("user.lifecycle.create", () => {
          throw new Error("sync boom");
        });
        receiver.on("user.lifecycle.deactivate", async () => {
          throw new Error("async boom");
        });
        const delivery = syntheticDelivery(["user.lifecycle.create", "user.lifecycle.deactivate"]);
        expect((await post(url, delivery.body)).status).toBe(200);
        await receiver.idle();
        const errors = logger.records.filter((record) => record.level === "error");
        expect(errors.map((record) => record.fields)).toEqual([
          expect.objectContaining({
            eventType: "user.lifecycle.create",
            uuid: delivery.events[0]?.uuid,
            error: "sync boom",
          }),
          expect.objectContaining({
            eventType: "user.lifecycle.deactivate",
            uuid: delivery.events[1]?.uuid,
            error: "async boom",
          }),
        ]);
        await expectStillServing(receiver, url);
      });
    });

    describe("de-duplication", () => {
      it("skips a delivery whose eventId was seen before", async () => {
        const { receiver, url } = await start();
        let calls = 0;
        receiver.on("user.lifecycle.create", () => {
          calls += 1;
        });
        const { body } = syntheticDelivery(["user.lifecycle.create"]);
        expect((await post(url, body)).status).toBe(200);
        expect((await post(url, body)).status).toBe(200);
        await receiver.idle();
        expect(calls).toBe(1);
      });

      it("skips an event whose uuid was seen in an earlier delivery", async () => {
        const { receiver, url } = await start();
        const seen: string[] = [];
        receiver.onAny((event) => {
          seen.push(event.uuid);
        });
        const first = syntheticDelivery(["user.lifecycle.create"]);
        const fresh = syntheticDelivery(["user.lifecycle.activate"]);
        const [oldEvent, newEvent] = [first.events[0], fresh.events[0]];
        const resent = envelopeOf(
          [JSON.stringify(oldEvent), JSON.stringify(newEvent)],
          crypto.randomUUID(),
        );
        expect((await post(url, first.body)).status).toBe(200);
        expect((await post(url, resent)).status).toBe(200);
        await receiver.idle();
        expect(seen).toEqual([oldEvent?.uuid, newEvent?.uuid]);
      });
    });

    describe("awaitHandlers", () => {
      it("answers 200 only after the handlers succeeded", async () => {
        const { receiver, url } = await start({ awaitHandlers: true });
        let finished = false;
        receiver.on("user.lifecycle.create", async () => {
          await Promise.resolve();
          finished = true;
        });
        const response = await post(url, syntheticDelivery(["user.lifecycle.create"]).body);
        expect(response.status).toBe(200);
        expect(finished).toBe(true);
      });

      it("answers 500 when a handler throws, then processes Okta's retry", async () => {
        const { receiver, url } = await start({ awaitHandlers: true });
        const attempts: string[] = [];
        receiver.on("user.lifecycle.create", (event) => {
          attempts.push(event.uuid);
          if (attempts.length === 1) throw new Error("database down");
        });
        const { body, events } = syntheticDelivery(["user.lifecycle.create"]);
        await expectJsonError(await post(url, body), 500, "handler_failed");
        const retry = await post(url, body);
        expect(retry.status).toBe(200);
        expect(await retry.text()).toBe("");
        expect(attempts).toEqual([events[0]?.uuid, events[0]?.uuid]);
      });

      it("answers 200 after ackTimeoutMs while a handler still runs, and lets it finish", async () => {
        const { receiver, logger, url } = await start({ awaitHandlers: true, ackTimeoutMs: 50 });
        const gate = createDeferred();
        let finished = false;
        receiver.on("user.lifecycle.create", async () => {
          await gate.promise;
          finished = true;
        });
        const response = await post(url, syntheticDelivery(["user.lifecycle.create"]).body);
        expect(response.status).toBe(200);
        expect(finished).toBe(false);
        expect(logger.records.some((record) => record.level === "warn")).toBe(true);
        gate.resolve();
        await receiver.idle();
        expect(finished).toBe(true);
      });
    });
  });
}
