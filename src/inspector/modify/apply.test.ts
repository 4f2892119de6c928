import { describe, expect, it } from "vitest";
import type { CapturedRequest, RawHeaders } from "../../capture/index.js";
import { applyModifications } from "./apply.js";
import { modifyHeaders, parseHeaderArg } from "./headers.js";
import { parseJsonEdit } from "./json-edit.js";
import { thrown } from "./thrown.case.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

const OKTA_BODY =
  '{"eventType":"com.okta.event_hook","data":{"events":[{"target":[{"alternateId":"a@x"}]}]}}';

function okta(overrides: Partial<CapturedRequest> = {}): CapturedRequest {
  const bytes = enc(OKTA_BODY);
  return {
    method: "POST",
    target: "/userCreated?x=1",
    httpVersion: "1.1",
    rawHeaders: [
      ["Host", "relay.example"],
      ["Content-Type", "application/json"],
      ["Authorization", "Basic YQ=="],
      ["X-Dup", "1"],
      ["x-dup", "2"],
      ["Content-Length", String(bytes.byteLength)],
    ],
    body: { bytes, size: bytes.byteLength, truncated: false },
    ...overrides,
  };
}

function frozen(request: CapturedRequest): CapturedRequest {
  for (const pair of request.rawHeaders) Object.freeze(pair);
  Object.freeze(request.rawHeaders);
  Object.freeze(request.body);
  return Object.freeze(request);
}

describe("applyModifications", () => {
  it("with no modifications gives an equal copy", () => {
    const r = frozen(okta());
    const out = applyModifications(r, {});
    expect(out).toEqual(r);
    expect(out).not.toBe(r);
  });

  it("changes method and path and never mutates its input", () => {
    const r = frozen(okta());
    const snapshot = structuredClone(r);
    const out = applyModifications(r, {
      method: "PUT",
      path: "/other?y=2",
      headers: { set: [["X-New", "1"]] },
      jsonEdits: ["data.x=1"],
    });
    expect([out.method, out.target]).toEqual(["PUT", "/other?y=2"]);
    expect(r).toEqual(snapshot);
  });

  it("applies JSON edits, re-serialising compactly, and recomputes Content-Length", () => {
    const out = applyModifications(okta(), {
      jsonEdits: [
        parseJsonEdit("data.events[0].target[0].alternateId=jane.doe@example.com"),
        "data.n=2",
      ],
    });
    const text =
      '{"eventType":"com.okta.event_hook","data":{"events":[{"target":[{"alternateId":"jane.doe@example.com"}]}],"n":2}}';
    expect(dec(out.body.bytes)).toBe(text);
    expect(out.body).toMatchObject({ size: enc(text).byteLength, truncated: false });
    expect(out.rawHeaders.at(-1)).toEqual(["Content-Length", String(enc(text).byteLength)]);
    expect(out.rawHeaders.slice(0, -1)).toEqual(okta().rawHeaders.slice(0, -1));
  });

  it("keeps a pretty-printed body's indentation and final newline", () => {
    const pretty = `${JSON.stringify({ a: { b: 1 } }, null, 4)}\n`;
    const out = applyModifications(
      okta({ body: { bytes: enc(pretty), size: enc(pretty).byteLength, truncated: false } }),
      { jsonEdits: ["a.b=2"] },
    );
    expect(dec(out.body.bytes)).toBe(`${JSON.stringify({ a: { b: 2 } }, null, 4)}\n`);
  });

  it("replaces the body (string or bytes), then applies edits to the new one", () => {
    const out = applyModifications(okta(), { body: '{"a":1}', jsonEdits: ["a=2"] });
    expect(dec(out.body.bytes)).toBe('{"a":2}');
    const binary = applyModifications(okta(), { body: Uint8Array.of(0, 255) });
    expect(binary.body).toEqual({ bytes: Uint8Array.of(0, 255), size: 2, truncated: false });
    expect(binary.rawHeaders.find(([n]) => n === "Content-Length")).toEqual([
      "Content-Length",
      "2",
    ]);
  });

  it("frames a changed body: chunked stays chunked, none gets a Content-Length, repeats collapse, the user's own wins", () => {
    const chunked: RawHeaders = [
      ["Host", "h"],
      ["Transfer-Encoding", "chunked"],
      ["Content-Length", "5"],
    ];
    expect(applyModifications(okta({ rawHeaders: chunked }), { body: "abc" }).rawHeaders).toEqual([
      ["Host", "h"],
      ["Transfer-Encoding", "chunked"],
    ]);
    expect(
      applyModifications(okta({ rawHeaders: [["Host", "h"]] }), { body: "abc" }).rawHeaders,
    ).toEqual([
      ["Host", "h"],
      ["Content-Length", "3"],
    ]);
    expect(
      applyModifications(okta({ method: "GET", rawHeaders: [["Host", "h"]] }), { body: "" })
        .rawHeaders,
    ).toEqual([["Host", "h"]]);
    const twice: RawHeaders = [
      ["content-length", "9"],
      ["X", "1"],
      ["Content-Length", "9"],
    ];
    expect(applyModifications(okta({ rawHeaders: twice }), { body: "abcd" }).rawHeaders).toEqual([
      ["content-length", "4"],
      ["X", "1"],
    ]);
    const own = applyModifications(okta(), {
      body: "abcd",
      headers: { set: [["Content-Length", "2"]] },
    });
    expect(own.rawHeaders.filter(([n]) => n.toLowerCase() === "content-length")).toEqual([
      ["Content-Length", "2"],
    ]);
  });

  it("edits a truncated body only after replacing it", () => {
    const truncated = okta({
      body: { bytes: enc(OKTA_BODY.slice(0, 10)), size: 500, truncated: true },
    });
    const error = thrown(() => applyModifications(truncated, { jsonEdits: ["a=1"] }));
    expect(error.code).toBe("not_json");
    expect(error.message).toBe(
      "JSON edits need the whole body, and only 10 of its 500 bytes were captured",
    );
    expect(dec(applyModifications(truncated, { body: "{}", jsonEdits: ["a=1"] }).body.bytes)).toBe(
      '{"a":1}',
    );
  });

  it.each([
    [{ body: "plain text" }, "JSON edits need a JSON body, and this body is not JSON"],
    [{ body: "" }, "JSON edits need a JSON body, and this body is empty"],
    [
      { body: Uint8Array.of(0xff, 0xfe) },
      "JSON edits need a JSON body, and this body is not UTF-8 text",
    ],
  ])("refuses edits on a body that is not JSON: %j", (mods, message) => {
    const error = thrown(() => applyModifications(okta(), { ...mods, jsonEdits: ["a=1"] }));
    expect([error.code, error.message, error.field]).toEqual(["not_json", message, undefined]);
  });

  it("names the failing edit's index and path", () => {
    const error = thrown(() =>
      applyModifications(okta(), { jsonEdits: ["data.n=1", "data.events[3].x=1"] }),
    );
    expect([error.code, error.field, error.path]).toEqual([
      "path_not_found",
      "jsonEdits[1]",
      "data.events[3].x",
    ]);
    const syntax = thrown(() => applyModifications(okta(), { jsonEdits: ["data.n=1", "nope"] }));
    expect([syntax.code, syntax.field]).toEqual(["invalid_edit", "jsonEdits[1]"]);
  });

  it.each([
    [{ method: "GET /" }, "method"],
    [{ method: "" }, "method"],
    [{ path: "no-slash" }, "path"],
    [{ path: "/a b" }, "path"],
    [{ path: "/a\u0000" }, "path"],
    [{ path: "/a#frag" }, "path"],
    [{ headers: { set: [["Bad Name", "x"]] } }, "headers.set[0]"],
    [
      {
        headers: {
          add: [
            ["X", "ok"],
            ["X-Inject", "a\r\nEvil: 1"],
          ],
        },
      },
      "headers.add[1]",
    ],
    [{ headers: { remove: ["a:b"] } }, "headers.remove[0]"],
  ] as const)("refuses %j with invalid_modification naming the field", (mods, field) => {
    const r = frozen(okta());
    const error = thrown(() => applyModifications(r, mods));
    expect([error.code, error.field]).toEqual(["invalid_modification", field]);
  });
});

