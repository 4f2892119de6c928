/**
 * The OpenAPI 3.1 document of the inspector's API, served at `/api/openapi.json`. Written by
 * hand next to the routes; a test holds that every route is described and every described
 * operation is routed.
 */
import { EXCHANGE_ORIGINS } from "../capture/index.js";

const json = (schema: unknown) => ({ "application/json": { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [String(status), { $ref: `#/components/responses/Problem${status}` }]),
  );
const idParam = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string" },
  description: "An exchange id (ULID-shaped, sorts by arrival).",
};
const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: "null" }] });

const FILTERS = [
  ["endpoint", "string", "Only this tunnel endpoint's exchanges."],
  ["method", "string", "HTTP method, exact (case-insensitive)."],
  ["path", "string", "Prefix of the path part of the target."],
  ["status", "string", "A status code (`404`) or class (`2xx` … `5xx`)."],
  ["minDurationMs", "number", "At least this long from arrival to done."],
  ["maxDurationMs", "number", "At most this long."],
  ["origin", "string", `One of ${EXCHANGE_ORIGINS.join(", ")}.`],
  [
    "header",
    "string",
    "`Name: value`: a request or response header whose value contains `value` (`Name` alone: present).",
  ],
  ["oktaEventType", "string", "Deliveries carrying an event of this type."],
  ["targetUser", "string", "Deliveries targeting this user (id or alternateId, case-insensitive)."],
  ["text", "string", "Full-text search in bodies and target."],
  ["parentId", "string", "Replays of this exchange."],
].map(([name, type, description]) => ({
  name,
  in: "query",
  required: false,
  schema: type === "string" && name === "origin" ? { type, enum: EXCHANGE_ORIGINS } : { type },
  description,
}));

const pairs = {
  type: "array",
  items: {
    type: "array",
    prefixItems: [{ type: "string" }, { type: "string" }],
    minItems: 2,
    maxItems: 2,
  },
  description: "Header pairs in wire order, case and repeats kept.",
};

