/**
 * `POST /api/v1/hooktap/sign-in {login, password?, mfa?}`: a user signs in to the org, which
 * logs what Okta logs for a sign-in (`user.session.start`, and
 * `user.authentication.auth_via_mfa` first with `mfa: true`). Okta's own sign-in flows
 * (`/api/v1/authn`, the Identity Engine) are far larger than what an event needs.
 */
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import { callerOf, signIn } from "../users/actions.js";
import { toUserJson } from "../users/serialize.js";
import { objectBody, optionalBoolean, requiredString } from "./body.js";

/**
 * Signs a user in: 200 `{result: "SUCCESS", user, eventTypes}`; a wrong password or a user
 * who is not ACTIVE is 401 E0000004 (and a failed `user.session.start`), as Okta's
 * authentication API answers.
 */
export async function signInRoute(context: RequestContext): Promise<Reply> {
  const body = objectBody(await context.readJson(), ["login", "password", "mfa"]);
  const login = requiredString(body, "login");
  const password = body.password;
  if (password !== undefined && typeof password !== "string") {
    throw OktaApiError.validation([{ field: "password", message: "must be a string" }]);
  }
  const mfa = optionalBoolean(body, "mfa");
  const { value, events } = signIn(
    context.app,
    {
      login,
      ...(password === undefined ? {} : { password }),
      ...(mfa === undefined ? {} : { mfa }),
    },
    callerOf(context),
  );
  if (value.result === "FAILURE") {
    throw new OktaApiError(401, "E0000004", "Authentication failed", [
      { errorSummary: `login: ${value.reason ?? "refused"}` },
    ]);
  }
  return ok({
    result: value.result,
    user: value.user === null ? null : toUserJson(value.user, context.app.orgUrl),
    eventTypes: events.map((event) => event.eventType),
  });
}
