/**
 * `POST /api/v1/eventHooks/:id/lifecycle/verify` (shared spec §3): Okta's one-time
 * verification request to the hook's URI; VERIFIED on success, 400 E0000001 with the cause
 * otherwise, and an `event_hook.verified` System Log event for every attempt.
 */
import type { VerificationChannel } from "../engines.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import type { Reply } from "../http/reply.js";
import type { StoredEventHook } from "../store/types.js";
import { audit, hookReply, requireHook, sameChannel, wholeSeconds } from "./access.js";

/** The channel as the verification request needs it (the secret included). */
export function verificationChannel(hook: StoredEventHook): VerificationChannel {
  const { config } = hook.channel;
  return {
    uri: config.uri,
    headers: config.headers,
    ...(config.authScheme === null ? {} : { authScheme: config.authScheme }),
  };
}

/** Verifies the hook `:id`. */
export async function verifyRoute(context: RequestContext): Promise<Reply> {
  const { app } = context;
  const verify = app.engines.verifyEventHook;
  const before = requireHook(context);
  if (verify === null) {
    throw new OktaApiError(501, "E0000009", "Internal Server Error", [
      {
        errorSummary: "verification: this build of the emulator cannot send verification requests",
      },
    ]);
  }
  const outcome = await verify(verificationChannel(before));
  let cause = outcome.verified
    ? undefined
    : (outcome.cause ?? "the endpoint did not answer the challenge");
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
    audit(
      context,
      "event_hook.verified",
      next,
      cause === undefined
        ? {}
        : { outcome: { result: "FAILURE", reason: cause }, debugData: { errorMessage: cause } },
    );
    return next;
  });
  if (cause !== undefined) {
    throw OktaApiError.validation([
      { field: "verification", message: `Unable to verify event hook ${hook.id}: ${cause}` },
    ]);
  }
  return hookReply(context, hook);
}