const schemas = {
  Problem: {
    type: "object",
    description: "RFC 9457 problem details, plus a stable `code`.",
    required: ["type", "title", "status", "detail", "code"],
    properties: {
      type: { type: "string" },
      title: { type: "string" },
      status: { type: "integer" },
      detail: { type: "string" },
      code: { type: "string" },
      field: { type: "string", description: "The request field or query parameter at fault." },
    },
  },
  Body: {
    type: "object",
    description: "Exactly one of `text` (UTF-8 bytes) and `base64` (anything else) is a string.",
    required: ["size", "truncated", "kept", "encoding", "text", "base64"],
    properties: {
      size: { type: "integer", description: "Size on the wire." },
      truncated: { type: "boolean" },
      kept: { type: "integer", description: "Bytes kept by the capture." },
      encoding: { enum: ["utf8", "base64"] },
      text: { type: ["string", "null"] },
      base64: { type: ["string", "null"] },
    },
  },
  ExchangeSummary: {
    type: "object",
    required: [
      "id",
      "uri",
      "endpoint",
      "origin",
      "state",
      "method",
      "target",
      "status",
      "time",
      "okta",
      "lint",
    ],
    properties: {
      id: { type: "string" },
      uri: { type: "string" },
      endpoint: { type: "string" },
      origin: { enum: EXCHANGE_ORIGINS },
      parentId: { type: ["string", "null"] },
      queueId: { type: ["string", "null"] },
      remoteAddress: { type: ["string", "null"] },
      state: { enum: ["pending", "complete", "failed"] },
      method: { type: "string" },
      target: { type: "string" },
      status: { type: ["integer", "null"] },
      error: nullable({
        type: "object",
        properties: { code: { type: "string" }, message: { type: "string" } },
      }),
      time: { type: "string", format: "date-time" },
      durationMs: { type: ["number", "null"] },
      requestBytes: { type: "integer" },
      responseBytes: { type: ["integer", "null"] },
      okta: {
        type: "object",
        description:
          "The Okta view: `kind` delivery (eventId, eventTypes, events, targetUsers), verification (challenge, answeredCorrectly) or none.",
        required: ["kind"],
        properties: { kind: { enum: ["delivery", "verification", "none"] } },
      },
      lint: {
        type: "array",
        items: {
          type: "object",
          properties: {
            code: { type: "string" },
            severity: { enum: ["error", "warning"] },
            message: { type: "string" },
          },
        },
      },
    },
  },
  ExchangeDetail: {
    allOf: [
      ref("ExchangeSummary"),
      {
        type: "object",
        required: ["timing", "request", "response"],
        properties: {
          timing: {
            type: "object",
            description: "Epoch milliseconds.",
            properties: {
              receivedAt: { type: "number" },
              forwardedAt: { type: ["number", "null"] },
              firstByteAt: { type: ["number", "null"] },
              doneAt: { type: ["number", "null"] },
            },
          },
          request: {
            type: "object",
            properties: {
              method: { type: "string" },
              target: { type: "string" },
              httpVersion: { type: "string" },
              headers: pairs,
              body: ref("Body"),
            },
          },
          response: nullable({
            type: "object",
            properties: {
              status: { type: "integer" },
              statusMessage: { type: ["string", "null"] },
              headers: pairs,
              body: ref("Body"),
            },
          }),
        },
      },
    ],
  },
  ExchangePage: {
    type: "object",
    required: ["items", "next", "nextUri"],
    properties: {
      items: { type: "array", items: ref("ExchangeSummary") },
      next: { type: ["string", "null"], description: "Pass as `before` for the next page." },
      nextUri: { type: ["string", "null"] },
    },
  },
  ReplayOptions: {
    type: "object",
    additionalProperties: false,
    description: "Every field optional; none replays the captured bytes unchanged.",
    properties: {
      method: { type: "string" },
      path: { type: "string", description: "New target (path and query), starting with `/`." },
      headers: {
        type: "object",
        additionalProperties: false,
        properties: {
          set: { oneOf: [pairs, { type: "object", additionalProperties: { type: "string" } }] },
          add: { oneOf: [pairs, { type: "object", additionalProperties: { type: "string" } }] },
          remove: { type: "array", items: { type: "string" } },
        },
      },
      body: { type: "string", description: "New body, as UTF-8 text." },
      bodyBase64: { type: "string", description: "New body, as base64." },
      jsonEdits: {
        type: "array",
        items: { type: "string" },
        description:
          "Edits of a JSON body, e.g. `data.events[0].target[0].alternateId=jane@example.com`.",
      },
      to: {
        type: "string",
        format: "uri",
        description: "Send to this origin (and base path) instead of the tunnel's upstream.",
      },
    },
  },
  ReplayResult: {
    type: "object",
    required: ["exchange", "original", "diff"],
    properties: {
      exchange: ref("ExchangeDetail"),
      original: ref("ExchangeSummary"),
      diff: {
        type: "object",
        description:
          "The new response against the original's: `equal`, `status` {before, after}, `headers` (added/removed/changed), `headerOrderChanged`, `body` (`json` changed paths or a `unified` text diff).",
        required: ["equal", "status", "headers", "body"],
      },
    },
  },
  NgrokCapturedRequest: {
    type: "object",
    required: [
      "uri",
      "id",
      "tunnel_name",
      "remote_addr",
      "start",
      "duration",
      "request",
      "response",
    ],
    properties: {
      uri: { type: "string" },
      id: { type: "string" },
      tunnel_name: { type: "string" },
      remote_addr: { type: "string" },
      start: { type: "string", format: "date-time" },
      duration: { type: "integer", description: "Nanoseconds." },
      request: {
        type: "object",
        properties: {
          method: { type: "string" },
          proto: { type: "string" },
          headers: {
            type: "object",
            additionalProperties: { type: "array", items: { type: "string" } },
          },
          uri: { type: "string" },
          raw: { type: "string", contentEncoding: "base64" },
        },
      },
      response: nullable({
        type: "object",
        properties: {
          status: { type: "string" },
          status_code: { type: "integer" },
          proto: { type: "string" },
          headers: {
            type: "object",
            additionalProperties: { type: "array", items: { type: "string" } },
          },
          raw: { type: "string", contentEncoding: "base64" },
        },
      }),
    },
  },
};

