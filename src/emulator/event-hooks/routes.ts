/**
 * The Event Hooks Management API (shared spec §5.1): list, create, get, replace, delete,
 * activate, deactivate, verify on `/api/v1/eventHooks`. Each change and its System Log event
 * commit together.
 */
import { newEventHookId } from "../../okta/index.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import type { Router } from "../http/router.js";
import type { StoredChannel, StoredEventHook } from "../store/types.js";
import { audit, hookReply, requireHook, sameChannel, wholeSeconds } from "./access.js";
import { toEventHookJson } from "./serialize.js";
import { type EventHookInput, parseEventHookInput } from "./validate.js";
import { verifyRoute } from "./verify-route.js";

/** Okta's maximum number of event hooks per org (since 2024-07). */
export const MAX_EVENT_HOOKS_PER_ORG = 25;

const BASE = "/api/v1/eventHooks";

/** Registers the eight event hook operations. */
export function registerEventHookRoutes(router: Router): void {
  router
    .add("GET", BASE, listHooks)
    .add("POST", BASE, createHook)
    .add("GET", `${BASE}/:id`, getHook)
    .add("PUT", `${BASE}/:id`, replaceHook)
    .add("DELETE", `${BASE}/:id`, deleteHook)
    .add("POST", `${BASE}/:id/lifecycle/activate`, (c) => setStatus(c, "ACTIVE"))
    .add("POST", `${BASE}/:id/lifecycle/deactivate`, (c) => setStatus(c, "INACTIVE"))
    .add("POST", `${BASE}/:id/lifecycle/verify`, verifyRoute);
}

function listHooks(context: RequestContext): Reply {
  const { store, orgUrl } = context.app;
  return ok(store.eventHooks.list().map((hook) => toEventHookJson(hook, orgUrl)));
}

function getHook(context: RequestContext): Reply {
  return hookReply(context, requireHook(context));
}

async function createHook(context: RequestContext): Promise<Reply> {
  const { app } = context;
  const input = parseEventHookInput(await context.readJson(), app);
  const secret = input.channel.config.authScheme;
  if (secret !== null && secret.value === undefined) {
    throw OktaApiError.validation([
      { field: "channel.config.authScheme.value", message: "The field cannot be left blank" },
    ]);
  }
  const hook = app.store.transaction(() => {
    if (app.store.eventHooks.count() >= MAX_EVENT_HOOKS_PER_ORG) {
      throw OktaApiError.validation([
        {
          field: "eventHook",
          message: `The org already has ${MAX_EVENT_HOOKS_PER_ORG} event hooks, Okta's maximum; delete one first`,
        },
      ]);
    }
    const now = wholeSeconds(app.now());
    const created: StoredEventHook = {
      id: newEventHookId(),
      name: input.name,
      description: input.description,
      status: input.status ?? "ACTIVE",
      verificationStatus: "UNVERIFIED",
      createdAt: now,
      createdBy: app.org.admin.id,
      lastUpdatedAt: now,
      events: input.events,
      channel: storedChannel(input, undefined),
    };
    app.store.eventHooks.insert(created);
    audit(context, "event_hook.created", created);
    return created;
  });
  return hookReply(context, hook);
}

async function replaceHook(context: RequestContext): Promise<Reply> {
  const { app } = context;
  requireHook(context);
  const input = parseEventHookInput(await context.readJson(), app);
  const hook = app.store.transaction(() => {
    const current = requireHook(context);
    const secret = input.channel.config.authScheme;
    const previous = current.channel.config.authScheme;
    // A PUT built from a GET cannot carry the write-only secret: keep it when the key is the same.
    if (secret !== null && secret.value === undefined && previous?.key !== secret.key) {
      throw OktaApiError.validation([
        {
          field: "channel.config.authScheme.value",
          message:
            "The field cannot be left blank (it may be omitted only when authScheme.key is unchanged)",
        },
      ]);
    }
    const channel = storedChannel(input, previous ?? undefined);
    const replaced: StoredEventHook = {
      ...current,
      name: input.name,
      description: input.description,
      status: input.status ?? current.status,
      verificationStatus: sameChannel(channel, current.channel)
        ? current.verificationStatus
        : "UNVERIFIED",
      lastUpdatedAt: wholeSeconds(app.now()),
      events: input.events,
      channel,
    };
    app.store.eventHooks.replace(replaced);
    audit(context, "event_hook.updated", replaced);
    return replaced;
  });
  return hookReply(context, hook);
}

function deleteHook(context: RequestContext): Reply {
  const { app } = context;
  app.store.transaction(() => {
    const hook = requireHook(context);
    if (hook.status !== "INACTIVE") {
      throw OktaApiError.validation([
        {
          field: "status",
          message: `Event hook ${hook.id} is ACTIVE; only an INACTIVE event hook can be deleted (POST ${BASE}/${hook.id}/lifecycle/deactivate first)`,
        },
      ]);
    }
    app.store.eventHooks.delete(hook.id);
    app.store.deliveries.deleteHook(hook.id);
    audit(context, "event_hook.deleted", hook);
  });
  return { status: 204 };
}

function setStatus(context: RequestContext, status: "ACTIVE" | "INACTIVE"): Reply {
  const { app } = context;
  const hook = app.store.transaction(() => {
    const current = requireHook(context);
    if (current.status === status) return current;
    const changed: StoredEventHook = { ...current, status, lastUpdatedAt: wholeSeconds(app.now()) };
    app.store.eventHooks.replace(changed);
    audit(
      context,
      status === "ACTIVE" ? "event_hook.activated" : "event_hook.deactivated",
      changed,
    );
    return changed;
  });
  return hookReply(context, hook);
}

function storedChannel(
  input: EventHookInput,
  previous: StoredChannel["config"]["authScheme"] | undefined,
): StoredChannel {
  const scheme = input.channel.config.authScheme;
  return {
    type: "HTTP",
    version: "1.0.0",
    config: {
      uri: input.channel.config.uri,
      headers: input.channel.config.headers,
      method: "POST",
      authScheme:
        scheme === null
          ? null
          : { type: "HEADER", key: scheme.key, value: scheme.value ?? previous?.value ?? "" },
    },
  };
}
