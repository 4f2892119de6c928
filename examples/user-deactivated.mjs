/**
 * Okta's "Event hook implementation" guide (route /userDeactivated), on hooktap's receiver:
 * answers the one-time verification GET, checks the guide's Basic auth, and prints a line for
 * every user.lifecycle.deactivate event of a delivery.
 *
 * Run, from the hooktap repository after `npm run build` (elsewhere: `npm install hooktap`):
 *   node examples/user-deactivated.mjs          # http://127.0.0.1:8082/userDeactivated
 *   PORT=0 node examples/user-deactivated.mjs   # any free port
 * Try it with the curl commands of examples/README.md.
 */
import { createServer } from "node:http";
import { createNodeHandler, createReceiver } from "hooktap/receiver";

const port = Number(process.env.PORT ?? 8082);

const receiver = createReceiver({
  auth: { name: "authorization", value: "Basic YWRtaW46c3VwZXJzZWNyZXQ=" },
  logger: console,
});

receiver.on("user.lifecycle.deactivate", (event) => {
  const targets = Array.isArray(event.target) ? event.target : [];
  const user = targets.find((target) => target?.type === "User") ?? targets[0];
  if (typeof user?.alternateId !== "string") {
    console.log("No user in request! Update the JSON target field with a value.");
  } else {
    console.log(`The user ${user.alternateId} has been deactivated on the Okta org!`);
  }
});

const handle = createNodeHandler(receiver);
const server = createServer((req, res) => {
  if (new URL(req.url ?? "/", "http://localhost").pathname === "/userDeactivated") {
    handle(req, res);
  } else {
    res.writeHead(404).end();
  }
});

server.listen(port, "127.0.0.1", () => {
  console.log(
    `Node server is running on http://127.0.0.1:${server.address().port}/userDeactivated`,
  );
});