const problemResponses = Object.fromEntries(
  [
    [400, "The request is wrong: bad JSON, parameter or field (`field` names it)."],
    [403, "Host not local (DNS rebinding) or another web page asked (CSRF)."],
    [404, "No such exchange or tunnel."],
    [409, "The replay cannot be sent: no tunnel, or a body cut by the capture limit."],
    [413, "The request body is over the limit."],
    [503, "No capture store or no replayer in this inspector."],
  ].map(([status, description]) => [
    `Problem${status}`,
    { description, content: { "application/problem+json": { schema: ref("Problem") } } },
  ]),
);

/**
 * The OpenAPI document.
 *
 * @example
 * openApiDocument("0.1.0").paths["/api/exchanges"].get.summary;
 */
export function openApiDocument(version: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "hooktap inspector API",
      version,
      description:
        "The local API of hooktap's inspector (127.0.0.1:4040 by default): ngrok's agent API, and hooktap's own history API with replay, a live stream, export and import. Only local Host headers are accepted; state-changing calls from other web pages are refused. Errors are RFC 9457 problem objects. See docs/api.md.",
    },
    servers: [{ url: "http://127.0.0.1:4040" }],
    paths: {
      "/api": {
        get: {
          summary: "The API's root resource (ngrok).",
          responses: { "200": { description: "Links.", content: json({ type: "object" }) } },
        },
      },
      "/api/tunnels": {
        get: {
          summary: "Running tunnels, one per public URL (ngrok).",
          responses: { "200": { description: "Tunnels.", content: json({ type: "object" }) } },
        },
      },
      "/api/tunnels/{name}": {
        get: {
          summary: "One tunnel (ngrok).",
          parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The tunnel.", content: json({ type: "object" }) },
            ...problems(404),
          },
        },
      },
      "/api/status": {
        get: {
          summary: "Session state, tunnels and capture size.",
          responses: { "200": { description: "Status.", content: json({ type: "object" }) } },
        },
      },
      "/api/openapi.json": {
        get: {
          summary: "This document.",
          responses: { "200": { description: "OpenAPI 3.1.", content: json({ type: "object" }) } },
        },
      },
      "/api/requests/http": {
        get: {
          summary: "List captured requests, newest first (ngrok).",
          parameters: [
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 1000, default: 50 },
            },
            { name: "tunnel_name", in: "query", schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "Captured requests.",
              content: json({
                type: "object",
                properties: {
                  uri: { type: "string" },
                  requests: { type: "array", items: ref("NgrokCapturedRequest") },
                },
              }),
            },
            ...problems(400),
          },
        },
        post: {
          summary:
            "Replay a captured request (ngrok); the replay is stored as an exchange of its own.",
          requestBody: {
            required: true,
            content: {
              ...json({
                type: "object",
                required: ["id"],
                properties: { id: { type: "string" }, tunnel_name: { type: "string" } },
              }),
              "application/x-www-form-urlencoded": {
                schema: {
                  type: "object",
                  required: ["id"],
                  properties: { id: { type: "string" }, tunnel_name: { type: "string" } },
                },
              },
            },
          },
          responses: {
            "204": { description: "Replayed." },
            ...problems(400, 403, 404, 409, 413, 503),
          },
        },
        delete: {
          summary: "Delete every captured request (ngrok).",
          responses: { "204": { description: "Deleted." }, ...problems(403) },
        },
      },
      "/api/requests/http/{id}": {
        get: {
          summary: "One captured request with its raw bytes in base64 (ngrok).",
          parameters: [idParam],
          responses: {
            "200": { description: "The request.", content: json(ref("NgrokCapturedRequest")) },
            ...problems(404),
          },
        },
      },
      "/api/exchanges": {
        get: {
          summary: "List exchanges, newest first, with cursor pagination and filters.",
          parameters: [
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 1000, default: 50 },
            },
            {
              name: "before",
              in: "query",
              schema: { type: "string" },
              description: "Cursor: `next` of the previous page.",
            },
            ...FILTERS,
          ],
          responses: {
            "200": { description: "A page.", content: json(ref("ExchangePage")) },
            ...problems(400, 503),
          },
        },
        delete: {
          summary: "Delete every exchange.",
          responses: { "204": { description: "Deleted." }, ...problems(400, 403, 503) },
        },
      },
      "/api/exchanges/stream": {
        get: {
          summary: "Live stream of changes (Server-Sent Events).",
          description:
            "Events `insert` and `update` (data: ExchangeSummary), `delete` (data: {ids, reason}), `clear`, and `reset` when a `Last-Event-ID` cannot be resumed from; heartbeat comments every 15 s. Filters apply to insert and update.",
          parameters: [
            { name: "Last-Event-ID", in: "header", schema: { type: "string" } },
            ...FILTERS,
          ],
          responses: {
            "200": {
              description: "The stream.",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            ...problems(400, 503),
          },
        },
      },
      "/api/exchanges/{id}": {
        get: {
          summary: "One exchange in full: header pairs, bodies, timing, Okta view, lint.",
          parameters: [idParam],
          responses: {
            "200": { description: "The exchange.", content: json(ref("ExchangeDetail")) },
            ...problems(404, 503),
          },
        },
        delete: {
          summary: "Delete one exchange.",
          parameters: [idParam],
          responses: { "204": { description: "Deleted." }, ...problems(403, 404, 503) },
        },
      },
      "/api/exchanges/{id}/replay": {
        post: {
          summary:
            "Replay an exchange, optionally modified or to another URL; answers with the new exchange, its response and the difference from the original's.",
          description:
            "The replay is an exchange of its own (origin `replay`, `parentId`). When the app cannot be reached the answer is still 201: the new exchange records the error.",
          parameters: [idParam],
          requestBody: { required: false, content: json(ref("ReplayOptions")) },
          responses: {
            "201": {
              description: "Replayed.",
              headers: { Location: { schema: { type: "string" } } },
              content: json(ref("ReplayResult")),
            },
            ...problems(400, 403, 404, 409, 413, 503),
          },
        },
      },
      "/api/exports": {
        get: {
          summary:
            "Export exchanges as HAR 1.2, curl commands or hooktap JSON: chosen ids, or a filtered list (oldest first).",
          parameters: [
            {
              name: "format",
              in: "query",
              schema: { enum: ["har", "curl", "json"], default: "har" },
            },
            {
              name: "ids",
              in: "query",
              schema: { type: "string" },
              description: "Comma-separated exchange ids (not with filters).",
            },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 100000, default: 10000 },
            },
            {
              name: "baseUrl",
              in: "query",
              schema: { type: "string", format: "uri" },
              description:
                "HAR URLs start here (default: the tunnel's public URL); curl sends here (default: the tunnel's upstream).",
            },
            ...FILTERS,
          ],
          responses: {
            "200": {
              description: "The export.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    description: 'A HAR 1.2 log, or `{format: "hooktap", version: 1, exchanges}`.',
                  },
                },
                "text/plain": {
                  schema: { type: "string", description: "curl commands, one per exchange." },
                },
              },
            },
            ...problems(400, 404, 503),
          },
        },
      },
      "/api/imports": {
        post: {
          summary:
            "Import a hooktap export or a HAR file; the exchanges are stored under new ids, origin kept.",
          parameters: [
            {
              name: "endpoint",
              in: "query",
              schema: { type: "string", default: "imported" },
              description: "Endpoint of HAR entries that hooktap did not write.",
            },
          ],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { type: "object" } } },
          },
          responses: {
            "201": {
              description: "Imported.",
              content: json({
                type: "object",
                properties: {
                  count: { type: "integer" },
                  ids: { type: "array", items: { type: "string" } },
                  items: { type: "array", items: ref("ExchangeSummary") },
                },
              }),
            },
            ...problems(400, 403, 413, 503),
          },
        },
      },
    } as Record<string, Record<string, unknown>>,
    components: { schemas, responses: problemResponses },
  };
}
