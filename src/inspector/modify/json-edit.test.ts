import { describe, expect, it } from "vitest";
import { applyJsonEdits, parseJsonEdit } from "./json-edit.js";
import { formatJsonPath, parsePathText } from "./json-path.js";
import { thrown } from "./thrown.case.js";

describe("parseJsonEdit", () => {
  it.each([
    [
      "data.events[0].target[0].alternateId=jane.doe@example.com",
      ["data", "events", 0, "target", 0, "alternateId"],
      "jane.doe@example.com",
    ],
    ["a=42", ["a"], 42],
    ["a=-1.5e3", ["a"], -1500],
    ["a=true", ["a"], true],
    ["a=null", ["a"], null],
    ['a="42"', ["a"], "42"],
    ['a={"b":[1,2]}', ["a"], { b: [1, 2] }],
    ["a=", ["a"], ""],
    ["a=x=y", ["a"], "x=y"],
    ["a= spaced ", ["a"], " spaced "],
    ['data["key.with.dots"]=1', ["data", "key.with.dots"], 1],
    ['["a=b"]["c\\"d"][2]=x', ["a=b", 'c"d', 2], "x"],
    ['[""]=empty', [""], "empty"],
    ["[0]=first", [0], "first"],
    ["a.0=digits", ["a", "0"], "digits"],
    ["émoji.✓=1", ["émoji", "✓"], 1],
  ])("reads %j", (text, path, value) => {
    expect(parseJsonEdit(text)).toEqual({ path, value });
  });

  it.each([
    ["", "the path is empty"],
    ["=1", "the path is empty"],
    ["a.b", "JSON edit \"a.b\" has no '=': write path=value"],
    ["a..b=1", "empty key at character 3"],
    ["a b=1", 'key "a b" has whitespace; write it as ["a b"]'],
    ["a[x]=1", 'expected an index like [0] or a quoted key like ["a.b"] at character 2'],
    ["a[01]=1", "expected an index like [0]"],
    ["a[-1]=1", "expected an index like [0]"],
    ['a["b=1', "unterminated quoted key"],
    ['a["b"=1', "expected ']' after the quoted key at character 6"],
    ["a]=1", "unexpected ']' at character 2"],
    ["a[0]b=1", "expected '.', '[' or '=' at character 5"],
    ["a[99999999999999999999]=1", "is too large"],
    ["a=12345678901234567890", "cannot be held exactly by a JSON number; quote it to set a string"],
    ["a=1e400", "cannot be held exactly"],
  ])("refuses %j with invalid_edit", (text, message) => {
    const error = thrown(() => parseJsonEdit(text));
    expect(error.code).toBe("invalid_edit");
    expect(error.message).toContain(message);
  });
});

describe("JSON paths", () => {
  it("format back to text that parses to the same path", () => {
    const paths = [["data", "events", 0, "x"], ["a.b", "c d", "", "[", '"'], [0, 1], ["__proto__"]];
    for (const path of paths) {
      const parsed = parsePathText(formatJsonPath(path));
      expect(parsed).toEqual({ segments: path, end: formatJsonPath(path).length });
    }
    expect(formatJsonPath(["data", "events", 0, "a.b"])).toBe('data.events[0]["a.b"]');
    expect(formatJsonPath([])).toBe("");
  });
});

describe("applyJsonEdits", () => {
  const doc = () => ({ data: { events: [{ target: [{ alternateId: "a@x" }], n: 1 }] } });

  it("sets existing values, adds a last key, and replaces array elements", () => {
    const d = doc();
    applyJsonEdits(d, [
      parseJsonEdit("data.events[0].target[0].alternateId=jane.doe@example.com"),
      parseJsonEdit('data.events[0].added={"k":true}'),
      parseJsonEdit("data.events[0].n=null"),
    ]);
    expect(d).toEqual({
      data: {
        events: [
          { target: [{ alternateId: "jane.doe@example.com" }], n: null, added: { k: true } },
        ],
      },
    });
  });

  it("keeps '__proto__' a plain key and never touches Object.prototype", () => {
    const d = JSON.parse('{"a":{}}');
    applyJsonEdits(d, [parseJsonEdit('a["__proto__"]={"polluted":true}')]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(d)).toBe('{"a":{"__proto__":{"polluted":true}}}');
    const error = thrown(() => applyJsonEdits({}, [parseJsonEdit("constructor.prototype.x=1")]));
    expect(error.message).toBe("JSON edit of constructor.prototype.x: constructor does not exist");
  });

  it.each([
    ["data.missing.x=1", "JSON edit of data.missing.x: data.missing does not exist"],
    ["data.events[1].x=1", "JSON edit of data.events[1].x: data.events has 1 element, no [1]"],
    ["data.events[5]=1", "JSON edit of data.events[5]: data.events has 1 element, no [5]"],
    ["data.events.x=1", "JSON edit of data.events.x: data.events is an array, not an object"],
    ["data[0]=1", "JSON edit of data[0]: data is an object, not an array"],
    [
      "data.events[0].n.x=1",
      "JSON edit of data.events[0].n.x: data.events[0].n is a number, not an object",
    ],
    ["[0]=1", "JSON edit of [0]: the body is an object, not an array"],
  ])("refuses %j with path_not_found, naming the path", (text, message) => {
    const d = doc();
    const error = thrown(() => applyJsonEdits(d, [parseJsonEdit(text)]));
    expect(error.code).toBe("path_not_found");
    expect(error.message).toBe(message);
    expect(error.path).toBe(text.slice(0, text.indexOf("=")));
  });

  it("refuses an empty path", () => {
    expect(thrown(() => applyJsonEdits({}, [{ path: [], value: 1 }])).code).toBe("invalid_edit");
  });
});
