/** The real executable (`node bin/hooktap.js …`) as a user runs it, after `npm run build`. */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/cli/registry.js";
import { GUIDE_BASIC_AUTH, sampleDelivery } from "../../../src/sample/index.js";
import {
  assertBuilt,
  REPO_ROOT,
  runNode,
  spawnNode,
  stopAllProcesses,
} from "../../helpers/process.js";

const BIN = "bin/hooktap.js";
const URL_LINE = /^hooktap sample listening on (http:\/\/\S+)$/;
/** The banner's last line: everything before it has been printed. */
const READY_LINE = /^Press Ctrl-C to stop\.$/;
const HAS_CURL = spawnSync("curl", ["--version"]).status === 0;

beforeAll(() => assertBuilt());
afterEach(() => stopAllProcesses());

describe("hooktap (process): help and version", () => {
  it("--help lists every registered command with its summary, and help itself", async () => {
    const { code, stdout, stderr } = await runNode([BIN, "--help"]);
    expect(code).toBe(0);
    expect(stderr).toEqual([]);
    const text = stdout.join("\n");
    for (const command of COMMANDS) {
      expect(text).toMatch(
        new RegExp(`^  ${command.name}\\s+${escapeRegExp(command.summary)}$`, "m"),
      );
    }
    expect(text).toMatch(/^ {2}help\s+/m);
  });

  it("'help' and no arguments print the same list", async () => {
    const help = await runNode([BIN, "--help"]);
    expect((await runNode([BIN, "help"])).stdout).toEqual(help.stdout);
    expect((await runNode([BIN])).stdout).toEqual(help.stdout);
  });

  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    const { code, stdout } = await runNode([BIN, "--version"]);
    expect(code).toBe(0);
    expect(stdout).toEqual([pkg.version]);
  });

  it("sample --help explains every flag with its default, the environment and an example", async () => {
    const { code, stdout } = await runNode([BIN, "sample", "--help"]);
    expect(code).toBe(0);
    const text = stdout.join("\n");
    expect(text).toContain("Usage: hooktap sample");
    expect(text).toMatch(/--port <port>.*\(default: \$PORT, else 8082\)/);
    expect(text).toMatch(/--host <host>.*\(default: 127\.0\.0\.1\)/);
    expect(text).toMatch(/--basic-auth <user:pass>.*admin:supersecret/);
    expect(text).toContain("--no-auth");
    expect(text).toContain("HOOKTAP_SAMPLE_BASIC_AUTH");
    expect(text).toMatch(/Examples:\n {2}hooktap sample/);
    expect((await runNode([BIN, "help", "sample"])).stdout).toEqual(stdout);
  });
});

describe("hooktap (process): usage errors exit 2 with one line and a hint", () => {
  it.each([
    [["frobnicate"], /^hooktap: unknown command 'frobnicate' \(run 'hooktap help'\)$/],
    [["--frob"], /^hooktap: unknown option '--frob' \(run 'hooktap help'\)$/],
    [
      ["sample", "--frob"],
      /unknown option '--frob' for 'hooktap sample' \(run 'hooktap sample --help'\)$/,
    ],
    [["sample", "--port", "http"], /--port must be an integer from 0 to 65535, got 'http'/],
    [["sample", "--port", "65536"], /--port must be an integer from 0 to 65535, got '65536'/],
    [["sample", "--port"], /option '--port' needs a value/],
    [["sample", "--basic-auth", "adminsupersecret"], /--basic-auth must be user:pass/],
    [["sample", "--basic-auth", "a:b", "--no-auth"], /contradict/],
    [["help", "nope"], /unknown command 'nope'/],
  ])("%j", async (args, message) => {
    const { code, stdout, stderr } = await runNode([BIN, ...args]);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
  });

  it("a bad PORT from the environment is a usage error too", async () => {
    const { code, stderr } = await runNode([BIN, "sample"], { env: { PORT: "eighty" } });
    expect(code).toBe(2);
    expect(stderr[0]).toMatch(/PORT must be an integer from 0 to 65535, got 'eighty'/);
  });
});

