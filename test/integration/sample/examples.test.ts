/**
 * Every program of examples/ as a real process: it must start on the port given in PORT, answer
 * Okta's verification GET and print the guide's line for a delivery.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GUIDE_BASIC_AUTH, sampleDelivery } from "../../../src/sample/index.js";
import { assertBuilt, REPO_ROOT, spawnNode, stopAllProcesses } from "../../helpers/process.js";

const AUTH = { authorization: GUIDE_BASIC_AUTH.value };
const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+)/;

interface ExampleCase {
  file: string;
  path: string;
  auth: boolean;
  body: string;
  printed: RegExp;
}

const created = sampleDelivery({ users: ["grace@example.com", "alan@example.com"] });
const EXAMPLES: ExampleCase[] = [
  {
    file: "examples/user-created.mjs",
    path: "/userCreated",
    auth: true,
    body: JSON.stringify(created),
    printed: /^The user alan@example\.com has been added to the Okta org!$/,
  },
  {
    file: "examples/express-user-created.mjs",
    path: "/userCreated",
    auth: true,
    body: JSON.stringify(created),
    printed: /^The user alan@example\.com has been added to the Okta org!$/,
  },
  {
    file: "examples/user-deactivated.mjs",
    path: "/userDeactivated",
    auth: true,
    body: readFileSync(
      join(REPO_ROOT, "examples/deliveries/user-lifecycle-deactivate.json"),
      "utf8",
    ),
    printed: /^The user john\.doe@example\.com has been deactivated on the Okta org!$/,
  },
  {
    file: "examples/okta-webhooks.mjs",
    path: "/any/path",
    auth: false,
    // The body examples/README.md's curl sends (shared spec §1.5).
    body: readFileSync(join(REPO_ROOT, "examples/deliveries/user-lifecycle-create.json"), "utf8"),
    printed: /"eventId": "3f0b5a4e-7c1d-4c53-9a57-1e2b8d6f90aa"/,
  },
];

beforeAll(() => assertBuilt());
afterEach(() => stopAllProcesses());

describe("examples", () => {
  for (const example of EXAMPLES) {
    it(`${example.file} answers the verification GET and prints for a delivery`, async () => {
      const proc = spawnNode([example.file], { env: { PORT: "0" } });
      const [, base] = await proc.waitForLine(URL_LINE);
      const url = `${base}${example.path}`;
      const auth = example.auth ? AUTH : {};

      if (example.auth) {
        const denied = await fetch(url, { headers: { "x-okta-verification-challenge": "c" } });
        expect(denied.status).toBe(401);
      }
      const verify = await fetch(url, {
        headers: { ...auth, "x-okta-verification-challenge": "c-7" },
      });
      expect(verify.status).toBe(200);
      expect(await verify.json()).toEqual({ verification: "c-7" });

      const delivery = await fetch(url, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: example.body,
      });
      expect(delivery.status).toBe(200);
      await proc.waitForLine(example.printed);
    });
  }

  it("user-created.mjs prints the no-user line for an event without target, and keeps serving", async () => {
    const proc = spawnNode(["examples/user-created.mjs"], { env: { PORT: "0" } });
    const [, base] = await proc.waitForLine(URL_LINE);
    const delivery = sampleDelivery();
    const [event] = delivery.data.events;
    if (event !== undefined) event.target = [];
    const headers = { ...AUTH, "content-type": "application/json" };
    await fetch(`${base}/userCreated`, { method: "POST", headers, body: JSON.stringify(delivery) });
    await proc.waitForLine(/^No user in request! Update the JSON target field with a value\.$/);
    const next = JSON.stringify(sampleDelivery({ users: ["after@example.com"] }));
    await fetch(`${base}/userCreated`, { method: "POST", headers, body: next });
    await proc.waitForLine(/^The user after@example\.com has been added to the Okta org!$/);
  });
});
