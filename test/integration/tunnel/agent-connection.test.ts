/**
 * The agent's connection to a fake relay: hello, refusals, reconnection with backoff after a
 * relay restart, heartbeats (a vanished relay, a machine that slept), and close.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import {
  type Agent,
  AgentError,
  type AgentOptions,
  type AgentStateChange,
  startAgent,
} from "../../../src/agent/index.js";
import type { LinkSocket } from "../../../src/protocol/index.js";
import { FakeRelay, type FakeRelayOptions } from "../../helpers/agent-fake-relay.js";
import { createDeferred } from "../../helpers/receiver-deferred.js";
import { startUpstreamApp } from "../../helpers/upstream-app.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relay(options: FakeRelayOptions = {}): Promise<FakeRelay> {
  const started = await FakeRelay.start(options);
  cleanups.push(() => started.close());
  return started;
}

function agentFor(fake: FakeRelay, options: Partial<AgentOptions> = {}): Agent {
  const agent = startAgent({
    relayUrl: fake.agentUrl,
    token: "htk_secret",
    endpoint: "hooks",
    upstream: "http://127.0.0.1:9",
    reconnect: { minDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  cleanups.push(() => agent.close());
  return agent;
}

/** The WebSocket of the fake relay's latest session (these tests connect over WebSocket). */
function webSocketOf(fake: FakeRelay): WebSocket {
  const ws = fake.session.ws;
  if (ws === null) throw new Error("the session is not a WebSocket");
  return ws;
}

/** An agent whose `connect` opens in-process links to `fake`, counting them. */
function localAgentFor(
  fake: FakeRelay,
  options: Partial<AgentOptions> = {},
  connect: () => LinkSocket = () => fake.connectLocal(),
): { agent: Agent; links: LinkSocket[] } {
  const links: LinkSocket[] = [];
  const { relayUrl: _, ...rest } = {
    token: "htk_secret",
    endpoint: "hooks",
    upstream: "http://127.0.0.1:9",
    reconnect: { minDelayMs: 10, maxDelayMs: 50 },
    ...options,
  };
  const agent = startAgent({
    ...rest,
    connect: () => {
      const link = connect();
      links.push(link);
      return link;
    },
  });
  cleanups.push(() => agent.close());
  return { agent, links };
}

/** Records every state change and resolves waiters on a match. */
function watchStates(agent: Agent) {
  const seen: AgentStateChange[] = [];
  const waiters: {
    match: (c: AgentStateChange) => boolean;
    resolve: (c: AgentStateChange) => void;
  }[] = [];
  agent.on("state", (change) => {
    seen.push(change);
    for (const waiter of [...waiters]) {
      if (waiter.match(change)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(change);
      }
    }
  });
  return {
    seen,
    next: (match: (c: AgentStateChange) => boolean) =>
      new Promise<AgentStateChange>((resolve) => waiters.push({ match, resolve })),
  };
}

describe("agent connection: handshake", () => {
  it("says hello with the protocol version, token, endpoint, default policy and client", async () => {
    const fake = await relay();
    const agent = agentFor(fake, { client: { name: "hooktap", version: "9.9.9" } });
    const states = watchStates(agent);
    await agent.ready();
    expect(fake.hellos).toEqual([
      {
        type: "hello",
        protocol: 1,
        token: "htk_secret",
        endpoint: "hooks",
        policy: {
          oktaChallenge: "app",
          requireHeader: null,
          maxBodyBytes: 10_485_760,
          queue: "offline",
        },
        client: { name: "hooktap", version: "9.9.9" },
      },
    ]);
    expect(agent.state).toBe("online");
    expect(agent.publicUrls).toEqual([`http://127.0.0.1:${fake.port}/hooks`]);
    expect(agent.lastError).toBeNull();
    expect(states.seen.map((s) => s.state)).toEqual(["online"]);
  });

  it.each([
    ["bad_token", "the token is unknown or revoked"],
    ["endpoint_taken", "another agent holds hooks"],
  ] as const)(
    "a %s refusal rejects ready(), closes the agent and stops retrying",
    async (code, message) => {
      const fake = await relay({ refuse: { code, message } });
      const agent = agentFor(fake);
      const errors: string[] = [];
      agent.on("error", (e) => errors.push(e.code));
      const error = await agent.ready().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AgentError);
      expect(error).toMatchObject({ code: "refused", reason: code });
      expect((error as Error).message).toContain(message);
      expect(agent.state).toBe("closed");
      expect(agent.lastError).toEqual({ code, message });
      expect(errors).toEqual([code]);
      expect(fake.hellos).toHaveLength(1);
    },
  );

  it("close() before any relay answers rejects ready() with code closed", async () => {
    const fake = await relay();
    await fake.close();
    const agent = agentFor(fake);
    const ready = agent.ready();
    await agent.close();
    await expect(ready).rejects.toMatchObject({ code: "closed" });
    expect(agent.state).toBe("closed");
  });

  it("close() tells the relay (error shutting_down) and ends in state closed", async () => {
    const fake = await relay();
    const agent = agentFor(fake);
    await agent.ready();
    const gone = new Promise((resolve) => webSocketOf(fake).once("close", resolve));
    await agent.close();
    await gone;
    expect(fake.errors).toEqual([
      { type: "error", code: "shutting_down", message: "the agent is shutting down" },
    ]);
    expect(agent.state).toBe("closed");
    await agent.close();
  });
});

