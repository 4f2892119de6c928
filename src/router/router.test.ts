import { describe, expect, it } from "vitest";
import { Router } from "./router.js";

const ok = () => ({ status: 200, body: null });

describe("Router", () => {
  const router = new Router<typeof ok>()
    .get("/api/tunnels", ok)
    .get("/api/tunnels/:name", ok)
    .add("DELETE", "/api/tunnels/:name", ok);

  it("matches static and parameter routes, ignoring a trailing slash", () => {
    expect(router.match("GET", "/api/tunnels/").kind).toBe("found");
    expect(router.match("get", "/api/tunnels/a%2Fb")).toMatchObject({
      kind: "found",
      params: { name: "a/b" },
    });
  });

  it("tells 405 (with the allowed methods) from 404", () => {
    expect(router.match("POST", "/api/tunnels/x")).toEqual({
      kind: "method_not_allowed",
      allow: ["DELETE", "GET", "HEAD"],
    });
    expect(router.match("GET", "/api/tunnels/x/y")).toEqual({ kind: "not_found" });
    expect(router.match("GET", "/api/tunnels/%E0%A4%A")).toEqual({ kind: "not_found" });
  });

  it("answers HEAD with GET routes", () => {
    expect(router.match("HEAD", "/api/tunnels").kind).toBe("found");
  });
});

describe("Router.routes", () => {
  it("lists every route in the order added", () => {
    const router = new Router<typeof ok>().get("/a", ok).add("post", "/a/:id", ok);
    expect(router.routes()).toEqual([
      { method: "GET", pattern: "/a" },
      { method: "POST", pattern: "/a/:id" },
    ]);
  });
});
