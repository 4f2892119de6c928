import { describe, expect, it } from "vitest";
import { userAlternateIdOf } from "./user-target.js";

describe("userAlternateIdOf", () => {
  it("takes the User target wherever it sits", () => {
    const target = [
      { type: "AppInstance", alternateId: "Okta Admin Console" },
      { type: "User", alternateId: "john.doe@example.com" },
    ];
    expect(userAlternateIdOf({ target })).toBe("john.doe@example.com");
  });

  it("falls back to the first target when none is a User", () => {
    expect(userAlternateIdOf({ target: [{ type: "UserGroup", alternateId: "Sales" }] })).toBe(
      "Sales",
    );
  });

  it.each([
    ["no target key", {}],
    ["a null target", { target: null }],
    ["an empty target", { target: [] }],
    ["a target that is not an array", { target: { type: "User", alternateId: "x" } }],
    ["a User without alternateId", { target: [{ type: "User" }] }],
    ["a null alternateId", { target: [{ type: "User", alternateId: null }] }],
    ["an empty alternateId", { target: [{ type: "User", alternateId: "" }] }],
    ["targets that are not objects", { target: [null, 3, "User"] }],
  ])("returns null for %s", (_name, event) => {
    expect(userAlternateIdOf(event)).toBeNull();
  });
});
