import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildDelivery, buildLogEvent, serializeDelivery } from "../okta/index.js";
import { body, makeExchange, sampleResponse } from "./exchange-samples.case.js";
import { deriveOktaView, type OktaDeliveryView, type OktaVerificationView } from "./okta-view.js";
import type { CapturedResponse, Exchange } from "./types.js";

const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "test",
  "fixtures",
  "okta",
  "okta-deliveries",
);

const HOOK = { hookId: "who8vt36qfNpCGz9H1e6", orgUrl: "https://dev-123456.okta.com" };

/** A POST exchange carrying `text` as its body. */
function post(text: string | Uint8Array, overrides: Partial<Exchange> = {}): Exchange {
  const x = makeExchange(overrides);
  return { ...x, request: { ...x.request, method: "POST", body: body(text) } };
}

function delivery(x: Exchange): OktaDeliveryView {
  const view = deriveOktaView(x);
  if (view.kind !== "delivery") throw new Error(`expected a delivery view, got ${view.kind}`);
  return view;
}

function verification(x: Exchange): OktaVerificationView {
  const view = deriveOktaView(x);
  if (view.kind !== "verification") throw new Error(`expected a verification, got ${view.kind}`);
  return view;
}

describe("deriveOktaView: deliveries", () => {
  it("reads a real captured Okta delivery (2019, behind an AWS ALB)", () => {
    const capture = JSON.parse(
      readFileSync(join(FIXTURES, "alb-event-user-lifecycle-create.json"), "utf8"),
    ) as { body: string; headers: Record<string, string> };
    const x = post(capture.body, {
      request: {
        ...makeExchange().request,
        rawHeaders: Object.entries(capture.headers),
      },
    });
    expect(delivery(x)).toEqual({
      kind: "delivery",
      eventId: "6e08cca5-9488-4367-b75b-e0bb1c973c58",
      eventTypes: ["user.lifecycle.create"],
      events: [
        { uuid: "9191ef7a-f669-11e9-b9b3-fd3a55cb1b10", eventType: "user.lifecycle.create" },
      ],
      targetUsers: [
        { id: "00uo1r94r6jIYXcjy0h7", alternateId: "ironman@stark.com", displayName: "Iron Man" },
      ],
      complete: true,
      problems: [],
    });
  });

  it("lists every event, distinct event types and distinct User targets (not groups, not the actor)", () => {
    const jane = {
      type: "User",
      id: "00u1jane",
      alternateId: "jane@example.com",
      displayName: "Jane",
    };
    const kim = { type: "User", id: "00u2kim", alternateId: "kim@example.com", displayName: "Kim" };
    const events = [
      buildLogEvent("group.user_membership.add", {
        target: [jane, { type: "UserGroup", id: "00g1", displayName: "Sales" }],
      }),
      buildLogEvent("user.lifecycle.create", { target: [kim] }),
      buildLogEvent("group.user_membership.add", { target: [{ ...jane, displayName: "J." }] }),
    ];
    const d = buildDelivery(events, HOOK);
    const view = delivery(post(serializeDelivery(d)));
    expect(view.eventId).toBe(d.eventId);
    expect(view.events).toEqual(events.map((e) => ({ uuid: e.uuid, eventType: e.eventType })));
    expect(view.eventTypes).toEqual(["group.user_membership.add", "user.lifecycle.create"]);
    expect(view.targetUsers).toEqual([
      { id: "00u1jane", alternateId: "jane@example.com", displayName: "Jane" },
      { id: "00u2kim", alternateId: "kim@example.com", displayName: "Kim" },
    ]);
    expect(view.problems).toEqual([]);
  });

  it("salvages event id, uuids and types from a body the capture truncated, and says so", () => {
    const events = [buildLogEvent("user.lifecycle.create"), buildLogEvent("user.session.start")];
    const text = new TextEncoder().encode(serializeDelivery(buildDelivery(events, HOOK)));
    // Cut inside the second event's target list: both uuids and types are already there.
    const cut = text.byteLength - 900;
    const x = post(text);
    x.request.body = { bytes: text.subarray(0, cut), size: text.byteLength, truncated: true };
    const view = delivery(x);
    expect(view.complete).toBe(false);
    expect(view.eventTypes).toEqual(["user.lifecycle.create", "user.session.start"]);
    expect(view.events.map((e) => e.uuid)).toEqual(events.map((e) => e.uuid));
    expect(view.targetUsers).toEqual([]);
    expect(view.problems).toEqual([
      {
        code: "truncated",
        message: `the capture kept ${cut} of ${text.byteLength} bytes: events may be missing and target users are not read`,
      },
    ]);
  });

  it("names what is wrong with a malformed envelope, never throwing", () => {
    const cases: [string, string[]][] = [
      ['{"eventType":"com.okta.event_hook"}', ["no eventId", "data.events is not a list"]],
      [
        '{"eventType":"com.okta.event_hook","eventId":"e","data":{"events":[]}}',
        ["data.events is empty"],
      ],
      [
        '{"eventType":"com.okta.event_hook","eventId":"e","data":{"events":[7,{"target":"x"}]}}',
        ["data.events[0] is not an object", "data.events[1] has no eventType"],
      ],
      [
        '{"eventType":"other","data":{"events":[]}}',
        ['eventType is "other"', "no eventId", "empty"],
      ],
      ['{"eventType":"com.okta.event_hook", "data": {', ["not valid JSON"]],
    ];
    for (const [text, expected] of cases) {
      const view = delivery(post(text));
      const messages = view.problems.map((p) => p.message).join(" | ");
      for (const part of expected) expect(messages).toContain(part);
    }
  });

  it("says a delivery body sent with another method than POST is not how Okta sends it", () => {
    const x = post(
      serializeDelivery(buildDelivery([buildLogEvent("user.lifecycle.create")], HOOK)),
    );
    x.request.method = "PUT";
    expect(delivery(x).problems).toEqual([
      { code: "not_post", message: "Okta delivers events with POST; this request is PUT" },
    ]);
  });

  it("is none for bodies that are not Okta deliveries", () => {
    for (const text of [
      "",
      "hello",
      "[1,2]",
      '{"data":{"events":"no"}}',
      '{"note":"com.okta.event_hook"}',
    ]) {
      expect(deriveOktaView(post(text))).toEqual({ kind: "none" });
    }
    const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x7b]);
    expect(deriveOktaView(post(binary))).toEqual({ kind: "none" });
  });
});