describe("agent connection: replaced by a newer connection", () => {
  it("stops for good, saying so, instead of taking the endpoint back", async () => {
    const fake = await relay();
    const agent = agentFor(fake);
    const states = watchStates(agent);
    const errors: string[] = [];
    agent.on("error", (e) => errors.push(e.code));
    await agent.ready();
    const closed = states.next((c) => c.state === "closed");
    fake.session.mux.closeWithError(
      "replaced",
      "replaced by a newer connection for endpoint hooks",
    );
    expect(await closed).toMatchObject({
      previous: "online",
      reason: "replaced by a newer connection for endpoint hooks",
      retryInMs: null,
    });
    // With `shutting_down` (before `replaced` existed) the agent went offline and redialled.
    expect(states.seen.map((c) => c.state)).toEqual(["online", "closed"]);
    expect(agent.lastError).toEqual({
      code: "replaced",
      message: "replaced by a newer connection for endpoint hooks",
    });
    expect(errors).toEqual(["replaced"]);
    expect(fake.hellos).toHaveLength(1);
  });
});

describe("agent connection: reconnection", () => {
  it("reconnects after the relay restarts on the same port, saying why it was offline", async () => {
    const fake = await relay();
    const app = await startUpstreamApp((request, res) => {
      res.end(request.url);
    });
    cleanups.push(() => app.close());
    const agent = agentFor(fake, { upstream: app.url });
    const states = watchStates(agent);
    await agent.ready();

    const refused = states.next(
      (c) => c.state === "offline" && /ECONNREFUSED/.test(c.reason ?? ""),
    );
    fake.shutdownSessions();
    await fake.close();
    await refused;
    const back = states.next((c) => c.state === "online");
    const session = fake.nextSession();
    await fake.restart();
    await Promise.all([back, session]);

    const offline = states.seen.filter((c) => c.state === "offline");
    expect(offline[0]?.reason).toBe(
      "relay closed the connection: shutting_down (the relay is restarting)",
    );
    expect(offline[1]?.reason).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    for (const change of offline) expect(change.retryInMs).toBeLessThanOrEqual(50);
    expect(fake.hellos.length).toBe(2);
    const res = await fake.request({ method: "GET", target: "/after-restart" });
    expect(res.body.toString()).toBe("/after-restart");
  });

  it("a relay that vanishes (no pings, no pongs) is dropped after heartbeatTimeoutMs and redialled", async () => {
    const fake = await relay({ heartbeatMs: 50 });
    const agent = agentFor(fake, { heartbeatTimeoutMs: 300 });
    const states = watchStates(agent);
    await agent.ready();
    const dropped = states.next((c) => c.state === "offline");
    const back = states.next((c) => c.state === "online" && c.previous === "connecting");
    const since = performance.now();
    fake.freeze();
    const change = await dropped;
    expect(performance.now() - since).toBeGreaterThanOrEqual(250);
    expect(change.reason).toMatch(/^no heartbeat for 0\.\d s$/);
    expect(agent.lastError?.code).toBe("heartbeat_timeout");
    await back;
    expect(fake.hellos).toHaveLength(2);
  });

  it("a healthy relay that never pings stays connected: the agent's own pings are answered", async () => {
    const fake = await relay({ heartbeatMs: null });
    // 600 ms: a loaded machine's event-loop stalls stay well inside it.
    const agent = agentFor(fake, { heartbeatTimeoutMs: 600 });
    const states = watchStates(agent);
    await agent.ready();
    // Four timeouts' worth of pings, counted on the relay's side rather than slept through;
    // a drop ends the wait at once (and fails below) instead of leaving it to the test timeout.
    let pings = 0;
    await Promise.race([
      new Promise<void>((resolve) => {
        webSocketOf(fake).on("ping", () => {
          if (++pings === 12) resolve();
        });
      }),
      states.next((c) => c.state !== "online"),
    ]);
    expect(agent.state).toBe("online");
    expect(states.seen.map((s) => s.state)).toEqual(["online"]);
  });

  it("a wall-clock jump past the timeout (the machine slept) drops the connection at once", async () => {
    let offset = 0;
    const fake = await relay({ heartbeatMs: 20 });
    const agent = agentFor(fake, { heartbeatTimeoutMs: 3000, now: () => Date.now() + offset });
    const states = watchStates(agent);
    await agent.ready();
    const dropped = states.next((c) => c.state === "offline");
    const since = performance.now();
    // Asleep, nothing arrives; on waking, the wall clock is two hours ahead.
    fake.freeze();
    offset = 2 * 3_600_000;
    const change = await dropped;
    // Noticed at the next ping tick (a third of the timeout), not after a whole timeout.
    expect(performance.now() - since).toBeLessThan(2500);
    expect(change.reason).toMatch(/^the clock jumped 2 h 0 min \(the machine slept\?\)$/);
    await states.next((c) => c.state === "online");
  });
});

