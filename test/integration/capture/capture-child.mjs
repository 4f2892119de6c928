// A capture store writer run as a real process by crash.test.ts. It imports the transpiled
// capture component given in CAPTURE_MODULE and writes to the database CAPTURE_PATH, with no
// commit interval: each event-loop turn that wrote commits at its end.
//
//   MODE=turns     writes TURNS turns of PER_TURN inserts, printing "committed <turn> <ids…>"
//                  once each turn has committed (the store's setImmediate runs before ours);
//                  then writes one more turn, prints "uncommitted <ids…>" and kills itself with
//                  SIGKILL before that turn ends.
//   MODE=forever   writes turns of PER_TURN inserts forever, printing "committed <turn>" after
//                  each, until killed from outside.
const { openSqliteCaptureStore, newExchangeId } = await import(process.env.CAPTURE_MODULE);
const store = openSqliteCaptureStore(process.env.CAPTURE_PATH, { commitIntervalMs: 0 });
const PER_TURN = Number(process.env.PER_TURN ?? 20);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function exchange(turn, i) {
  const body = new TextEncoder().encode(`{"turn":${turn},"i":${i}}`);
  return {
    id: newExchangeId(),
    endpoint: `turn-${turn}`,
    origin: "live",
    remoteAddress: "203.0.113.7",
    request: {
      method: "POST",
      target: `/events/${turn}/${i}`,
      httpVersion: "1.1",
      rawHeaders: [["Content-Type", "application/json"]],
      body: { bytes: body, size: body.byteLength, truncated: false },
    },
    response: null,
    error: null,
    timing: { receivedAt: Date.now(), forwardedAt: null, firstByteAt: null, doneAt: null },
    parentId: null,
    queueId: null,
  };
}

function writeTurn(turn) {
  return Array.from({ length: PER_TURN }, (_, i) => store.insert(exchange(turn, i)).id);
}

if (process.env.MODE === "turns") {
  const turns = Number(process.env.TURNS ?? 3);
  for (let turn = 0; turn < turns; turn++) {
    const ids = writeTurn(turn);
    await nextTurn();
    console.log(`committed ${turn} ${ids.join(" ")}`);
  }
  const ids = writeTurn(turns);
  console.log(`uncommitted ${ids.join(" ")}`);
  process.kill(process.pid, "SIGKILL");
} else {
  for (let turn = 0; ; turn++) {
    writeTurn(turn);
    await nextTurn();
    console.log(`committed ${turn}`);
  }
}
