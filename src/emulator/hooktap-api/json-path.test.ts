import { describe, expect, it } from "vitest";
import { parseJsonPath, setJsonPath } from "./json-path.js";

describe("parseJsonPath", () => {
  it("reads keys and indexes", () => {
    expect(parseJsonPath("target[0].displayName")).toEqual(["target", 0, "displayName"]);
    expect(parseJsonPath("a.b[1][2].c")).toEqual(["a", "b", 1, 2, "c"]);
  });

  it.each(["", "a..b", ".a", "a[x]", "a]", "__proto__.x", "a.constructor"])(
    "refuses %j",
    (path) => {
      expect(() => parseJsonPath(path)).toThrow(SyntaxError);
    },
  );
});

describe("setJsonPath", () => {
  it("sets nested values, creating objects and arrays on the way", () => {
    const event: Record<string, unknown> = { target: [{ id: "1" }] };
    setJsonPath(event, "target[0].displayName", "Jane");
    setJsonPath(event, "debugContext.debugData.requestUri", "/x");
    setJsonPath(event, "list[0]", 1);
    expect(event).toEqual({
      target: [{ id: "1", displayName: "Jane" }],
      debugContext: { debugData: { requestUri: "/x" } },
      list: [1],
    });
  });

  it("refuses to go through a string or past an array's end, changing nothing", () => {
    const event: Record<string, unknown> = { eventType: "x", target: [] };
    expect(() => setJsonPath(event, "eventType.a", 1)).toThrow("eventType is not an object");
    expect(() => setJsonPath(event, "target[3]", 1)).toThrow("index 3 is past its end");
    expect(() => setJsonPath(event, "target.a", 1)).toThrow("target is not an object");
    expect(event).toEqual({ eventType: "x", target: [] });
  });
});