describe("agent connection: an in-process link (connect)", () => {
  it("says hello, forwards, and close() tells the relay shutting_down, as over WebSocket", async () => {
    const fake = await relay();
    const app = await startUpstreamApp((request, res) => {
      res.end(request.url);
    });
    cleanups.push(() => app.close());
    const { agent, links } = localAgentFor(fake, { upstream: app.url });
    await agent.ready();
    expect(fake.hellos).toMatchObject([{ type: "hello", token: "htk_secret", endpoint: "hooks" }]);
    expect(fake.session.ws).toBeNull();
    const res = await fake.request({ method: "GET", target: "/in-process" });
    expect(res.body.toString()).toBe("/in-process");
    await agent.close();
    expect(fake.errors).toEqual([
      { type: "error", code: "shutting_down", message: "the agent is shutting down" },
    ]);
    expect(links.map((l) => l.state)).toEqual(["closed"]);
    expect(fake.session.link.state).toBe("closed");
  });

  it("a bad_token refusal is final: ready() rejects and connect is not called again", async () => {
    const fake = await relay({ refuse: { code: "bad_token", message: "unknown token" } });
    const { agent, links } = localAgentFor(fake);
    await expect(agent.ready()).rejects.toMatchObject({ code: "refused", reason: "bad_token" });
    expect(agent.state).toBe("closed");
    expect(links).toHaveLength(1);
  });

  it("a session the relay ends is reopened through connect, with the reason shown meanwhile", async () => {
    const fake = await relay();
    const { agent, links } = localAgentFor(fake);
    const states = watchStates(agent);
    await agent.ready();
    const offline = states.next((c) => c.state === "offline");
    const back = states.next((c) => c.state === "online" && c.previous === "connecting");
    fake.shutdownSessions("the relay is restarting");
    expect((await offline).reason).toBe(
      "relay closed the connection: shutting_down (the relay is restarting)",
    );
    await back;
    expect(links).toHaveLength(2);
    expect(links.map((l) => l.state)).toEqual(["closed", "open"]);
    expect(fake.hellos).toHaveLength(2);
  });

  it("a connect that throws is a failed attempt: offline with its message, then retried", async () => {
    const fake = await relay();
    let calls = 0;
    const { agent } = localAgentFor(fake, {}, () => {
      calls++;
      if (calls === 1) throw new Error("the relay is not started yet");
      return fake.connectLocal();
    });
    const states = watchStates(agent);
    await agent.ready();
    expect(states.seen.map((c) => [c.state, c.reason])).toEqual([
      ["offline", "the relay is not started yet"],
      ["connecting", "attempt 2"],
      ["online", null],
    ]);
    expect(calls).toBe(2);
  });

  it("a relay that never pings keeps the link: the agent's own pings are answered", async () => {
    const fake = await relay({ heartbeatMs: null });
    let pings = 0;
    const twelve = createDeferred();
    // 600 ms, as over a WebSocket above: a loaded machine's event-loop stalls stay inside it.
    const { agent } = localAgentFor(fake, { heartbeatTimeoutMs: 600 }, () => {
      const link = fake.connectLocal();
      // Counted on the agent's side: four timeouts' worth of pings, each answered in time.
      return {
        get state() {
          return link.state;
        },
        transport: link.transport,
        attach: (handlers) => link.attach(handlers),
        send: (frame, callback) => link.send(frame, callback),
        close: (code, reason) => link.close(code, reason),
        terminate: () => link.terminate(),
        ping: () => {
          link.ping();
          if (++pings === 12) twelve.resolve();
        },
      };
    });
    const states = watchStates(agent);
    await agent.ready();
    // A drop ends the wait at once (and fails below).
    await Promise.race([twelve.promise, states.next((c) => c.state !== "online")]);
    expect(agent.state).toBe("online");
    expect(states.seen.map((s) => s.state)).toEqual(["online"]);
  });
});
