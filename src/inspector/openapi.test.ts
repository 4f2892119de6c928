import { describe, expect, it } from "vitest";
import { silentLogger } from "../log/index.js";
import { openApiDocument } from "./openapi.js";
import { createRouter } from "./server.js";

const deps = {
  source: {
    status: () => ({
      state: "online" as const,
      lastError: null,
      startedAt: 0,
      version: "9.9.9",
      tunnels: [],
    }),
  },
  capture: null,
  replayer: null,
  maxRequestBodyBytes: 1,
  maxImportBytes: 1,
  heartbeatMs: 1,
  logger: silentLogger,
};

/** `/api/exchanges/:id/replay` → `/api/exchanges/{id}/replay` */
function openApiPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z_]+)/g, "{$1}");
}

describe("the OpenAPI document", () => {
  const document = openApiDocument("9.9.9");
  const routed = createRouter(deps, null)
    .routes()
    .map((route) => `${route.method} ${openApiPath(route.pattern)}`)
    .sort();
  const described = Object.entries(document.paths)
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();

  it("describes every route, and nothing that is not routed", () => {
    expect(routed.length).toBeGreaterThan(10);
    expect(described).toEqual(routed);
  });

  it("is OpenAPI 3.1 with the inspector's version, and every $ref resolves", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.version).toBe("9.9.9");
    const text = JSON.stringify(document);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    for (const [, kind, name] of refs) {
      const table = document.components[kind as "schemas" | "responses"] as Record<string, unknown>;
      expect(table[name ?? ""], `${kind}/${name}`).toBeDefined();
    }
  });

  it("every operation has a summary and a documented success response", () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const op = operation as { summary?: string; responses?: Record<string, unknown> };
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(
          Object.keys(op.responses ?? {}).some((status) => status.startsWith("2")),
          `${method} ${path}`,
        ).toBe(true);
      }
    }
  });
});
