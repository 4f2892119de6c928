/**
 * The contract every {@link RelayStore} implementation meets, written once and run against each
 * (SQLite on a file and in memory today; PostgreSQL later) by a `*.test.ts` that calls
 * {@link runRelayStoreContract}. Tests drive time through the injected clock, never sleeps.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EdgePolicy } from "../../protocol/index.js";
import { QUEUE_TTL_MS } from "./backoff.js";
import { StoreError, type StoreErrorCode } from "./errors.js";
import type { RelayStore } from "./relay-store.js";
import { describeQueueOperations } from "./relay-store-queue-ops.case.js";
import type { NewQueuedRequest } from "./types.js";
import { MAX_ERROR_CHARS } from "./validate.js";

/** A store under test, and what else the implementation can do with the same data. */
export interface RelayStoreHarness {
  store: RelayStore;
  /**
   * Opens another handle on the same data, as a second relay process (or a fleet member) would.
   * Absent when the data cannot be shared (SQLite `:memory:`); the cross-handle tests are skipped.
   */
  openPeer?: () => Promise<RelayStore>;
  /** Removes what the harness created; called after every store of the test is closed. */
  dispose?: () => Promise<void>;
}

/** What the suite hands to the factory: the clock the store must use for the times it sets. */
export interface RelayStoreContractOptions {
  now: () => number;
}

/** Opens an empty store for one test. */
export type OpenRelayStore = (options: RelayStoreContractOptions) => Promise<RelayStoreHarness>;

const START = 1_750_000_000_000;

/**
 * Registers the contract suite under `describe(name)`.
 *
 * @example
 * runRelayStoreContract("sqlite :memory:", async ({ now }) => ({
 *   store: await openSqliteRelayStore(":memory:", { now }),
 * }));
 */