describe("modifyHeaders", () => {
  const base: RawHeaders = [
    ["Host", "h"],
    ["X-Dup", "1"],
    ["Accept", "*/*"],
    ["x-dup", "2"],
  ];

  it("removes every line of a name, case-insensitively", () => {
    expect(modifyHeaders(base, { remove: ["x-DUP"] })).toEqual([
      ["Host", "h"],
      ["Accept", "*/*"],
    ]);
  });

  it("sets in place of the first line of the name (dropping the others), or appends", () => {
    expect(
      modifyHeaders(base, {
        set: [
          ["X-DUP", "new"],
          ["X-Env", "test"],
        ],
      }),
    ).toEqual([
      ["Host", "h"],
      ["X-DUP", "new"],
      ["Accept", "*/*"],
      ["X-Env", "test"],
    ]);
  });

  it("adds after everything, even for a name already there; remove runs before set and add", () => {
    expect(
      modifyHeaders(base, {
        add: [["accept", "text/plain"]],
        remove: ["accept"],
        set: [["Host", "x"]],
      }),
    ).toEqual([
      ["Host", "x"],
      ["X-Dup", "1"],
      ["x-dup", "2"],
      ["accept", "text/plain"],
    ]);
  });
});

describe("parseHeaderArg", () => {
  it.each([
    ["Name: value", ["Name", "value"]],
    ["X-Okta-Verification-Challenge:abc", ["X-Okta-Verification-Challenge", "abc"]],
    ["Authorization: Basic a:b ", ["Authorization", "Basic a:b"]],
    ["X-Empty:", ["X-Empty", ""]],
    ["X-Tab:\tv\t", ["X-Tab", "v"]],
  ])("reads %j", (text, pair) => {
    expect(parseHeaderArg(text)).toEqual(pair);
  });

  it.each([
    ["no colon", "has no ':'; write 'Name: value'"],
    [": value", "has no name before ':'"],
    ["Name : value", 'has an invalid header name "Name "'],
    [" Name: value", 'has an invalid header name " Name"'],
    ["Na/me: value", "invalid header name"],
    ["Name: a\nb", "must not contain control characters"],
    // Node refuses to send any control character but HTAB.
    ["Name: a\u0001b", "must not contain control characters"],
  ])("refuses %j", (text, message) => {
    const error = thrown(() => parseHeaderArg(text));
    expect(error.code).toBe("invalid_modification");
    expect(error.field).toBe("header");
    expect(error.message).toContain(message);
  });
});