describe("hooktap sample (process)", () => {
  it("prints its URL on --port 0, serves Okta's verification and a delivery, and exits 0 on SIGINT", async () => {
    const proc = spawnNode([BIN, "sample", "--port", "0"]);
    const [, url] = await proc.waitForLine(URL_LINE);
    await proc.waitForLine(READY_LINE);
    expect(proc.stdout.join("\n")).toContain(GUIDE_BASIC_AUTH.value);

    const challenge = await fetch(`${url}/userCreated`, {
      headers: { authorization: GUIDE_BASIC_AUTH.value, "x-okta-verification-challenge": "c-42" },
    });
    expect(await challenge.json()).toEqual({ verification: "c-42" });

    const delivery = await fetch(`${url}/userCreated`, {
      method: "POST",
      headers: { authorization: GUIDE_BASIC_AUTH.value, "content-type": "application/json" },
      body: JSON.stringify(sampleDelivery({ users: ["grace@example.com", "alan@example.com"] })),
    });
    expect(delivery.status).toBe(200);
    await proc.waitForLine(/^The user grace@example\.com has been added to the Okta org!$/);
    await proc.waitForLine(/^The user alan@example\.com has been added to the Okta org!$/);

    expect(await proc.stop("SIGINT")).toEqual({ code: 0, signal: null });
    expect(proc.stderr).toEqual([]);
  });

  it("exits 0 on SIGTERM sent as soon as the URL is printed", async () => {
    const proc = spawnNode([BIN, "sample", "--port", "0", "--no-auth"]);
    await proc.waitForLine(URL_LINE);
    expect(await proc.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it.skipIf(!HAS_CURL)("the printed curl commands work as printed", async () => {
    const proc = spawnNode([BIN, "sample", "--port", "0", "--basic-auth", "okta:p@ss'word"]);
    await proc.waitForLine(READY_LINE);
    const curls = proc.stdout.filter((l) => l.trimStart().startsWith("curl "));
    expect(curls).toHaveLength(2);
    for (const curl of curls) {
      const { code, stdout } = await runShell(`${curl.trim()} -s -o /dev/stderr -w '%{http_code}'`);
      expect(code).toBe(0);
      expect(stdout).toBe("200");
    }
    await proc.waitForLine(/^The user john\.doe@example\.com has been added to the Okta org!$/);
  });

  it("reads the port from PORT and credentials from HOOKTAP_SAMPLE_BASIC_AUTH", async () => {
    // PORT=0: were PORT ignored, the sample would bind the default 8082.
    const proc = spawnNode([BIN, "sample"], {
      env: { PORT: "0", HOOKTAP_SAMPLE_BASIC_AUTH: "u:p" },
    });
    const [, url] = await proc.waitForLine(URL_LINE);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe("http://127.0.0.1:8082");
    const headers = { "x-okta-verification-challenge": "x" };
    expect((await fetch(`${url}/x`, { headers })).status).toBe(401);
    const auth = `Basic ${Buffer.from("u:p").toString("base64")}`;
    expect((await fetch(`${url}/x`, { headers: { ...headers, authorization: auth } })).status).toBe(
      200,
    );
    await proc.waitForLine(/^warn: request rejected .*status=401/, { stream: "stderr" });
  });

  it("exits 1 with one clear line when the port is in use", async () => {
    const blocker = await listen();
    try {
      const { port } = blocker.address() as { port: number };
      const { code, stdout, stderr } = await runNode([BIN, "sample", "--port", String(port)]);
      expect(code).toBe(1);
      expect(stdout).toEqual([]);
      expect(stderr).toEqual([
        `hooktap: cannot listen on 127.0.0.1:${port}: the port is already in use (EADDRINUSE); pick another with --port, or --port 0 for any free port`,
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function listen(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Runs a command line in `sh`, the way a user pastes it. */
async function runShell(command: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn("sh", ["-c", command], { stdio: ["ignore", "pipe", "ignore"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stdout };
}