export function runRelayStoreContract(name: string, open: OpenRelayStore): void {
  describe(`RelayStore contract: ${name}`, () => {
    const clock = { now: START };
    let harness: RelayStoreHarness;
    let store: RelayStore;
    const opened: RelayStore[] = [];

    beforeEach(async () => {
      clock.now = START;
      harness = await open({ now: () => clock.now });
      store = harness.store;
      opened.push(store);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await harness.dispose?.();
    });

    const peer = async (): Promise<RelayStore> => {
      if (harness.openPeer === undefined) throw new Error("no peer");
      const other = await harness.openPeer();
      opened.push(other);
      return other;
    };
    const itWithPeer = (title: string, body: () => Promise<void>): void => {
      it(title, async (context) => {
        if (harness.openPeer === undefined) context.skip();
        await body();
      });
    };

    const request = (endpoint: string, overrides: Partial<NewQueuedRequest> = {}) => ({
      endpoint,
      method: "POST",
      target: "/userCreated",
      httpVersion: "1.1",
      rawHeaders: [
        ["Host", "relay.example"],
        ["Content-Type", "application/json"],
      ] as [string, string][],
      body: new TextEncoder().encode('{"data":{"events":[]}}'),
      remoteAddress: "203.0.113.7",
      receivedAt: clock.now,
      ...overrides,
    });

    /** A token owning `endpoint`, for queue tests. */
    const owner = async (endpoint = "okta-dev") => {
      const { token } = await store.createToken(`owner-of-${endpoint}`);
      expect(await store.reserveEndpoint(endpoint, token.id)).toBe("reserved");
      return token;
    };

    describe("tokens", () => {
      it("creates a token and shows its secret once", async () => {
        const a = await store.createToken("laptop");
        const b = await store.createToken("ci");
        expect(a.secret).toMatch(/^htk_[0-9A-Za-z]{40}$/);
        expect(b.secret).not.toBe(a.secret);
        expect(a.token).toEqual({
          id: expect.stringMatching(/^tok_/),
          name: "laptop",
          createdAt: START,
          lastUsedAt: null,
          revokedAt: null,
        });
        const listed = await store.listTokens();
        expect(listed).toEqual([a.token, b.token]);
        expect(JSON.stringify(listed)).not.toContain(a.secret.slice(4));
      });

      it("accepts 1-64 characters of [A-Za-z0-9._-] and refuses other names", async () => {
        await store.createToken("a");
        await store.createToken("x".repeat(64));
        await store.createToken("Build.Agent_02-eu");
        for (const bad of ["", "x".repeat(65), "has space", "a/b", "tok_ü", "naïve", "a:b"]) {
          await expectStoreError(store.createToken(bad), "invalid_name", "name");
        }
        await expectStoreError(store.createToken(42 as unknown as string), "invalid_name");
        expect(await store.listTokens()).toHaveLength(3);
      });

      it("keeps names unique among non-revoked tokens only", async () => {
        const first = await store.createToken("laptop");
        await expectStoreError(store.createToken("laptop"), "name_taken", "name");
        await store.revokeToken("laptop");
        const second = await store.createToken("laptop");
        expect(second.token.id).not.toBe(first.token.id);
        expect((await store.listTokens()).map((t) => [t.id, t.revokedAt === null])).toEqual([
          [first.token.id, false],
          [second.token.id, true],
        ]);
      });

      it("lets exactly one of two concurrent creations of a name succeed", async () => {
        const results = await Promise.allSettled([
          store.createToken("same"),
          store.createToken("same"),
        ]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const failed = results.find((r) => r.status === "rejected");
        expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: "name_taken" });
      });

      it("authenticates a secret, records lastUsedAt, and refuses anything else", async () => {
        const laptop = await store.createToken("laptop");
        const ci = await store.createToken("ci");
        clock.now = START + 5000;
        expect(await store.authenticate(laptop.secret)).toEqual({
          ...laptop.token,
          lastUsedAt: START + 5000,
        });
        expect((await store.authenticate(ci.secret))?.id).toBe(ci.token.id);
        const forged = `htk_${"A".repeat(40)}`;
        for (const bad of [forged, laptop.secret.slice(0, -1), `${laptop.secret}x`, "", "htk_"]) {
          expect(await store.authenticate(bad)).toBeNull();
        }
        expect(await store.authenticate(undefined as unknown as string)).toBeNull();
        const listed = await store.listTokens();
        expect(listed.map((t) => t.lastUsedAt)).toEqual([START + 5000, START + 5000]);
      });

      it("revokes by name or id; a revoked token never authenticates again", async () => {
        const laptop = await store.createToken("laptop");
        const ci = await store.createToken("ci");
        clock.now = START + 1000;
        const revoked = await store.revokeToken("laptop");
        expect(revoked).toEqual({ ...laptop.token, revokedAt: START + 1000 });
        expect(await store.authenticate(laptop.secret)).toBeNull();
        clock.now = START + 2000;
        expect(await store.revokeToken(ci.token.id)).toMatchObject({ revokedAt: START + 2000 });
        expect(await store.authenticate(ci.secret)).toBeNull();
        clock.now = START + 3000;
        // Again by id: nothing changes; by name: names only designate live tokens.
        expect(await store.revokeToken(laptop.token.id)).toEqual(revoked);
        await expectStoreError(store.revokeToken("laptop"), "not_found");
        await expectStoreError(store.revokeToken("tok_01NOPE"), "not_found");
        await expectStoreError(store.revokeToken("nobody"), "not_found");
        await expectStoreError(store.revokeToken(7 as unknown as string), "invalid_argument");
      });

      it("gets a token by id, revoked or not; null for an unknown id", async () => {
        const laptop = await store.createToken("laptop");
        expect(await store.getToken(laptop.token.id)).toEqual(laptop.token);
        clock.now = START + 1000;
        await store.revokeToken("laptop");
        expect(await store.getToken(laptop.token.id)).toEqual({
          ...laptop.token,
          revokedAt: START + 1000,
        });
        expect(await store.getToken("tok_01NOPE")).toBeNull();
        expect(await store.getToken("laptop")).toBeNull();
        await expectStoreError(store.getToken(1 as unknown as string), "invalid_argument", "id");
      });

      it("changes its revision when a token is revoked, and not for a revocation that changes nothing", async () => {
        const laptop = await store.createToken("laptop");
        const ci = await store.createToken("ci");
        const start = await store.revision();
        await store.authenticate(laptop.secret);
        await owner("okta-dev");
        expect(await store.revision()).toBe(start);
        await store.revokeToken("laptop");
        const afterLaptop = await store.revision();
        expect(afterLaptop).not.toBe(start);
        await store.revokeToken(laptop.token.id);
        await expectStoreError(store.revokeToken("laptop"), "not_found");
        expect(await store.revision()).toBe(afterLaptop);
        await store.revokeToken(ci.token.id);
        expect(await store.revision()).not.toBe(afterLaptop);
      });

      itWithPeer("shows a revocation made through another handle in its revision", async () => {
        const other = await peer();
        const { token } = await store.createToken("laptop");
        const before = await store.revision();
        await other.revokeToken(token.id);
        expect(await store.revision()).not.toBe(before);
        expect((await store.getToken(token.id))?.revokedAt).not.toBeNull();
      });
    });

    describe("endpoints", () => {
      it("reserves a name once: reserved, then owned by its token and taken for others", async () => {
        const a = (await store.createToken("a")).token;
        const b = (await store.createToken("b")).token;
        clock.now = START + 10;
        expect(await store.reserveEndpoint("okta-dev", a.id)).toBe("reserved");
        expect(await store.reserveEndpoint("okta-dev", a.id)).toBe("owned");
        expect(await store.reserveEndpoint("okta-dev", b.id)).toBe("taken");
        expect(await store.endpointOwner("okta-dev")).toEqual({
          name: "okta-dev",
          tokenId: a.id,
          createdAt: START + 10,
        });
        expect(await store.endpointOwner("other")).toBeNull();
        expect(await store.endpointOwner("Not_Valid")).toBeNull();
      });

      it("gives a name to exactly one of two concurrent reservations", async () => {
        const a = (await store.createToken("a")).token;
        const b = (await store.createToken("b")).token;
        const results = await Promise.all([
          store.reserveEndpoint("race", a.id),
          store.reserveEndpoint("race", b.id),
        ]);
        expect([...results].sort()).toEqual(["reserved", "taken"]);
        const winner = results[0] === "reserved" ? a.id : b.id;
        expect((await store.endpointOwner("race"))?.tokenId).toBe(winner);
      });

      it("gives each of many names to exactly one of many concurrent tokens", async () => {
        const tokens = await Promise.all(
          ["t0", "t1", "t2", "t3"].map(async (n) => (await store.createToken(n)).token),
        );
        const names = Array.from({ length: 40 }, (_, i) => `name-${i}`);
        const attempts = tokens.flatMap((token, t) =>
          (t % 2 === 0 ? names : [...names].reverse()).map(async (name) => ({
            name,
            tokenId: token.id,
            result: await store.reserveEndpoint(name, token.id),
          })),
        );
        const results = await Promise.all(attempts);
        for (const name of names) {
          const winners = results.filter((r) => r.name === name && r.result === "reserved");
          expect(winners).toHaveLength(1);
          expect((await store.endpointOwner(name))?.tokenId).toBe(winners[0]?.tokenId);
        }
        expect(results.filter((r) => r.result === "taken")).toHaveLength(names.length * 3);
      });

      it("refuses invalid names, unknown tokens and revoked tokens", async () => {
        const a = (await store.createToken("a")).token;
        const bad = ["", "UPPER", "under_score", "-lead", "trail-", "a".repeat(64), "a.b", "a/b"];
        for (const name of bad) {
          await expectStoreError(store.reserveEndpoint(name, a.id), "invalid_name", "name");
        }
        await store.reserveEndpoint("a".repeat(63), a.id);
        await expectStoreError(
          store.reserveEndpoint("fine", "tok_unknown"),
          "not_found",
          "tokenId",
        );
        await store.revokeToken(a.id);
        await expectStoreError(store.reserveEndpoint("fine", a.id), "token_revoked", "tokenId");
        expect(await store.endpointOwner("fine")).toBeNull();
      });

      it("keeps a revoked token's reservations out of everyone else's reach", async () => {
        const a = (await store.createToken("a")).token;
        const b = (await store.createToken("b")).token;
        await store.reserveEndpoint("okta-dev", a.id);
        await store.revokeToken(a.id);
        expect((await store.endpointOwner("okta-dev"))?.tokenId).toBe(a.id);
        expect(await store.reserveEndpoint("okta-dev", b.id)).toBe("taken");
        expect(await store.releaseEndpoint("okta-dev", a.id)).toBe(true);
        expect(await store.reserveEndpoint("okta-dev", b.id)).toBe("reserved");
      });

      it("lists reservations by name, all or one token's", async () => {
        const a = (await store.createToken("a")).token;
        const b = (await store.createToken("b")).token;
        await store.reserveEndpoint("zeta", a.id);
        await store.reserveEndpoint("alpha", b.id);
        await store.reserveEndpoint("mid", a.id);
        expect((await store.listEndpoints()).map((e) => [e.name, e.tokenId])).toEqual([
          ["alpha", b.id],
          ["mid", a.id],
          ["zeta", a.id],
        ]);
        expect((await store.listEndpoints(a.id)).map((e) => e.name)).toEqual(["mid", "zeta"]);
        expect(await store.listEndpoints("tok_nobody")).toEqual([]);
      });

      it("releases only for the owner, and takes the endpoint's queue with it", async () => {
        const a = await owner("okta-dev");
        const b = (await store.createToken("b")).token;
        const first = await store.enqueue(request("okta-dev"));
        const second = await store.enqueue(request("okta-dev"));
        await store.markDelivered(first.id, 200, START + 1);
        expect(await store.releaseEndpoint("okta-dev", b.id)).toBe(false);
        expect(await store.releaseEndpoint("nowhere", a.id)).toBe(false);
        expect((await store.endpointOwner("okta-dev"))?.tokenId).toBe(a.id);
        expect(await store.get(second.id)).not.toBeNull();

        expect(await store.releaseEndpoint("okta-dev", a.id)).toBe(true);
        expect(await store.endpointOwner("okta-dev")).toBeNull();
        expect(await store.get(first.id)).toBeNull();
        expect(await store.get(second.id)).toBeNull();
        expect(await store.reserveEndpoint("okta-dev", b.id)).toBe("reserved");
        expect(await store.history("okta-dev")).toEqual([]);
        expect(await store.nextDue("okta-dev", START + QUEUE_TTL_MS)).toBeNull();
      });
    });

    describe("edge policies", () => {
      const policy: EdgePolicy = {
        oktaChallenge: "edge",
        requireHeader: { name: "Authorization", value: "Basic YWRtaW46c3VwZXJzZWNyZXQ=" },
        maxBodyBytes: 1024,
        queue: "always",
      };

      it("stores a reserved endpoint's policy, replaces it, and returns null when none was set", async () => {
        await owner("okta-dev");
        expect(await store.endpointPolicy("okta-dev")).toBeNull();
        await store.setEndpointPolicy("okta-dev", policy);
        expect(await store.endpointPolicy("okta-dev")).toEqual(policy);
        const open: EdgePolicy = { ...policy, requireHeader: null, queue: "never" };
        await store.setEndpointPolicy("okta-dev", open);
        expect(await store.endpointPolicy("okta-dev")).toEqual(open);
        expect(await store.endpointPolicy("nowhere")).toBeNull();
      });

      it("keeps only the fields of EdgePolicy", async () => {
        await owner("okta-dev");
        const extra = {
          ...policy,
          colour: "blue",
          requireHeader: { ...policy.requireHeader, x: 1 },
        };
        await store.setEndpointPolicy("okta-dev", extra as unknown as EdgePolicy);
        expect(await store.endpointPolicy("okta-dev")).toEqual(policy);
      });

      it("refuses unreserved endpoints and malformed policies, changing nothing", async () => {
        await expectStoreError(store.setEndpointPolicy("nowhere", policy), "not_found", "name");
        await owner("okta-dev");
        await store.setEndpointPolicy("okta-dev", policy);
        const bad: [unknown, string][] = [
          [null, "policy"],
          [{ ...policy, oktaChallenge: "maybe" }, "policy.oktaChallenge"],
          [{ ...policy, queue: "sometimes" }, "policy.queue"],
          [{ ...policy, maxBodyBytes: -1 }, "policy.maxBodyBytes"],
          [{ ...policy, maxBodyBytes: 1.5 }, "policy.maxBodyBytes"],
          [{ ...policy, requireHeader: "Authorization" }, "policy.requireHeader"],
          [
            { ...policy, requireHeader: { name: "Bad Name", value: "x" } },
            "policy.requireHeader.name",
          ],
          [{ ...policy, requireHeader: { name: "X", value: "" } }, "policy.requireHeader.value"],
          [
            { ...policy, requireHeader: { name: "X", value: "a\r\nb" } },
            "policy.requireHeader.value",
          ],
        ];
        for (const [value, field] of bad) {
          await expectStoreError(
            store.setEndpointPolicy("okta-dev", value as EdgePolicy),
            "invalid_argument",
            field,
          );
        }
        expect(await store.endpointPolicy("okta-dev")).toEqual(policy);
      });

      it("forgets the policy when the endpoint is released", async () => {
        const a = await owner("okta-dev");
        await store.setEndpointPolicy("okta-dev", policy);
        await store.releaseEndpoint("okta-dev", a.id);
        expect(await store.endpointPolicy("okta-dev")).toBeNull();
        await store.reserveEndpoint("okta-dev", a.id);
        expect(await store.endpointPolicy("okta-dev")).toBeNull();
      });

      itWithPeer("shares policies with another handle", async () => {
        const other = await peer();
        await owner("okta-dev");
        await store.setEndpointPolicy("okta-dev", policy);
        expect(await other.endpointPolicy("okta-dev")).toEqual(policy);
      });
    });

    describe("queue", () => {
      it("enqueues a pending request, due at once, expiring after the TTL", async () => {
        await owner();
        clock.now = START + 7;
        const input = request("okta-dev", { receivedAt: START + 5 });
        const item = await store.enqueue(input);
        expect(item).toEqual({
          ...input,
          id: expect.stringMatching(/^req_/),
          attempts: 0,
          nextAttemptAt: START + 5,
          lastAttemptAt: null,
          lastError: null,
          lastStatus: null,
          state: "pending",
          deliveredAt: null,
          failedAt: null,
          expiresAt: START + 5 + QUEUE_TTL_MS,
        });
        expect(await store.get(item.id)).toEqual(item);
        const short = await store.enqueue(request("okta-dev"), { ttlMs: 60_000 });
        expect(short.expiresAt).toBe(clock.now + 60_000);
        expect(await store.get("req_nope")).toBeNull();
      });

      it("keeps bodies byte for byte, whatever their size and content", async () => {
        await owner();
        const everyByte = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
        const framed = new Uint8Array([0xde, 0xad, ...everyByte, 0xbe, 0xef]);
        const bodies = [
          new Uint8Array(0),
          new Uint8Array([0]),
          everyByte,
          framed.subarray(2, 2 + everyByte.length),
          new Uint8Array(randomBytes(1)),
          new Uint8Array(randomBytes(4097)),
          new Uint8Array(randomBytes(1024 * 1024 + 3)),
          new TextEncoder().encode("caf\u00e9 \u{1f600} \u0000 end"),
        ];
        const ids: string[] = [];
        for (const body of bodies)
          ids.push((await store.enqueue(request("okta-dev", { body }))).id);
        framed.fill(0);
        for (const [index, id] of ids.entries()) {
          const stored = await store.get(id);
          expect(stored?.body).toBeInstanceOf(Uint8Array);
          expect(stored?.body.byteLength).toBe(bodies[index]?.byteLength);
          const expected = index === 3 ? everyByte : bodies[index];
          expect(Buffer.from(stored?.body ?? []).equals(Buffer.from(expected ?? []))).toBe(true);
        }
      });

      it("keeps raw headers in order, with their case, repeats and odd values", async () => {
        await owner();
        const rawHeaders: [string, string][] = [
          ["HOST", "relay.example"],
          ["x-okta-verification-challenge", "abc"],
          ["Set-Cookie", "a=1"],
          ["set-cookie", "b=2"],
          ["Set-Cookie", "a=1"],
          ["Authorization", "Basic YWRtaW46c3VwZXJzZWNyZXQ="],
          ["X-Empty", ""],
          ["X-Latin1", "caf\u00e9 \u00ff\u0080"],
          ["X-Json", '{"a":["b\\"c"]}'],
          ["X-Spaces", "  padded  "],
          ["content-type", "application/json; charset=UTF-8"],
        ];
        const item = await store.enqueue(
          request("okta-dev", { rawHeaders, method: "PATCH", target: "/a/b?c=d&c=e#f" }),
        );
        const stored = await store.get(item.id);
        expect(stored?.rawHeaders).toEqual(rawHeaders);
        expect(stored?.method).toBe("PATCH");
        expect(stored?.target).toBe("/a/b?c=d&c=e#f");
        expect((await store.enqueue(request("okta-dev", { rawHeaders: [] }))).rawHeaders).toEqual(
          [],
        );
      });

      it("refuses requests for endpoints nobody reserved, and ill-formed requests", async () => {
        await owner();
        await expectStoreError(store.enqueue(request("nobody-here")), "not_found", "endpoint");
        await expectStoreError(store.enqueue(request("Bad_Name")), "invalid_name", "endpoint");
        const cases: [Partial<NewQueuedRequest>, string][] = [
          [{ method: "GE T" }, "method"],
          [{ method: "" }, "method"],
          [{ httpVersion: "HTTP/1.1" }, "httpVersion"],
          [{ target: 5 as unknown as string }, "target"],
          [{ rawHeaders: {} as unknown as [string, string][] }, "rawHeaders"],
          [{ rawHeaders: [["a"]] as unknown as [string, string][] }, "rawHeaders[0]"],
          [
            {
              rawHeaders: [
                ["a", "b"],
                ["c", 1],
              ] as unknown as [string, string][],
            },
            "rawHeaders[1]",
          ],
          [{ body: "text" as unknown as Uint8Array }, "body"],
          [{ remoteAddress: null as unknown as string }, "remoteAddress"],
          [{ receivedAt: 1.5 }, "receivedAt"],
          [{ receivedAt: -1 }, "receivedAt"],
        ];
        for (const [overrides, field] of cases) {
          await expectStoreError(
            store.enqueue(request("okta-dev", overrides)),
            "invalid_argument",
            field,
          );
        }
        await expectStoreError(
          store.enqueue(request("okta-dev"), { ttlMs: 0 }),
          "invalid_argument",
          "ttlMs",
        );
        expect(await store.pending("okta-dev")).toEqual([]);
      });

      it("keeps arrival order across many enqueues and endpoints", async () => {
        await owner("one");
        await owner("two");
        const sequential: string[] = [];
        for (let i = 0; i < 150; i += 1) {
          const endpoint = i % 3 === 0 ? "two" : "one";
          const item = await store.enqueue(request(endpoint, { target: `/${i}` }));
          if (endpoint === "one") sequential.push(item.id);
        }
        const burst = await Promise.all(
          Array.from({ length: 150 }, (_, i) =>
            store.enqueue(request("one", { target: `/b${i}` })),
          ),
        );
        const pending = await store.pending("one");
        expect(pending.map((p) => p.id)).toEqual([...sequential, ...burst.map((b) => b.id)]);
        expect(new Set(pending.map((p) => p.id)).size).toBe(pending.length);
        expect([...pending.map((p) => p.id)].sort()).toEqual(pending.map((p) => p.id));
        expect((await store.pending("one", { limit: 3 })).map((p) => p.id)).toEqual(
          sequential.slice(0, 3),
        );

        // Delivering head after head walks the queue in the same order.
        const walked: string[] = [];
        for (;;) {
          const due = await store.nextDue("one", clock.now);
          if (due === null) break;
          walked.push(due.id);
          await store.markDelivered(due.id, 204, clock.now);
        }
        expect(walked).toEqual(pending.map((p) => p.id));
        expect(await store.pending("two")).toHaveLength(50);
      });

      it("counts pending requests per endpoint without reading them", async () => {
        await owner("okta-dev");
        await owner("other");
        expect(await store.countPending("okta-dev")).toBe(0);
        const first = await store.enqueue(request("okta-dev"));
        await store.enqueue(request("okta-dev"));
        await store.enqueue(request("other"));
        expect(await store.countPending("okta-dev")).toBe(2);
        await store.markDelivered(first.id, 204, START + 1);
        expect(await store.countPending("okta-dev")).toBe(1);
        expect(await store.countPending("other")).toBe(1);
        expect(await store.countPending("nowhere")).toBe(0);
        await expectStoreError(store.countPending(3 as unknown as string), "invalid_argument");
      });

      it("holds the queue behind a head that is not due yet", async () => {
        await owner();
        await owner("elsewhere");
        expect(await store.nextDue("okta-dev", START)).toBeNull();
        const first = await store.enqueue(request("okta-dev"));
        const second = await store.enqueue(request("okta-dev"));
        const other = await store.enqueue(request("elsewhere"));
        expect((await store.nextDue("okta-dev", START))?.id).toBe(first.id);
        await store.recordAttempt(first.id, { status: 503, nextAttemptAt: START + 1000 });
        // The second request is due, but delivering it first would break arrival order.
        expect(await store.nextDue("okta-dev", START + 999)).toBeNull();
        expect((await store.nextDue("elsewhere", START))?.id).toBe(other.id);
        expect((await store.nextDue("okta-dev", START + 1000))?.id).toBe(first.id);
        await store.markDelivered(first.id, 200, START + 1000);
        expect((await store.nextDue("okta-dev", START + 1000))?.id).toBe(second.id);
        await store.markFailed(second.id, "gone", START + 1001);
        expect(await store.nextDue("okta-dev", START + 1001)).toBeNull();
      });

      it("records failed attempts", async () => {
        await owner();
        const item = await store.enqueue(request("okta-dev"));
        clock.now = START + 50;
        const one = await store.recordAttempt(item.id, {
          status: 502,
          error: "upstream answered 502",
          nextAttemptAt: START + 1050,
        });
        expect(one).toMatchObject({
          attempts: 1,
          lastAttemptAt: START + 50,
          lastStatus: 502,
          lastError: "upstream answered 502",
          nextAttemptAt: START + 1050,
          state: "pending",
        });
        const two = await store.recordAttempt(item.id, {
          error: "x".repeat(MAX_ERROR_CHARS + 500),
          nextAttemptAt: START + 3050,
          at: START + 1060,
        });
        expect(two).toMatchObject({ attempts: 2, lastAttemptAt: START + 1060, lastStatus: null });
        expect(two.lastError).toHaveLength(MAX_ERROR_CHARS);
        expect(await store.get(item.id)).toEqual(two);
        await expectStoreError(
          store.recordAttempt(item.id, { status: 42, nextAttemptAt: 1 }),
          "invalid_argument",
          "status",
        );
        await expectStoreError(
          store.recordAttempt(item.id, { nextAttemptAt: 1.5 }),
          "invalid_argument",
          "nextAttemptAt",
        );
        await expectStoreError(
          store.recordAttempt("req_nope", { nextAttemptAt: 1 }),
          "not_found",
          "id",
        );
      });

      it("marks a request delivered once, and refuses changes afterwards", async () => {
        await owner();
        const item = await store.enqueue(request("okta-dev"));
        await store.recordAttempt(item.id, { error: "timeout", nextAttemptAt: START + 1 });
        const done = await store.markDelivered(item.id, 204, START + 9);
        expect(done).toMatchObject({
          state: "delivered",
          deliveredAt: START + 9,
          lastAttemptAt: START + 9,
          lastStatus: 204,
          lastError: null,
          attempts: 2,
          failedAt: null,
        });
        await expectStoreError(
          store.markDelivered(item.id, 200, START + 10),
          "invalid_state",
          "id",
        );
        await expectStoreError(store.markFailed(item.id, "x", START + 10), "invalid_state");
        await expectStoreError(
          store.recordAttempt(item.id, { nextAttemptAt: START + 10 }),
          "invalid_state",
        );
        expect(await store.get(item.id)).toEqual(done);
        const other = await store.enqueue(request("okta-dev"));
        await expectStoreError(
          store.markDelivered(other.id, 500, START),
          "invalid_argument",
          "status",
        );
        await expectStoreError(store.markDelivered(other.id, 200, -5), "invalid_argument", "at");
        await expectStoreError(store.markDelivered("req_nope", 200, START), "not_found");
      });

      it("delivers a request whose window ran out during the attempt that got the answer, only that one", async () => {
        await owner();
        const during = await store.enqueue(request("okta-dev"), { ttlMs: 1000 });
        const after = await store.enqueue(request("okta-dev"), { ttlMs: 1000 });
        const plain = await store.enqueue(request("okta-dev"), { ttlMs: 1000 });
        const given = await store.enqueue(request("okta-dev"), { ttlMs: 5000 });
        await store.markFailed(given.id, "app answered 410 Gone", START + 600);
        // Attempts on `during`, `plain` and `given` start at START + 500; the sweep comes at 1000.
        expect(await store.expire(START + 1000)).toBe(3);

        const done = await store.markDelivered(during.id, 200, START + 1200, {
          attemptStartedAt: START + 500,
        });
        expect(done).toMatchObject({
          state: "delivered",
          deliveredAt: START + 1200,
          failedAt: null,
          lastError: null,
          lastStatus: 200,
          attempts: 1,
        });
        // Expired before the attempt started: it was not in flight when its window ran out.
        await expectStoreError(
          store.markDelivered(after.id, 200, START + 1200, { attemptStartedAt: START + 1100 }),
          "invalid_state",
        );
        // Without the attempt's start nothing says it was in flight.
        await expectStoreError(store.markDelivered(plain.id, 200, START + 1200), "invalid_state");
        // Failed for another reason than its window: it stays failed.
        await expectStoreError(
          store.markDelivered(given.id, 200, START + 1200, { attemptStartedAt: START + 500 }),
          "invalid_state",
        );
        await expectStoreError(
          store.markDelivered(plain.id, 200, START + 1200, { attemptStartedAt: -1 }),
          "invalid_argument",
          "attemptStartedAt",
        );
        expect((await store.get(after.id))?.state).toBe("failed");
        expect((await store.get(plain.id))?.state).toBe("failed");
        expect((await store.get(given.id))?.lastError).toBe("app answered 410 Gone");
      });

      it("marks a request failed, keeping it in history", async () => {
        await owner();
        const item = await store.enqueue(request("okta-dev"));
        const failed = await store.markFailed(item.id, "app answered 410 Gone", START + 3);
        expect(failed).toMatchObject({
          state: "failed",
          failedAt: START + 3,
          lastError: "app answered 410 Gone",
          deliveredAt: null,
          attempts: 0,
        });
        expect(await store.pending("okta-dev")).toEqual([]);
        expect(await store.history("okta-dev")).toEqual([failed]);
        await expectStoreError(store.markFailed(item.id, "again", START + 4), "invalid_state");
      });

      it("expires pending requests past their deadline, and only those", async () => {
        await owner();
        const old = await store.enqueue(request("okta-dev"), { ttlMs: 1000 });
        const delivered = await store.enqueue(request("okta-dev"), { ttlMs: 1000 });
        const young = await store.enqueue(request("okta-dev"), { ttlMs: 5000 });
        await store.recordAttempt(old.id, { status: 500, error: "HTTP 500", nextAttemptAt: START });
        await store.markDelivered(delivered.id, 200, START + 1);
        expect(await store.expire(START + 999)).toBe(0);
        expect(await store.expire(START + 1000)).toBe(1);
        expect(await store.expire(START + 1000)).toBe(0);
        const expired = await store.get(old.id);
        expect(expired).toMatchObject({ state: "failed", failedAt: START + 1000, attempts: 1 });
        expect(expired?.lastError).toMatch(/expired/);
        expect(expired?.lastError).toContain("HTTP 500");
        expect((await store.get(delivered.id))?.state).toBe("delivered");
        expect((await store.get(young.id))?.state).toBe("pending");
        expect((await store.nextDue("okta-dev", START + 1000))?.id).toBe(young.id);
        expect(await store.expire(START + 10_000)).toBe(1);
        await expectStoreError(store.expire(Number.NaN), "invalid_argument", "now");
      });

      it("deletes delivered requests delivered before a time, and never pending or failed ones", async () => {
        await owner();
        await owner("other");
        const delivered = async (endpoint: string, at: number) => {
          const item = await store.enqueue(request(endpoint));
          return store.markDelivered(item.id, 200, at);
        };
        const old = await delivered("okta-dev", START + 100);
        const elsewhere = await delivered("other", START + 50);
        const edge = await delivered("okta-dev", START + 200);
        const young = await delivered("okta-dev", START + 300);
        const failed = await store.enqueue(request("okta-dev"));
        await store.markFailed(failed.id, "app answered 410 Gone", START + 10);
        const pending = await store.enqueue(request("okta-dev"));
        await store.recordAttempt(pending.id, { status: 503, nextAttemptAt: START + 20 });
        const revision = await store.revision();

        for (const bad of [Number.NaN, -1, 1.5, "1" as unknown as number]) {
          await expectStoreError(store.pruneDelivered(bad), "invalid_argument", "before");
        }
        expect(await store.countRequests()).toBe(6);

        expect(await store.pruneDelivered(START + 50)).toBe(0);
        expect(await store.pruneDelivered(START + 101)).toBe(2);
        expect(await store.get(old.id)).toBeNull();
        expect(await store.get(elsewhere.id)).toBeNull();
        // Strictly before: a request delivered at `before` stays.
        expect(await store.pruneDelivered(START + 200)).toBe(0);
        expect(await store.get(edge.id)).toEqual(edge);
        expect(await store.pruneDelivered(START + 10_000_000)).toBe(2);
        expect(await store.get(young.id)).toBeNull();

        expect((await store.listRequests()).map((r) => [r.id, r.state])).toEqual([
          [pending.id, "pending"],
          [failed.id, "failed"],
        ]);
        expect((await store.get(failed.id))?.failedAt).toBe(START + 10);
        expect((await store.nextDue("okta-dev", START + 20))?.id).toBe(pending.id);
        expect(await store.revision()).toBe(revision);
      });

      it("pages through history newest first", async () => {
        await owner();
        await owner("elsewhere");
        const ids: string[] = [];
        for (let i = 0; i < 23; i += 1) {
          const item = await store.enqueue(request("okta-dev", { target: `/${i}` }));
          if (i % 4 === 0) await store.markDelivered(item.id, 200, START);
          if (i % 5 === 0 && i % 4 !== 0) await store.markFailed(item.id, "no", START);
          ids.push(item.id);
        }
        const foreign = await store.enqueue(request("elsewhere"));
        const newestFirst = [...ids].reverse();
        expect((await store.history("okta-dev")).map((h) => h.id)).toEqual(newestFirst);
        const seen: string[] = [];
        let before: string | undefined;
        for (;;) {
          const page = await store.history(
            "okta-dev",
            before === undefined ? { limit: 5 } : { limit: 5, before },
          );
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(5);
          seen.push(...page.map((h) => h.id));
          before = page[page.length - 1]?.id;
        }
        expect(seen).toEqual(newestFirst);
        expect(new Set((await store.history("okta-dev")).map((h) => h.state))).toEqual(
          new Set(["pending", "delivered", "failed"]),
        );
        await expectStoreError(
          store.history("okta-dev", { before: foreign.id }),
          "not_found",
          "before",
        );
        await expectStoreError(store.history("okta-dev", { before: "req_nope" }), "not_found");
        await expectStoreError(
          store.history("okta-dev", { limit: 0 }),
          "invalid_argument",
          "limit",
        );
        await expectStoreError(store.history("okta-dev", { limit: 1001 }), "invalid_argument");
        expect(await store.history("nobody")).toEqual([]);
      });

      it("lists at most 50 history items unless asked for more", async () => {
        await owner();
        for (let i = 0; i < 60; i += 1) await store.enqueue(request("okta-dev"));
        expect(await store.history("okta-dev")).toHaveLength(50);
        expect(await store.history("okta-dev", { limit: 1000 })).toHaveLength(60);
      });
    });

    describeQueueOperations({
      store: () => store,
      clock,
      start: START,
      owner,
      request,
      peer,
      itWithPeer,
      expectStoreError,
    });

    describe("lifecycle", () => {
      it("closes idempotently and refuses every call afterwards", async () => {
        await owner();
        await store.close();
        await store.close();
        await expectStoreError(store.listTokens(), "closed");
        await expectStoreError(store.createToken("late"), "closed");
        await expectStoreError(store.authenticate(`htk_${"a".repeat(40)}`), "closed");
        await expectStoreError(store.enqueue(request("okta-dev")), "closed");
        await expectStoreError(store.nextDue("okta-dev", START), "closed");
        await expectStoreError(store.expire(START), "closed");
        await expectStoreError(store.pruneDelivered(START), "closed");
        await expectStoreError(store.revision(), "closed");
        await expectStoreError(store.getToken("tok_01NOPE"), "closed");
        await expectStoreError(store.listRequests(), "closed");
        await expectStoreError(store.retryRequests({ failed: true }), "closed");
        await expectStoreError(store.dropRequests({ failed: true }), "closed");
      });

      itWithPeer("shares tokens, reservations and the queue with another handle", async () => {
        const other = await peer();
        const { token, secret } = await store.createToken("laptop");
        expect((await other.authenticate(secret))?.id).toBe(token.id);
        expect(await other.reserveEndpoint("okta-dev", token.id)).toBe("reserved");
        expect(await store.reserveEndpoint("okta-dev", token.id)).toBe("owned");
        const item = await store.enqueue(request("okta-dev", { body: new Uint8Array([1, 2, 3]) }));
        expect(await other.nextDue("okta-dev", START)).toEqual(item);
        await other.markDelivered(item.id, 200, START);
        expect((await store.get(item.id))?.state).toBe("delivered");
        await store.close();
        expect((await other.get(item.id))?.body).toEqual(new Uint8Array([1, 2, 3]));
      });

      itWithPeer("gives a name to exactly one reservation across handles", async () => {
        const other = await peer();
        const a = (await store.createToken("a")).token;
        const b = (await store.createToken("b")).token;
        const names = Array.from({ length: 30 }, (_, i) => `shared-${i}`);
        const results = await Promise.all(
          names.flatMap((name) => [
            store.reserveEndpoint(name, a.id).then((r) => ({ name, r, id: a.id })),
            other.reserveEndpoint(name, b.id).then((r) => ({ name, r, id: b.id })),
          ]),
        );
        for (const name of names) {
          const winners = results.filter((x) => x.name === name && x.r === "reserved");
          expect(winners).toHaveLength(1);
          expect((await other.endpointOwner(name))?.tokenId).toBe(winners[0]?.id);
        }
      });
    });
  });
}

/** Awaits a rejection with a `StoreError` of `code` (and `field`, when given). */
async function expectStoreError(
  promise: Promise<unknown>,
  code: StoreErrorCode,
  field?: string,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected a StoreError ${code}`).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
  if (field !== undefined) expect((error as StoreError).field).toBe(field);
}
