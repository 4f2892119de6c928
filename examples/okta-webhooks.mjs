/**
 * ngrok's "Okta webhooks" sample (appOkta.js), on hooktap's receiver: any path answers Okta's
 * verification GET, and every delivery POSTed to any path is printed, headers then body.
 * No auth, like ngrok's sample; add `auth` to createReceiver() before exposing it.
 *
 * Run, from the hooktap repository after `npm run build` (elsewhere: `npm install hooktap`):
 *   node examples/okta-webhooks.mjs           # http://127.0.0.1:8082/<any path>
 *   PORT=0 node examples/okta-webhooks.mjs    # any free port
 * Try it with the curl commands of examples/README.md (no authorization header needed).
 */
import { createServer } from "node:http";
import { createNodeHandler, createReceiver } from "hooktap/receiver";

const port = Number(process.env.PORT ?? 8082);

// `logger: console` prints "verification challenge answered" for each verification GET.
const receiver = createReceiver({ logger: console });

receiver.onAny((_event, { index, request }) => {
  // Handlers run once per event; print the request once per delivery.
  if (index !== 0) return;
  console.log(`-------------- New Request ${request.method} ${request.url} --------------`);
  console.log(`Headers: ${JSON.stringify(request.headers, null, 2)}`);
  console.log(
    `Body: ${JSON.stringify(JSON.parse(new TextDecoder().decode(request.body)), null, 2)}`,
  );
});

const server = createServer(createNodeHandler(receiver));

server.listen(port, "127.0.0.1", () => {
  console.log(`Example app listening at http://127.0.0.1:${server.address().port}`);
});
