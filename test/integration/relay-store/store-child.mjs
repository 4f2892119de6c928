// A relay-store client run as a real process by durability.test.ts and cross-process.test.ts.
// It imports the transpiled store given in STORE_MODULE and works on the database STORE_PATH.
//
//   MODE=enqueue ENDPOINT=… START=i  enqueues requests i, i+1, … forever, printing
//                                    "ok <i> <id> <sha256 of body> <body length>" once each
//                                    enqueue promise has resolved, until killed.
//   MODE=reserve TOKEN_ID=… NAMES=a,b,…  prints "ready", waits for "go" on stdin, reserves every
//                                    name in order, printing "reserved|owned|taken <name>", then "done".
import { createHash, randomBytes } from "node:crypto";
import { createInterface } from "node:readline";

const { openSqliteRelayStore } = await import(process.env.STORE_MODULE);
const store = await openSqliteRelayStore(process.env.STORE_PATH);

/** Raw headers of request `i`, rebuilt by the test to compare: repeats and case on purpose. */
function headersFor(i) {
  return [
    ["Host", "relay.example"],
    ["X-Seq", String(i)],
    ["x-seq", `dup-${i}`],
    ["Content-Type", "application/octet-stream"],
  ];
}

if (process.env.MODE === "enqueue") {
  for (let i = Number(process.env.START ?? 0); ; i += 1) {
    // Sizes up to 64 KiB so that a kill often lands while a WAL frame is being written.
    const body = new Uint8Array(randomBytes((i * 7919) % 65_536));
    const item = await store.enqueue({
      endpoint: process.env.ENDPOINT,
      method: "POST",
      target: `/events/${i}`,
      httpVersion: "1.1",
      rawHeaders: headersFor(i),
      body,
      remoteAddress: "203.0.113.7",
      receivedAt: Date.now(),
    });
    const digest = createHash("sha256").update(body).digest("hex");
    console.log(`ok ${i} ${item.id} ${digest} ${body.byteLength}`);
  }
} else if (process.env.MODE === "reserve") {
  const names = process.env.NAMES.split(",");
  const input = createInterface({ input: process.stdin });
  console.log("ready");
  for await (const line of input) if (line === "go") break;
  for (const name of names) {
    console.log(`${await store.reserveEndpoint(name, process.env.TOKEN_ID)} ${name}`);
  }
  await store.close();
  console.log("done");
  input.close();
} else {
  throw new Error(`unknown MODE ${process.env.MODE}`);
}
