/** `runCli` in-process, with a memory io: flag/env precedence and the sample banner. */
import { afterEach, describe, expect, it } from "vitest";
import type { Closable } from "../../../src/cli/command.js";
import { runCli } from "../../../src/cli/run.js";
import { basicAuthHeader, GUIDE_BASIC_AUTH, sampleDelivery } from "../../../src/sample/index.js";
import { createMemoryIo } from "../../helpers/cli-io.js";

let running: Closable | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function startSample(args: string[], env: Record<string, string> = {}) {
  const io = createMemoryIo(env);
  const outcome = await runCli(["sample", ...args], io);
  running = outcome.running;
  expect(outcome.exitCode).toBe(0);
  expect(running).toBeDefined();
  const [, url] = await io.waitForOut(/^hooktap sample listening on (\S+)$/);
  return { io, url: url ?? "" };
}

function challenge(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/userCreated`, {
    headers: { ...headers, "x-okta-verification-challenge": "c" },
  });
}

describe("runCli sample", () => {
  it("prints the URL, every route, the auth header and two curls; requires the guide's auth", async () => {
    const { io, url } = await startSample(["--port", "0"]);
    const text = io.out.join("\n");
    for (const path of ["/userCreated", "/userDeactivated", "/*"])
      expect(text).toContain(`GET|POST ${path}`);
    expect(text).toContain(`authorization: ${GUIDE_BASIC_AUTH.value}`);
    expect(io.out.filter((l) => l.trimStart().startsWith(`curl -i`))).toHaveLength(2);
    expect(text).toContain('"eventType":"user.lifecycle.create"');
    expect((await challenge(url)).status).toBe(401);
    expect((await challenge(url, { authorization: GUIDE_BASIC_AUTH.value })).status).toBe(200);
  });

  it("--no-auth wins over HOOKTAP_SAMPLE_BASIC_AUTH, and the curls carry no auth header", async () => {
    const { io, url } = await startSample(["--port", "0", "--no-auth"], {
      HOOKTAP_SAMPLE_BASIC_AUTH: "u:p",
    });
    expect(io.out.join("\n")).toContain("Auth: none");
    expect(io.out.join("\n")).not.toContain("authorization:");
    expect((await challenge(url)).status).toBe(200);
  });

  it("--basic-auth wins over HOOKTAP_SAMPLE_BASIC_AUTH, and --port over PORT", async () => {
    const { url } = await startSample(["--port", "0", "--basic-auth", "flag:pw"], {
      HOOKTAP_SAMPLE_BASIC_AUTH: "env:pw",
      PORT: "1",
    });
    expect(
      (await challenge(url, { authorization: basicAuthHeader("env", "pw").value })).status,
    ).toBe(401);
    expect(
      (await challenge(url, { authorization: basicAuthHeader("flag", "pw").value })).status,
    ).toBe(200);
  });

  it("--host 0.0.0.0 listens everywhere and prints a loopback URL", async () => {
    const { url } = await startSample(["--port", "0", "--host", "0.0.0.0", "--no-auth"]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await challenge(url)).status).toBe(200);
  });

  it("prints guide lines on stdout and rejections on stderr", async () => {
    const { io, url } = await startSample(["--port", "0", "--no-auth"]);
    await fetch(`${url}/userCreated`, { method: "POST", body: "not json" });
    // The receiver logs a rejection before it answers, so the line is there already.
    expect(io.err.filter((l) => /^warn: request rejected .*status=400/.test(l))).toHaveLength(1);
    await fetch(`${url}/userCreated`, { method: "POST", body: JSON.stringify(sampleDelivery()) });
    await io.waitForOut(/^The user john\.doe@example\.com has been added to the Okta org!$/);
  });

  it("a usage error prints one line on stderr and starts nothing", async () => {
    const io = createMemoryIo();
    const outcome = await runCli(["sample", "--basic-auth", "nocolon"], io);
    expect(outcome).toEqual({ exitCode: 2 });
    expect(io.out).toEqual([]);
    expect(io.err).toHaveLength(1);
  });
});
