/**
 * `POST /api/v1/eventHooks/:id/lifecycle/verify` (shared spec §3): Okta's one-time
 * verification request to the hook's URI (3 s, one retry); VERIFIED on success, 400 E0000001
 * with the cause otherwise, and one `event_hook.verified` System Log event per attempt.
 */
import type { DeliveryChannel } from "../delivery/channel.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import type { Reply } from "../http/reply.js";
import type { StoredEventHook } from "../store/types.js";
import { audit, hookReply, requireHook, sameChannel, wholeSeconds } from "./access.js";

/** The channel as the verification request needs it (the secret included). */
export function verificationChannel(hook: StoredEventHook): DeliveryChannel {
  const { config } = hook.channel;
  return { uri: config.uri, headers: config.headers, authScheme: config.authScheme };
}

/** Verifies the hook `:id`. */
export async function verifyRoute(context: RequestContext): Promise<Reply> {
  const { app } = context;
  const before = requireHook(context);
  const result = await app.engines.verifyEventHook(verificationChannel(before), before.id);
  let cause = result.verified
    ? undefined
    : (result.cause ?? "the endpoint did not answer the challenge");
  const hook = app.store.transaction(() => {
    const current = requireHook(context);
    // The verification proved the channel it was sent to; a replace meanwhile proves nothing.
    if (cause === undefined && !sameChannel(current.channel, before.channel)) {
      cause = "the hook's channel changed while it was being verified; verify again";
    }
    const next: StoredEventHook =
      cause === undefined
        ? { ...current, verificationStatus: "VERIFIED", lastUpdatedAt: wholeSeconds(app.now()) }
        : current;
    if (next !== current) app.store.eventHooks.replace(next);
    const attempts = result.attempts.length > 0 ? result.attempts : [{ cause: cause ?? null }];
    for (const attempt of attempts) {
      const failure = attempt.cause ?? (attempt === attempts.at(-1) ? cause : undefined);
      audit(
        context,
        "event_hook.verified",
        next,
        failure === undefined || failure === null
          ? {}
          : {
              outcome: { result: "FAILURE", reason: failure },
              debugData: { errorMessage: failure },
            },
      );
    }
    return next;
  });
  if (cause !== undefined) {
    throw OktaApiError.validation([
      { field: "verification", message: `Unable to verify event hook ${hook.id}: ${cause}` },
    ]);
  }
  return hookReply(context, hook);
}
