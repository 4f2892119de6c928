/**
 * Capture store contract, part 3: the filters of `list` (method, path, status, duration,
 * origin, header, Okta event type, target user, full text, parent), alone, combined and with
 * paging; the index following inserts, updates and deletes; bad filters refused.
 * Run through `runCaptureStoreContract` (capture-store.case.ts). Not part of the build.
 */
import { describe, expect, it } from "vitest";
import { buildDelivery, buildLogEvent, type LogTarget, serializeDelivery } from "../okta/index.js";
import {
  ALL_BYTES,
  body,
  expectCode,
  makeExchange,
  type OpenStore,
  sampleResponse,
  T0,
} from "./exchange-samples.case.js";
import type { CaptureStore, ListQuery } from "./store.js";
import type { Exchange, RawHeaders } from "./types.js";

const HOOK = { hookId: "who8vt36qfNpCGz9H1e6", orgUrl: "https://dev-123456.okta.com" };
const ADMIN = { id: "00uadmin1", type: "User", alternateId: "admin@example.com" };

function user(id: string, alternateId: string): Partial<LogTarget> {
  return { type: "User", id, alternateId, displayName: alternateId.split("@")[0] ?? "" };
}

/** A delivery body with one event per [type, targets] pair. */
function deliveryBody(...events: [string, Partial<LogTarget>[]][]): string {
  return serializeDelivery(
    buildDelivery(
      events.map(([type, target]) => buildLogEvent(type, { target, actor: ADMIN })),
      HOOK,
    ),
  );
}

/** An exchange with a POST of `text`, answered 200 with an empty body unless overridden. */
function posted(text: string, overrides: Partial<Exchange> = {}): Exchange {
  const x = makeExchange({ response: sampleResponse({ body: body("") }), ...overrides });
  return { ...x, request: { ...x.request, method: "POST", body: body(text) } };
}

function withRequest(x: Exchange, request: Partial<Exchange["request"]>): Exchange {
  return { ...x, request: { ...x.request, ...request } };
}

function took(ms: number | null): Exchange["timing"] {
  return {
    receivedAt: T0,
    forwardedAt: T0 + 1,
    firstByteAt: ms === null ? null : T0 + ms,
    doneAt: ms === null ? null : T0 + ms,
  };
}

/** Ids of the first page of `query`, newest first. */
function ids(s: CaptureStore, query: ListQuery): string[] {
  return s.list(query).items.map((x) => x.id);
}

/**
 * The filter half of the capture store contract.
 */
