/**
 * The event hook `hooktap dev` keeps on its org: found by name (or created), pointed at the
 * tunnel with the sample's Basic auth, ACTIVE, then verified — through the org's own API, as
 * any client would.
 */
import { callOkta, type OktaTarget } from "./okta-client.js";

/** The name of the hook `hooktap dev` manages. */
export const DEV_HOOK_NAME = "hooktap dev";
/** The types it subscribes to: the sample's and the guides'. */
export const DEV_HOOK_EVENT_TYPES = [
  "user.lifecycle.create",
  "user.lifecycle.deactivate",
  "user.session.start",
] as const;

interface HookJson {
  id: string;
  name: string;
  status: string;
  verificationStatus: string;
  channel: { config: { uri: string } };
}

/** What {@link ensureDevHook} did. */
export interface DevHook {
  id: string;
  /** `created`, `updated` (a new URI: verification starts over) or `reused`. */
  action: "created" | "updated" | "reused";
  verified: boolean;
  /** Why verification failed, when it did. */
  verificationError: string | null;
}

/**
 * Makes sure the org has the dev hook for `uri` with `authorization`, active and verified.
 * A failed verification is reported, not thrown: the app may simply not be up yet.
 */
export async function ensureDevHook(
  target: OktaTarget,
  uri: string,
  authorization: string,
): Promise<DevHook> {
  const body = {
    name: DEV_HOOK_NAME,
    events: { type: "EVENT_TYPE", items: [...DEV_HOOK_EVENT_TYPES] },
    channel: {
      type: "HTTP",
      version: "1.0.0",
      config: {
        uri,
        headers: [],
        authScheme: { type: "HEADER", key: "Authorization", value: authorization },
      },
    },
  };
  const hooks = (await callOkta(target, "GET", "/api/v1/eventHooks")) as HookJson[];
  const existing = hooks.find((hook) => hook.name === DEV_HOOK_NAME);
  let hook: HookJson;
  let action: DevHook["action"];
  if (existing === undefined) {
    hook = (await callOkta(target, "POST", "/api/v1/eventHooks", body)) as HookJson;
    action = "created";
  } else {
    // A PUT with the same channel keeps VERIFIED; a new tunnel URL resets it, as Okta does.
    hook = (await callOkta(target, "PUT", `/api/v1/eventHooks/${existing.id}`, {
      ...body,
      status: "ACTIVE",
    })) as HookJson;
    action = existing.channel.config.uri === uri ? "reused" : "updated";
  }
  if (hook.verificationStatus === "VERIFIED") {
    return { id: hook.id, action, verified: true, verificationError: null };
  }
  try {
    await callOkta(target, "POST", `/api/v1/eventHooks/${hook.id}/lifecycle/verify`);
    return { id: hook.id, action, verified: true, verificationError: null };
  } catch (error) {
    return {
      id: hook.id,
      action,
      verified: false,
      verificationError: error instanceof Error ? error.message : String(error),
    };
  }
}
