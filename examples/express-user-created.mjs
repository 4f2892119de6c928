/**
 * Okta's "Event hooks with ngrok" guide as the guide writes it, with Express, but with
 * hooktap's receiver mounted by createExpressMiddleware instead of express-basic-auth,
 * body-parser and hand-written routes.
 *
 * Run, from the hooktap repository after `npm run build` (elsewhere:
 * `npm install hooktap express`):
 *   node examples/express-user-created.mjs          # http://127.0.0.1:8082/userCreated
 *   PORT=0 node examples/express-user-created.mjs   # any free port
 * Try it with the curl commands of examples/README.md.
 */
import express from "express";
import { createExpressMiddleware, createReceiver } from "hooktap/receiver";

const port = Number(process.env.PORT ?? 8082);

const receiver = createReceiver({
  auth: { name: "authorization", value: "Basic YWRtaW46c3VwZXJzZWNyZXQ=" },
  logger: console,
});

receiver.on("user.lifecycle.create", (event) => {
  const targets = Array.isArray(event.target) ? event.target : [];
  const user = targets.find((target) => target?.type === "User") ?? targets[0];
  if (typeof user?.alternateId !== "string") {
    console.log("No user in request! Update the JSON target field with a value.");
  } else {
    console.log(`The user ${user.alternateId} has been added to the Okta org!`);
  }
});

const app = express();

app.get("/", (_req, res) => {
  res.send("Congratulations, your simple test application is working.");
});

// GET (verification) and POST (events) on one path. Mount it before any body parser, so the
// receiver reads the exact bytes Okta sent.
app.all("/userCreated", createExpressMiddleware(receiver));

const server = app.listen(port, "127.0.0.1", () => {
  console.log(`Node server is running on http://127.0.0.1:${server.address().port}/userCreated`);
});
