/**
 * Capture store contract, part 1: what goes in comes out byte for byte, bad input is refused,
 * updates merge, deletes delete. Run through `runCaptureStoreContract` (capture-store.case.ts).
 * Not part of the build (`*.case.ts`).
 */
import { describe, expect, it } from "vitest";
import {
  ALL_BYTES,
  body,
  expectCode,
  makeExchange,
  type OpenStore,
  sampleResponse,
  T0,
} from "./exchange-samples.case.js";
import type { Exchange } from "./types.js";

/**
 * The write half of the capture store contract: round trips, validation, update, delete.
 */
export function describeWriteContract(store: OpenStore): void {
  describe("round trip", () => {
    it("returns binary bodies and raw headers byte for byte (order, case, repeats)", () => {
      const s = store();
      const x = makeExchange();
      s.insert(x);
      const got = s.get(x.id);
      expect(got).toEqual(x);
      expect(got?.request.body.bytes).toEqual(ALL_BYTES);
      expect(got?.request.rawHeaders.map(([n]) => n)).toEqual([
        "Host",
        "Content-Type",
        "X-Dup",
        "x-dup",
        "X-Latin1",
        "X-Unicode",
        "x-empty",
      ]);
      expect(got?.response?.rawHeaders).toEqual(x.response?.rawHeaders);
    });

    it("reads bodies back as plain Uint8Array, also when Buffers went in", () => {
      const s = store();
      const x = makeExchange({
        request: { ...makeExchange().request, body: body(Buffer.from([1, 2, 3])) },
      });
      s.insert(x);
      const got = s.get(x.id);
      expect(Object.getPrototypeOf(got?.request.body.bytes)).toBe(Uint8Array.prototype);
      expect(got?.request.body.bytes).toEqual(new Uint8Array([1, 2, 3]));
    });

    it("keeps nulls, empty bodies, float timings and every origin", () => {
      const s = store();
      const base = makeExchange();
      const x = makeExchange({
        origin: "replay",
        remoteAddress: null,
        parentId: base.id,
        queueId: "q_1",
        request: { ...base.request, rawHeaders: [], body: body(new Uint8Array(0)) },
        response: null,
        error: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:3000" },
        timing: { receivedAt: T0 + 0.001, forwardedAt: null, firstByteAt: null, doneAt: null },
      });
      s.insert(x);
      expect(s.get(x.id)).toEqual(x);
      for (const origin of ["live", "queued", "blocked", "edge", "emulator"] as const) {
        const y = makeExchange({ origin, response: sampleResponse({ statusMessage: null }) });
        s.insert(y);
        expect(s.get(y.id)).toEqual(y);
      }
    });

    it("returns the exchange as stored from insert", () => {
      const s = store({ bodyLimitBytes: 4 });
      const stored = s.insert(makeExchange());
      expect(stored.request.body).toEqual({
        bytes: ALL_BYTES.subarray(0, 4),
        size: 512,
        truncated: true,
      });
      expect(s.get(stored.id)).toEqual(stored);
    });

    it("shares nothing with the caller: mutating input or output leaves the store as it was", () => {
      const s = store();
      const x = makeExchange({
        request: { ...makeExchange().request, body: body(new Uint8Array([7, 7])) },
      });
      s.insert(x);
      x.request.body.bytes[0] = 0;
      x.request.rawHeaders[0] = ["Host", "evil"];
      const got = s.get(x.id);
      expect(got?.request.body.bytes).toEqual(new Uint8Array([7, 7]));
      expect(got?.request.rawHeaders[0]).toEqual(["Host", "relay.example"]);
      if (got) got.request.body.bytes[1] = 0;
      expect(s.get(x.id)?.request.body.bytes).toEqual(new Uint8Array([7, 7]));
    });

    it("ignores unknown fields", () => {
      const s = store();
      const x = makeExchange();
      s.insert({ ...x, extra: "dropped" } as Exchange);
      expect(s.get(x.id)).toEqual(x);
    });
  });

  describe("insert validation", () => {
    it("refuses a duplicate id and keeps the first", () => {
      const s = store();
      const x = makeExchange();
      s.insert(x);
      expectCode(() => s.insert({ ...x, endpoint: "other" }), "duplicate_id");
      expect(s.get(x.id)?.endpoint).toBe("my-hooks");
      expect(s.count()).toBe(1);
    });

    const base = makeExchange();
    const bad: [string, unknown, string][] = [
      ["not an object", "x", "exchange"],
      ["empty id", { ...base, id: "" }, "id"],
      ["unknown origin", { ...base, origin: "carrier-pigeon" }, "origin"],
      [
        "headers as a map",
        { ...base, request: { ...base.request, rawHeaders: { a: "b" } } },
        "request.rawHeaders",
      ],
      [
        "a header triple",
        { ...base, request: { ...base.request, rawHeaders: [["a", "b", "c"]] } },
        "request.rawHeaders[0]",
      ],
      [
        "a numeric header value",
        { ...base, request: { ...base.request, rawHeaders: [["a", 1]] } },
        "request.rawHeaders[0][1]",
      ],
      [
        "a string body",
        {
          ...base,
          request: { ...base.request, body: { bytes: "hi", size: 2, truncated: false } },
        },
        "request.body.bytes",
      ],
      [
        "size below bytes",
        {
          ...base,
          request: {
            ...base.request,
            body: { bytes: new Uint8Array(3), size: 2, truncated: false },
          },
        },
        "request.body.size",
      ],
      [
        "truncated not matching size",
        {
          ...base,
          request: {
            ...base.request,
            body: { bytes: new Uint8Array(3), size: 9, truncated: false },
          },
        },
        "request.body.truncated",
      ],
      [
        "a status of 42",
        { ...base, response: { ...base.response, status: 42 } },
        "response.status",
      ],
      ["a missing response", { ...base, response: undefined }, "response"],
      ["a NaN time", { ...base, timing: { ...base.timing, doneAt: Number.NaN } }, "timing.doneAt"],
      ["an error without code", { ...base, error: { message: "x" } }, "error.code"],
    ];
    it.each(bad)("refuses %s (invalid_exchange naming the field)", (_, value, field) => {
      const s = store();
      expectCode(() => s.insert(value as Exchange), "invalid_exchange", field);
      expect(s.count()).toBe(0);
    });
  });

  describe("update", () => {
    it("adds the response and merges timing field by field", () => {
      const s = store();
      const x = makeExchange({
        response: null,
        timing: { receivedAt: T0, forwardedAt: T0 + 1, firstByteAt: null, doneAt: null },
      });
      s.insert(x);
      const response = sampleResponse();
      const updated = s.update(x.id, { response, timing: { firstByteAt: T0 + 5.5 } });
      const expected = { ...x, response, timing: { ...x.timing, firstByteAt: T0 + 5.5 } };
      expect(updated).toEqual(expected);
      expect(s.get(x.id)).toEqual(expected);
      s.update(x.id, { timing: { doneAt: T0 + 9 } });
      expect(s.get(x.id)?.timing).toEqual({
        receivedAt: T0,
        forwardedAt: T0 + 1,
        firstByteAt: T0 + 5.5,
        doneAt: T0 + 9,
      });
      expect(s.get(x.id)?.response).toEqual(response);
    });

    it("fills in the request body after the head, keeping the response", () => {
      const s = store();
      const x = makeExchange({
        request: { ...makeExchange().request, body: body(new Uint8Array(0)) },
      });
      s.insert(x);
      s.update(x.id, { request: { ...x.request, body: body(ALL_BYTES) } });
      const got = s.get(x.id);
      expect(got?.request.body.bytes).toEqual(ALL_BYTES);
      expect(got?.response).toEqual(x.response);
    });

    it("sets error, remoteAddress and queueId, and can reset the response to null", () => {
      const s = store();
      const x = makeExchange();
      s.insert(x);
      const error = { code: "ETIMEDOUT", message: "upstream took longer than 3000 ms" };
      s.update(x.id, { response: null, error, remoteAddress: null, queueId: "q_9" });
      expect(s.get(x.id)).toEqual({
        ...x,
        response: null,
        error,
        remoteAddress: null,
        queueId: "q_9",
      });
    });

    it("cuts patched bodies to the body limit", () => {
      const s = store({ bodyLimitBytes: 3 });
      const x = makeExchange({ response: null });
      s.insert(x);
      s.update(x.id, {
        response: { status: 201, statusMessage: null, rawHeaders: [], body: body("hello") },
      });
      expect(s.get(x.id)?.response?.body).toEqual({
        bytes: new TextEncoder().encode("hel"),
        size: 5,
        truncated: true,
      });
    });

    it("returns null for an unknown id and changes nothing", () => {
      const s = store();
      s.insert(makeExchange());
      expect(s.update("01NOPE", { timing: { doneAt: 1 } })).toBeNull();
      expect(s.count()).toBe(1);
    });

    it.each([
      ["id", { id: "x" }, "patch.id"],
      ["endpoint", { endpoint: "x" }, "patch.endpoint"],
      ["origin", { origin: "replay" }, "patch.origin"],
      ["timing.receivedAt", { timing: { receivedAt: 1 } }, "patch.timing.receivedAt"],
      ["a bad response", { response: { status: "200" } }, "patch.response.status"],
    ])("refuses to change %s (invalid_exchange)", (_, patch, field) => {
      const s = store();
      const x = makeExchange();
      s.insert(x);
      expectCode(() => s.update(x.id, patch as never), "invalid_exchange", field);
      expect(s.get(x.id)).toEqual(x);
    });
  });

  describe("get and delete", () => {
    it("get of an unknown id is null, delete of an unknown id is false", () => {
      const s = store();
      expect(s.get("01HZZZZZZZZZZZZZZZZZZZZZZZ")).toBeNull();
      expect(s.delete("01HZZZZZZZZZZZZZZZZZZZZZZZ")).toBe(false);
    });

    it("delete removes one exchange and returns true once", () => {
      const s = store();
      const a = s.insert(makeExchange());
      const b = s.insert(makeExchange());
      expect(s.delete(a.id)).toBe(true);
      expect(s.delete(a.id)).toBe(false);
      expect(s.get(a.id)).toBeNull();
      expect(s.get(b.id)).toEqual(b);
      expect(s.count()).toBe(1);
    });

    it("clear removes everything, and the store takes inserts again", () => {
      const s = store();
      for (let i = 0; i < 5; i++) s.insert(makeExchange());
      s.clear();
      expect(s.count()).toBe(0);
      expect(s.stats()).toEqual({ count: 0, bytes: 0 });
      expect(s.list().items).toEqual([]);
      const x = s.insert(makeExchange());
      expect(s.list().items.map((i) => i.id)).toEqual([x.id]);
    });
  });
}
