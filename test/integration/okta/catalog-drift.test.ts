/**
 * The checked-in catalog (src/okta/catalog-data.ts) must be exactly what the generator makes
 * from the fixture: re-run `npm run generate:catalog` after updating the fixture. Lives here,
 * not in src/okta/catalog.test.ts, because src/ files may only import files of src/
 * (test/architecture.test.ts).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderCatalog } from "../../../scripts/generate-catalog.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

describe("catalog-data.ts", () => {
  it("equals renderCatalog(test/fixtures/okta/okta-event-types.json)", () => {
    const fixture: unknown = JSON.parse(
      readFileSync(join(ROOT, "test", "fixtures", "okta", "okta-event-types.json"), "utf8"),
    );
    const checkedIn = readFileSync(join(ROOT, "src", "okta", "catalog-data.ts"), "utf8");
    expect(renderCatalog(fixture)).toBe(checkedIn);
  });

  it("would notice a drift (a changed description changes the rendering)", () => {
    const fixture = JSON.parse(
      readFileSync(join(ROOT, "test", "fixtures", "okta", "okta-event-types.json"), "utf8"),
    ) as { eventTypes: { id: string; description: string }[] };
    const entry = fixture.eventTypes.find((t) => t.id === "user.lifecycle.create");
    if (entry === undefined) throw new Error("fixture lacks user.lifecycle.create");
    entry.description = "Changed.";
    const checkedIn = readFileSync(join(ROOT, "src", "okta", "catalog-data.ts"), "utf8");
    expect(renderCatalog(fixture)).not.toBe(checkedIn);
  });
});
