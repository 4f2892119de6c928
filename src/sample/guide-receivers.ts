import type { Logger } from "../log/index.js";
import type { AuthHeader, EventContext, Receiver } from "../receiver/index.js";
import { createReceiver } from "../receiver/index.js";
import { userAlternateIdOf } from "./user-target.js";

/** What the guides print when a delivery's event names no user (hand-edited Preview bodies). */
export const NO_USER_LINE = "No user in request! Update the JSON target field with a value.";

/** The receivers behind the sample server's routes, one per guide. */
export interface GuideReceivers {
  userCreated: Receiver;
  userDeactivated: Receiver;
  anyPath: Receiver;
}

interface GuideReceiverOptions {
  auth: AuthHeader | null;
  /** `false` turns de-duplication off; `true` keeps the receiver's default in-memory store. */
  dedupe: boolean;
  logger: Logger;
  print: (line: string) => void;
}

/**
 * Builds the three receivers of Okta's guides. Unlike the guides, which read only
 * `events[0].target[0]`, each one handles every event of a batch (Okta batches events that
 * happen close together) and finds the `User` target by type.
 *
 * @example
 * const { userCreated } = createGuideReceivers({ auth: null, dedupe: false, logger, print });
 * createServer(createNodeHandler(userCreated)).listen(8082);
 */
export function createGuideReceivers(options: GuideReceiverOptions): GuideReceivers {
  const { print } = options;
  const make = (): Receiver =>
    createReceiver({
      auth: options.auth,
      logger: options.logger,
      ...(options.dedupe ? {} : { dedupe: false as const }),
    });

  // Okta "Event hooks with ngrok" guide (server.js, route /userCreated).
  const userCreated = make().on("user.lifecycle.create", (event) => {
    const user = userAlternateIdOf(event);
    print(user === null ? NO_USER_LINE : `The user ${user} has been added to the Okta org!`);
  });

  // Okta "Event hook implementation" guide (route /userDeactivated).
  const userDeactivated = make().on("user.lifecycle.deactivate", (event) => {
    const user = userAlternateIdOf(event);
    print(user === null ? NO_USER_LINE : `The user ${user} has been deactivated on the Okta org!`);
  });

  // ngrok's Okta sample (appOkta.js): any path, print what arrived.
  const anyPath = make().onAny((_event, context) => {
    if (context.index === 0) printRequest(context, print);
  });

  return { userCreated, userDeactivated, anyPath };
}

/** Prints one delivery request the way ngrok's sample does: a banner, the headers, the body. */
function printRequest(context: EventContext, print: (line: string) => void): void {
  const { request } = context;
  const path = request.url.split("?")[0] ?? request.url;
  const text = new TextDecoder().decode(request.body);
  const lines = [
    `-------------- New Request ${request.method} ${path} --------------`,
    `Headers: ${JSON.stringify(request.headers, null, 2)}`,
    `Body: ${prettyJson(text)}`,
  ];
  for (const block of lines) for (const line of block.split("\n")) print(line);
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // The receiver only runs handlers on parsed JSON, so this is a safety net, not a path.
    return text;
  }
}