describe("deriveOktaView: verification", () => {
  function challenge(response: CapturedResponse | null, overrides: Partial<Exchange> = {}) {
    const x = makeExchange({ response, ...overrides });
    return {
      ...x,
      request: {
        ...x.request,
        method: "GET",
        rawHeaders: [
          ["Host", "hooks.example"],
          ["X-Okta-Verification-Challenge", "abc-123"],
        ] as [string, string][],
        body: body(""),
      },
    };
  }
  const json = (text: string, status = 200): CapturedResponse =>
    sampleResponse({
      status,
      rawHeaders: [["Content-Type", "application/json"]],
      body: body(text),
    });

  it("passes a 200 JSON answer echoing the challenge (header name in any case)", () => {
    expect(verification(challenge(json('{"verification":"abc-123"}')))).toEqual({
      kind: "verification",
      challenge: "abc-123",
      answeredCorrectly: true,
      answer: "abc-123",
      problems: [],
    });
  });

  it("is pending while there is no answer, and failed when none came", () => {
    const pending = challenge(null, {
      timing: { receivedAt: 1, forwardedAt: 2, firstByteAt: null, doneAt: null },
    });
    expect(verification(pending).answeredCorrectly).toBeNull();
    expect(verification(pending).problems).toEqual([]);
    const failed = challenge(null, {
      error: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:3000" },
    });
    expect(verification(failed)).toMatchObject({
      answeredCorrectly: false,
      problems: [{ code: "no_response", message: expect.stringContaining("ECONNREFUSED") }],
    });
  });

  it.each([
    [
      '{"verification":"nope"}',
      200,
      "challenge_wrong",
      '"verification" is "nope", not the challenge "abc-123"',
    ],
    ['{"challenge":"abc-123"}', 200, "challenge_wrong", 'no "verification" field'],
    ['{"verification":123}', 200, "challenge_wrong", '"verification" is 123'],
    ["abc-123", 200, "challenge_not_json", "not JSON"],
    ["", 200, "challenge_not_json", "no body"],
    ['{"verification":"abc-123"}', 201, "challenge_status", "answered 201; Okta needs 200"],
  ])("fails the answer %s (%i): %s", (text, status, code, message) => {
    const view = verification(challenge(json(text, status)));
    expect(view.answeredCorrectly).toBe(false);
    expect(view.problems).toEqual([{ code, message: expect.stringContaining(message) }]);
  });

  it("cannot judge an answer whose body the capture cut", () => {
    const cut = json("{}");
    cut.body = { bytes: new TextEncoder().encode('{"verif'), size: 30, truncated: true };
    const view = verification(challenge(cut));
    expect(view.answeredCorrectly).toBeNull();
    expect(view.problems.map((p) => p.code)).toEqual(["challenge_unreadable"]);
  });

  it("is not a verification without the header, or with another method", () => {
    const noHeader = challenge(json("{}"));
    noHeader.request.rawHeaders = [["Host", "x"]];
    expect(deriveOktaView(noHeader).kind).toBe("none");
    const head = challenge(json("{}"));
    head.request.method = "HEAD";
    expect(deriveOktaView(head).kind).toBe("none");
  });
});