export function describeFilterContract(store: OpenStore): void {
  describe("list filters", () => {
    it("method, case-insensitively", () => {
      const s = store();
      const [get, post, lower] = [
        s.insert(withRequest(makeExchange(), { method: "GET" })).id,
        s.insert(withRequest(makeExchange(), { method: "POST" })).id,
        s.insert(withRequest(makeExchange(), { method: "post" })).id,
      ];
      expect(ids(s, { method: "post" })).toEqual([lower, post]);
      expect(ids(s, { method: "GET" })).toEqual([get]);
      expect(ids(s, { method: "PUT" })).toEqual([]);
    });

    it("path: a prefix of the target's path, never of its query", () => {
      const s = store();
      const targets = ["/okta/events?x=1", "/okta", "/oktaX/y", "/other?next=/okta", "/Okta"];
      const [events, okta, oktaX] = targets.map((target) =>
        s.insert(withRequest(makeExchange(), { target })),
      );
      expect(ids(s, { path: "/okta" })).toEqual([oktaX?.id, okta?.id, events?.id]);
      expect(ids(s, { path: "/okta/" })).toEqual([events?.id]);
      expect(ids(s, { path: "/okta/events" })).toEqual([events?.id]);
    });

    it("status: one code (number or string) or a class; no response never matches", () => {
      const s = store();
      const made = [200, 204, 404, 503, null].map((status) =>
        s.insert(makeExchange({ response: status === null ? null : sampleResponse({ status }) })),
      );
      const [ok, noContent, notFound, unavailable] = made.map((x) => x.id);
      expect(ids(s, { status: 404 })).toEqual([notFound]);
      expect(ids(s, { status: "404" })).toEqual([notFound]);
      expect(ids(s, { status: "2xx" })).toEqual([noContent, ok]);
      expect(ids(s, { status: "5XX" })).toEqual([unavailable]);
      expect(ids(s, { status: "3xx" })).toEqual([]);
    });

    it("duration: doneAt − receivedAt within [min, max]; exchanges in flight never match", () => {
      const s = store();
      const [fast, limit, slow] = [10, 3000, 5000].map(
        (ms) => s.insert(makeExchange({ timing: took(ms) })).id,
      );
      s.insert(makeExchange({ response: null, timing: took(null) }));
      expect(ids(s, { minDurationMs: 3000 })).toEqual([slow, limit]);
      expect(ids(s, { maxDurationMs: 3000 })).toEqual([limit, fast]);
      expect(ids(s, { minDurationMs: 11, maxDurationMs: 4999.5 })).toEqual([limit]);
      expect(ids(s, { minDurationMs: 0 })).toEqual([slow, limit, fast]);
    });

    it("origin and parentId", () => {
      const s = store();
      const original = s.insert(makeExchange()).id;
      const replay = s.insert(makeExchange({ origin: "replay", parentId: original })).id;
      const other = s.insert(makeExchange({ origin: "replay", parentId: "01OTHER" })).id;
      expect(ids(s, { origin: "replay" })).toEqual([other, replay]);
      expect(ids(s, { origin: "live" })).toEqual([original]);
      expect(ids(s, { parentId: original })).toEqual([replay]);
      expect(ids(s, { origin: "emulator" })).toEqual([]);
    });

    it("header: name in any case, value substring in any case, request or response", () => {
      const s = store();
      const reqHeaders: RawHeaders = [
        ["X-Dup", "first"],
        ["x-dup", "Second-Value"],
      ];
      const a = s.insert(withRequest(makeExchange({ response: null }), { rawHeaders: reqHeaders }));
      const b = s.insert(
        withRequest(
          makeExchange({
            response: sampleResponse({
              rawHeaders: [["Content-Type", "application/JSON; charset=utf-8"]],
            }),
          }),
          { rawHeaders: [["Content-Type", "text/plain"]] },
        ),
      );
      expect(ids(s, { header: { name: "x-DUP", value: "second" } })).toEqual([a.id]);
      expect(ids(s, { header: { name: "content-type", value: "json;" } })).toEqual([b.id]);
      expect(ids(s, { header: { name: "X-Dup", value: "" } })).toEqual([a.id]);
      expect(ids(s, { header: { name: "X-Dup", value: "json" } })).toEqual([]);
      expect(ids(s, { header: { name: "content-type", value: "" } })).toEqual([b.id]);
      // The value must be in a header of that name, not in another one.
      expect(ids(s, { header: { name: "Content-Type", value: "first" } })).toEqual([]);
    });

    it("oktaEventType: any event of a delivery, exact", () => {
      const s = store();
      const both = s.insert(
        posted(
          deliveryBody(
            ["user.lifecycle.create", [user("00u1", "a@example.com")]],
            ["group.user_membership.add", [user("00u1", "a@example.com"), { type: "UserGroup" }]],
          ),
        ),
      ).id;
      const session = s.insert(posted(deliveryBody(["user.session.start", []]))).id;
      s.insert(posted('{"eventType":"user.lifecycle.create"}'));
      expect(ids(s, { oktaEventType: "group.user_membership.add" })).toEqual([both]);
      expect(ids(s, { oktaEventType: "user.lifecycle.create" })).toEqual([both]);
      expect(ids(s, { oktaEventType: "user.session.start" })).toEqual([session]);
      expect(ids(s, { oktaEventType: "user.lifecycle" })).toEqual([]);
    });

    it("oktaEventType: also in a delivery the capture truncated", () => {
      const s = store({ bodyLimitBytes: 1200 });
      const text = deliveryBody(["user.lifecycle.deactivate", []]);
      expect(text.length).toBeGreaterThan(1200);
      const x = s.insert(posted(text));
      expect(x.request.body.truncated).toBe(true);
      expect(ids(s, { oktaEventType: "user.lifecycle.deactivate" })).toEqual([x.id]);
    });

    it("targetUser: a User target's id or alternateId, exact and case-insensitive", () => {
      const s = store();
      const jane = s.insert(
        posted(deliveryBody(["user.lifecycle.create", [user("00u1Jane", "Jane.Doe@Example.com")]])),
      ).id;
      const kim = s.insert(
        posted(deliveryBody(["user.lifecycle.create", [user("00u2kim", "kim@example.com")]])),
      ).id;
      expect(ids(s, { targetUser: "jane.doe@example.com" })).toEqual([jane]);
      expect(ids(s, { targetUser: "00U1JANE" })).toEqual([jane]);
      expect(ids(s, { targetUser: "00u2kim" })).toEqual([kim]);
      expect(ids(s, { targetUser: "jane.doe@example" })).toEqual([]);
      // The actor is not a target.
      expect(ids(s, { targetUser: "admin@example.com" })).toEqual([]);
    });

    describe("text", () => {
      function fill(s: CaptureStore): Record<string, string> {
        const request = posted('{"alternateId":"Jane.Doe@Example.com","note":"kim was here"}', {
          response: sampleResponse({ body: body('{"status":"queued for Café Zürich"}') }),
        });
        return {
          both: s.insert(withRequest(request, { target: "/hooks/okta-events?tenant=acme" })).id,
          binary: s.insert(withRequest(posted(""), { body: body(ALL_BYTES) })).id,
          other: s.insert(posted('{"alternateId":"kim@example.com"}')).id,
        };
      }

      it("finds words in sequence, the last one as a prefix, in any case", () => {
        const s = store();
        const x = fill(s);
        for (const text of [
          "jane.doe@exa",
          "doe example",
          "JANE DOE",
          "jan",
          "Jane.Doe@Example.com",
        ]) {
          expect(ids(s, { text }), text).toEqual([x.both]);
        }
        expect(ids(s, { text: "kim" })).toEqual([x.other, x.both]);
        expect(ids(s, { text: "jane kim" })).toEqual([]);
        expect(ids(s, { text: "ane" })).toEqual([]);
      });

      it("searches the response body and the target, without accents", () => {
        const s = store();
        const x = fill(s);
        expect(ids(s, { text: "cafe zurich" })).toEqual([x.both]);
        expect(ids(s, { text: "Café" })).toEqual([x.both]);
        expect(ids(s, { text: "tenant=acme" })).toEqual([x.both]);
        expect(ids(s, { text: "okta-events" })).toEqual([x.both]);
      });

      it("never matches a phrase across the target and a body", () => {
        const s = store();
        fill(s);
        // The target ends with "acme", the request body starts with "alternateId".
        expect(ids(s, { text: "acme alternateid" })).toEqual([]);
        expect(ids(s, { text: "here queued" })).toEqual([]);
      });
    });

    it("combines filters (AND) and pages through the matches", () => {
      const s = store();
      const matching: string[] = [];
      for (let i = 0; i < 12; i++) {
        const hit = i % 3 !== 0;
        const x = s.insert(
          posted(hit ? `{"order":"needle ${i}"}` : `{"order":"hay ${i}"}`, {
            response: sampleResponse({ status: i % 2 === 0 ? 500 : 502 }),
          }),
        );
        s.insert(withRequest(makeExchange(), { method: "GET" }));
        if (hit) matching.push(x.id);
      }
      matching.reverse();
      const query: ListQuery = { method: "POST", status: "5xx", text: "needle", limit: 3 };
      const seen: string[] = [];
      let page = s.list(query);
      for (;;) {
        seen.push(...page.items.map((x) => x.id));
        if (page.next === null) break;
        page = s.list({ ...query, before: page.next });
      }
      expect(seen).toEqual(matching);
      const only500 = matching.filter((id) => s.get(id)?.response?.status === 500);
      expect(only500.length).toBeGreaterThan(0);
      expect(ids(s, { ...query, status: 500, limit: 100 })).toEqual(only500);
    });

    it("follows updates: a body or a response arriving later is found, a replaced one is not", () => {
      const s = store();
      const x = s.insert(posted("", { response: null }));
      expect(ids(s, { text: "needle" })).toEqual([]);
      s.update(x.id, {
        request: { ...x.request, body: body(deliveryBody(["user.lifecycle.create", []])) },
      });
      expect(ids(s, { oktaEventType: "user.lifecycle.create" })).toEqual([x.id]);
      s.update(x.id, { response: sampleResponse({ body: body("the needle is here") }) });
      expect(ids(s, { text: "needle" })).toEqual([x.id]);
      expect(ids(s, { oktaEventType: "user.lifecycle.create" })).toEqual([x.id]);
      s.update(x.id, {
        request: {
          ...x.request,
          target: "/moved",
          body: body(deliveryBody(["user.session.end", []])),
        },
        response: sampleResponse({ body: body("nothing") }),
      });
      expect(ids(s, { text: "needle" })).toEqual([]);
      expect(ids(s, { oktaEventType: "user.lifecycle.create" })).toEqual([]);
      expect(ids(s, { oktaEventType: "user.session.end" })).toEqual([x.id]);
      expect(ids(s, { text: "moved" })).toEqual([x.id]);
      expect(ids(s, { text: "usercreated" })).toEqual([]);
    });

    it("forgets deleted, evicted and cleared exchanges", () => {
      const s = store({ retention: { maxExchanges: 2 } });
      const text = deliveryBody(["user.lifecycle.create", [user("00u9", "z@example.com")]]);
      const [first, second] = [s.insert(posted(text)).id, s.insert(posted(text)).id];
      s.insert(posted("unrelated"));
      expect(ids(s, { targetUser: "z@example.com" })).toEqual([second]);
      expect(first).not.toBe(second);
      s.delete(second);
      for (const query of [
        { targetUser: "z@example.com" },
        { oktaEventType: "user.lifecycle.create" },
        { text: "z example com" },
      ]) {
        expect(ids(s, query)).toEqual([]);
      }
      s.insert(posted(text));
      s.clear();
      expect(ids(s, { text: "z example" })).toEqual([]);
      const again = s.insert(posted(text)).id;
      expect(ids(s, { targetUser: "z@example.com" })).toEqual([again]);
    });

    describe("refuses bad filters (invalid_argument naming the field)", () => {
      const bad: [string, unknown, string][] = [
        ["method ''", { method: "" }, "method"],
        ["method 5", { method: 5 }, "method"],
        ["path with a query", { path: "/a?b=1" }, "path"],
        ["path with a fragment", { path: "/a#b" }, "path"],
        ["status 99", { status: 99 }, "status"],
        ["status 1000", { status: 1000 }, "status"],
        ["status 404.5", { status: 404.5 }, "status"],
        ["status '2xy'", { status: "2xy" }, "status"],
        ["status '0xx'", { status: "0xx" }, "status"],
        ["status true", { status: true }, "status"],
        ["minDurationMs -1", { minDurationMs: -1 }, "minDurationMs"],
        ["maxDurationMs NaN", { maxDurationMs: Number.NaN }, "maxDurationMs"],
        ["maxDurationMs Infinity", { maxDurationMs: Number.POSITIVE_INFINITY }, "maxDurationMs"],
        ["minDurationMs '5'", { minDurationMs: "5" }, "minDurationMs"],
        ["min above max", { minDurationMs: 10, maxDurationMs: 5 }, "minDurationMs"],
        ["origin 'bogus'", { origin: "bogus" }, "origin"],
        ["header 'x'", { header: "x" }, "header"],
        ["header without a name", { header: { value: "x" } }, "header.name"],
        ["header name with a space", { header: { name: "X Y", value: "" } }, "header.name"],
        ["header value 5", { header: { name: "X", value: 5 } }, "header.value"],
        ["oktaEventType ''", { oktaEventType: "" }, "oktaEventType"],
        ["targetUser 7", { targetUser: 7 }, "targetUser"],
        ["text ''", { text: "" }, "text"],
        ["text of punctuation", { text: " -- @ " }, "text"],
        ["text too long", { text: "a".repeat(1001) }, "text"],
        ["parentId ''", { parentId: "" }, "parentId"],
        ["an unknown filter", { stauts: 200 }, "stauts"],
      ];
      it.each(bad)("%s", (_, query, field) => {
        const s = store();
        const x = s.insert(makeExchange());
        expectCode(() => s.list(query as ListQuery), "invalid_argument", field);
        expect(s.list().items.map((e) => e.id)).toEqual([x.id]);
      });

      it("a query that is not an object", () => {
        const s = store();
        expectCode(() => s.list("status=200" as unknown as ListQuery), "invalid_argument");
      });
    });
  });
}
