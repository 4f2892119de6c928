/**
 * `GET /api/v1/hooktap/eventHooks/:id/deliveries?limit=&before=`: a hook's delivery log, newest
 * first — one entry per HTTP request (retries and injected duplicates included) with the
 * request sent, the status, the duration and the response body. `before` pages back (the
 * `seq` of the oldest entry seen); a `Link: rel="next"` header gives the next page.
 */
import { requireHook } from "../event-hooks/access.js";
import type { RequestContext } from "../http/context.js";
import { OktaApiError } from "../http/okta-api-error.js";
import { ok, type Reply } from "../http/reply.js";
import { limitParam } from "../users/routes.js";

/** The delivery log of hook `:id`. */
export function listDeliveries(context: RequestContext): Reply {
  const hook = requireHook(context);
  const limit = limitParam(context, 20, 200);
  const beforeText = context.url.searchParams.get("before");
  const before =
    beforeText === null ? undefined : /^\d+$/.test(beforeText) ? Number(beforeText) : Number.NaN;
  if (before !== undefined && !Number.isSafeInteger(before)) {
    throw OktaApiError.validation([
      { field: "before", message: `must be a delivery log seq (an integer), got '${beforeText}'` },
    ]);
  }
  const page = context.app.store.deliveries.list(hook.id, {
    limit,
    ...(before === undefined ? {} : { before }),
  });
  const body = page.map(({ seq, record }) => ({ seq, ...record }));
  const last = page.at(-1);
  if (last === undefined || page.length < limit) return ok(body);
  const next = `${context.app.orgUrl}/api/v1/hooktap/eventHooks/${hook.id}/deliveries?limit=${limit}&before=${last.seq}`;
  return ok(body, { Link: `<${next}>; rel="next"` });
}
