import { describe, expect, it } from "vitest";
import { basicAuthHeader, GUIDE_BASIC_AUTH } from "./basic-auth.js";

describe("basicAuthHeader", () => {
  it("reproduces the header of Okta's guides for admin/supersecret", () => {
    expect(basicAuthHeader("admin", "supersecret")).toEqual(GUIDE_BASIC_AUTH);
    expect(GUIDE_BASIC_AUTH.value).toBe("Basic YWRtaW46c3VwZXJzZWNyZXQ=");
  });

  it("keeps colons and UTF-8 in the password", () => {
    const { value } = basicAuthHeader("okta", "pä:ss");
    expect(Buffer.from(value.slice("Basic ".length), "base64").toString("utf8")).toBe("okta:pä:ss");
  });

  it("rejects an empty username or one with a colon", () => {
    expect(() => basicAuthHeader("", "x")).toThrow(TypeError);
    expect(() => basicAuthHeader("a:b", "x")).toThrow(/must not contain ':'/);
  });
});
