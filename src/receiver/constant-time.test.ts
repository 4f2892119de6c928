import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "./constant-time.js";

describe("constantTimeEqual", () => {
  it("is true only for identical secrets", () => {
    expect(constantTimeEqual("w4Nw^Zl*zHCDX&&L7Q", "w4Nw^Zl*zHCDX&&L7Q")).toBe(true);
    expect(constantTimeEqual("w4Nw^Zl*zHCDX&&L7Q", "w4Nw^Zl*zHCDX&&L7q")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });

  it("compares secrets of different lengths without throwing (both sides are hashed)", () => {
    expect(constantTimeEqual("secret", "secret-but-longer")).toBe(false);
    expect(constantTimeEqual("", "x".repeat(10_000))).toBe(false);
    expect(constantTimeEqual("secret", "secre")).toBe(false);
  });

  it("compares strings as UTF-8 bytes, so bytes and strings mix", () => {
    expect(constantTimeEqual(Buffer.from("pässwörd", "utf8"), "pässwörd")).toBe(true);
    expect(constantTimeEqual(Buffer.from("pässwörd", "latin1"), "pässwörd")).toBe(false);
  });
});
