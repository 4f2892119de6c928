/**
 * Okta's "Event hooks with ngrok" guide (its server.js, route /userCreated), on hooktap's
 * receiver: answers the one-time verification GET, checks the guide's Basic auth, and prints a
 * line for every user.lifecycle.create event of a delivery.
 *
 * Run, from the hooktap repository after `npm run build` (elsewhere: `npm install hooktap`):
 *   node examples/user-created.mjs            # http://127.0.0.1:8082/userCreated
 *   PORT=0 node examples/user-created.mjs     # any free port
 * Try it with the curl commands of examples/README.md.
 */
import { createServer } from "node:http";
import { createNodeHandler, createReceiver } from "hooktap/receiver";

const port = Number(process.env.PORT ?? 8082);

const receiver = createReceiver({
  // admin / supersecret, as in the guide. Okta sends this header on the verification GET too.
  auth: { name: "authorization", value: "Basic YWRtaW46c3VwZXJzZWNyZXQ=" },
  // Shows answered challenges and rejected requests (with the reason) on the console.
  logger: console,
});

receiver.on("user.lifecycle.create", (event) => {
  const login = loginOf(event);
  if (login === null) {
    console.log("No user in request! Update the JSON target field with a value.");
  } else {
    console.log(`The user ${login} has been added to the Okta org!`);
  }
});

// The guide reads target[0]; finding the User target by type also works for events with
// several targets. Okta batches events, and the receiver calls the handler for each one.
function loginOf(event) {
  const targets = Array.isArray(event.target) ? event.target : [];
  const user = targets.find((target) => target?.type === "User") ?? targets[0];
  return typeof user?.alternateId === "string" ? user.alternateId : null;
}

const handle = createNodeHandler(receiver);
const server = createServer((req, res) => {
  if (new URL(req.url ?? "/", "http://localhost").pathname === "/userCreated") {
    handle(req, res);
  } else {
    res.writeHead(404).end();
  }
});

// Loopback only: a tunnel (ngrok, hooktap) on this machine reaches it. Use "0.0.0.0" to accept
// connections from other machines, as the guide does.
server.listen(port, "127.0.0.1", () => {
  console.log(`Node server is running on http://127.0.0.1:${server.address().port}/userCreated`);
});
