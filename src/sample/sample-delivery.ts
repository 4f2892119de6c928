import { randomUUID } from "node:crypto";
import type { Delivery, DeliveryLogEvent } from "../okta/index.js";

/** Options of {@link sampleDelivery}. */
export interface SampleDeliveryOptions {
  /**
   * Event type of every event in the batch.
   * @default "user.lifecycle.create"
   */
  eventType?: string;
  /**
   * Logins (`alternateId`) of the target users, one event per user, in order.
   * @default ["john.doe@example.com"]
   */
  users?: readonly string[];
  /**
   * The delivery's `eventId`.
   * @default a random v4 UUID
   */
  eventId?: string;
}

const HOOK_ID = "who8vt36qfNpCGz9H1e6";
const ORG_URL = "https://dev-123456.okta.com";

const DISPLAY_MESSAGES: Readonly<Record<string, string>> = {
  "user.lifecycle.create": "Create Okta user",
  "user.lifecycle.deactivate": "Deactivate Okta user",
};

const LEGACY_TYPES: Readonly<Record<string, string>> = {
  "user.lifecycle.create": "core.user.config.user_creation.success",
  "user.lifecycle.deactivate": "core.user.config.user_deactivated",
};

/**
 * A delivery shaped like the ones Okta sends when an admin creates (or deactivates) users in the
 * Admin Console (shared spec §1.5): the envelope, one LogEvent per user with a `User` target, the
 * IP chain under `client`, `device` and `insertionTimestamp` null, `client.zone` the string
 * `"null"`. About 2 KB of compact JSON for one event. Ids are fresh on every call.
 *
 * @example
 * const body = JSON.stringify(sampleDelivery({ users: ["ada@example.com", "bob@example.com"] }));
 */
export function sampleDelivery(options: SampleDeliveryOptions = {}): Delivery {
  const eventType = options.eventType ?? "user.lifecycle.create";
  const users = options.users ?? ["john.doe@example.com"];
  const now = new Date();
  const published = new Date(now.getTime() - 6_400).toISOString();
  return {
    eventType: "com.okta.event_hook",
    eventTypeVersion: "1.0",
    cloudEventsVersion: "0.1",
    source: `${ORG_URL}/api/v1/eventHooks/${HOOK_ID}`,
    eventId: options.eventId ?? randomUUID(),
    data: { events: users.map((login, index) => sampleEvent(eventType, login, index, published)) },
    eventTime: now.toISOString(),
    contentType: "application/json",
  };
}

function sampleEvent(
  eventType: string,
  login: string,
  index: number,
  published: string,
): DeliveryLogEvent {
  const geo = {
    city: "Toronto",
    state: "Ontario",
    country: "Canada",
    postalCode: "M4M",
    geolocation: { lat: 43.6567, lon: -79.34 },
  };
  const requestId = "ZsdUK1z4mJ3fWq2y8bHcZgAAA6o";
  return {
    uuid: randomUUID(),
    published,
    eventType,
    version: "0",
    displayMessage: DISPLAY_MESSAGES[eventType] ?? null,
    severity: "INFO",
    client: {
      userAgent: {
        rawUserAgent:
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
        os: "Mac OS X",
        browser: "CHROME",
      },
      zone: "null",
      device: "Computer",
      id: null,
      ipAddress: "203.0.113.24",
      geographicalContext: geo,
      ipChain: [{ ip: "203.0.113.24", geographicalContext: geo, version: "V4", source: null }],
    },
    device: null,
    actor: {
      id: "00u7xut94qEWYx5ss1e5",
      type: "User",
      alternateId: "admin@example.com",
      displayName: "Ada Admin",
      detailEntry: null,
    },
    outcome: { result: "SUCCESS", reason: null },
    target: [
      {
        id: `00u3m90rxKjGQ0G6L1d${index % 10}`,
        type: "User",
        alternateId: login,
        displayName: displayNameOf(login),
        detailEntry: null,
      },
    ],
    transaction: { type: "WEB", id: requestId, detail: {} },
    debugContext: {
      debugData: {
        requestId,
        requestUri: "/api/v1/users",
        targetEventHookIds: HOOK_ID,
        url: "/api/v1/users?activate=true",
      },
    },
    legacyEventType: LEGACY_TYPES[eventType] ?? null,
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      authenticationStep: 0,
      externalSessionId: "102lMcfHbwSTuS5V1oPHJs3lw",
      interface: null,
    },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    insertionTimestamp: null,
  };
}

/** `john.doe@example.com` → `John Doe`, the way the Admin Console shows a new user. */
function displayNameOf(login: string): string {
  const local = login.split("@")[0] ?? login;
  return local
    .split(/[._-]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join(" ");
}
