import { describe, expect, it } from "vitest";
import { buildDelivery, buildLogEvent, serializeDelivery } from "../okta/index.js";
import { createHonoHandler } from "./hono.js";
import { createReceiver } from "./receiver.js";
import { handleWebRequest } from "./web.js";

const SECRET = "s3cret";

function receiverWith(maxBodyBytes?: number) {
  return createReceiver({
    auth: { name: "authorization", value: SECRET },
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
}

describe("handleWebRequest", () => {
  it("answers the verification GET", async () => {
    const response = await handleWebRequest(
      receiverWith(),
      new Request("http://localhost/okta", {
        headers: { authorization: SECRET, "x-okta-verification-challenge": "abc" },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe('{"verification":"abc"}');
  });

  it("dispatches a delivery and hands the path and query to the handlers", async () => {
    const receiver = receiverWith();
    const urls: string[] = [];
    receiver.onAny((_event, context) => {
      urls.push(context.request.url);
    });
    const body = serializeDelivery(
      buildDelivery([buildLogEvent("user.lifecycle.create")], {
        hookId: "who8vt36qfNpCGz9H1e6",
        orgUrl: "https://dev-123456.okta.com",
      }),
    );
    const response = await handleWebRequest(
      receiver,
      new Request("http://localhost/okta/events?x=1", {
        method: "POST",
        headers: { authorization: SECRET },
        body,
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await receiver.idle();
    expect(urls).toEqual(["/okta/events?x=1"]);
  });

  it("cancels a streamed body past maxBodyBytes and answers 413", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = await handleWebRequest(
      receiverWith(4096),
      new Request("http://localhost/okta", {
        method: "POST",
        headers: { authorization: SECRET },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large" });
    expect(cancelled).toBe(true);
  });

  it("answers 413 from a declared content-length without reading", async () => {
    let pulled = false;
    const body = new ReadableStream<Uint8Array>({
      pull() {
        pulled = true;
      },
    });
    const response = await handleWebRequest(
      receiverWith(10),
      new Request("http://localhost/okta", {
        method: "POST",
        headers: { authorization: SECRET, "content-length": "11" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(pulled).toBe(false);
  });

  it.each([
    ["a wrong auth header", "POST", { authorization: "nope" }, 401],
    ["no auth header", "POST", {}, 401],
    ["a method other than GET or POST", "PUT", { authorization: SECRET }, 405],
  ])(
    "answers %s from the head and cancels the body unread",
    async (_name, method, headers, status) => {
      let pulled = false;
      let cancelled = false;
      const body = new ReadableStream<Uint8Array>(
        {
          pull() {
            pulled = true;
          },
          cancel() {
            cancelled = true;
          },
        },
        { highWaterMark: 0 },
      );
      const response = await handleWebRequest(
        receiverWith(),
        new Request("http://localhost/okta", {
          method,
          headers,
          body,
          duplex: "half",
        } as RequestInit),
      );
      expect(response.status).toBe(status);
      expect(pulled).toBe(false);
      expect(cancelled).toBe(true);
    },
  );

  it("answers 400 bad_request when the body stream fails", async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("connection reset"));
      },
    });
    const response = await handleWebRequest(
      receiverWith(),
      new Request("http://localhost/okta", {
        method: "POST",
        headers: { authorization: SECRET },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "bad_request" });
  });
});

describe("createHonoHandler", () => {
  it("answers the context's raw request", async () => {
    const handler = createHonoHandler(receiverWith());
    const response = await handler({
      req: { raw: new Request("http://localhost/", { method: "PUT" }) },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
  });
});
