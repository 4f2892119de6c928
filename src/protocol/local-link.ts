/**
 * An in-process link: two {@link LinkSocket} ends joined in memory, for an agent and a relay
 * that run in the same process (`hooktap http` with its embedded relay). Over a loopback
 * WebSocket every frame pays its framing, a write, a read and a wake-up of the event loop, all
 * inside one process; here a frame is handed over by reference.
 *
 * It behaves like a WebSocket where the code above depends on it:
 * - Frames arrive in the order sent, never from inside the sender's call: the frames, pings
 *   and closes an end sends in one event-loop turn are delivered together in the check phase
 *   (`setImmediate`), the way the mux's corking puts a turn's frames in one write.
 * - A send callback fires once its frame was handed to the peer, or with an error if it never
 *   will be (sent after `close`, or dropped by `terminate`), never synchronously.
 * - `close(code, reason)` is a closing handshake: frames sent before it still arrive, the peer
 *   gets `close(code, reason)` and answers with its own frames then its close; both ends end
 *   with `close(code, reason)`, like `ws` echoing the code. `terminate()` cuts both ends at
 *   once: queued frames are dropped and both get `close(1006, "")`.
 * - A ping is answered with a pong by the peer, as `ws` does; both count as heartbeats.
 * - Frames are handed over, not copied: a sender must not change a frame after `send` (the
 *   mux never does; it encodes a new buffer per frame).
 * An end that has no handlers yet keeps what arrives for it until `attach`.
 */
import type { LinkHandlers, LinkSocket, LinkState } from "./link.js";

/** The close code of a link cut without a closing handshake (RFC 6455 §7.1.5). */
const CUT_CODE = 1006;

type Entry =
  | { kind: "frame"; frame: string | Uint8Array; callback: (error?: Error) => void }
  | { kind: "ping" }
  | { kind: "pong" }
  | { kind: "close"; code: number; reason: string };

interface Close {
  code: number;
  reason: string;
}

class LocalLinkEnd implements LinkSocket {
  readonly transport = undefined;
  /** Set right after construction by {@link createLocalLinkPair}. */
  peer!: LocalLinkEnd;
  #state: LinkState = "open";
  #handlers: LinkHandlers | undefined;
  /** What this end sent and the peer has not received yet, in order. */
  #outbox: Entry[] = [];
  #flushScheduled = false;
  #closeSent = false;
  #closeReceived: Close | undefined;
  /** The `close` event, once the link is closed, until it is told. */
  #closeEvent: Close | undefined;
  #closeTold = false;

  get state(): LinkState {
    return this.#state;
  }

  attach(handlers: LinkHandlers): void {
    if (this.#handlers !== undefined) throw new Error("the link already has its handlers");
    this.#handlers = handlers;
    // What the peer sent meanwhile waits in its outbox; a close may have happened already.
    this.peer.#scheduleFlush();
    this.#tellClose();
  }

  send(frame: string | Uint8Array, callback: (error?: Error) => void): void {
    if (this.#state !== "open") {
      setImmediate(callback, new Error(`the link is ${this.#state}`));
      return;
    }
    this.#push({ kind: "frame", frame, callback });
  }

  close(code: number, reason: string): void {
    if (this.#state !== "open") return;
    this.#state = "closing";
    this.#push({ kind: "close", code, reason });
  }

  ping(): void {
    if (this.#state === "open") this.#push({ kind: "ping" });
  }

  terminate(): void {
    if (this.#state === "closed") return;
    this.#cut();
    this.peer.#cut();
  }

  #push(entry: Entry): void {
    this.#outbox.push(entry);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#outbox.length === 0) return;
    this.#flushScheduled = true;
    setImmediate(this.#flush);
  }

  /** Hands the outbox to the peer, in order. */
  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const handlers = this.peer.#handlers;
    if (handlers === undefined) return; // the peer's attach() flushes again
    const batch = this.#outbox;
    this.#outbox = [];
    for (let i = 0; i < batch.length; i++) {
      try {
        this.#deliver(batch[i] as Entry, handlers);
      } catch (error) {
        // A throwing handler surfaces like a throwing event listener, but loses nothing that
        // was queued behind its frame: the rest goes out next turn.
        this.#outbox = batch.slice(i + 1).concat(this.#outbox);
        this.#scheduleFlush();
        throw error;
      }
    }
  };

  #deliver(entry: Entry, handlers: LinkHandlers): void {
    const peer = this.peer;
    switch (entry.kind) {
      case "frame":
        if (peer.#state === "closed") {
          entry.callback(new Error("the link is closed"));
          return;
        }
        // The frame is out (what a WebSocket's send callback means), then the peer reads it.
        entry.callback();
        handlers.message(entry.frame);
        return;
      case "ping":
        if (peer.#state === "open") peer.#push({ kind: "pong" });
        handlers.heartbeat();
        return;
      case "pong":
        handlers.heartbeat();
        return;
      case "close":
        this.#closeSent = true;
        peer.#receiveClose({ code: entry.code, reason: entry.reason });
        this.#settleClose();
        return;
    }
  }

  #receiveClose(close: Close): void {
    this.#closeReceived = close;
    if (this.#state === "open") {
      // Answer the closing handshake after whatever this end had queued, echoing the code.
      this.#state = "closing";
      this.#push({ kind: "close", code: close.code, reason: close.reason });
    }
    this.#settleClose();
  }

  /** Closed once this end has both sent and received a close. */
  #settleClose(): void {
    const received = this.#closeReceived;
    if (this.#closeSent && received !== undefined && this.#state !== "closed") {
      this.#finish(received);
    }
  }

  /** Ends this end at once: what it had queued is dropped, its callbacks fail. */
  #cut(): void {
    if (this.#state === "closed") return;
    const dropped = this.#outbox;
    this.#outbox = [];
    const error = new Error("the link was terminated");
    const callbacks = dropped.flatMap((entry) => (entry.kind === "frame" ? [entry.callback] : []));
    if (callbacks.length > 0) {
      setImmediate(() => {
        for (const callback of callbacks) callback(error);
      });
    }
    this.#finish({ code: CUT_CODE, reason: "" });
  }

  #finish(close: Close): void {
    this.#state = "closed";
    this.#closeEvent = close;
    this.#tellClose();
  }

  #tellClose(): void {
    const handlers = this.#handlers;
    const close = this.#closeEvent;
    if (handlers === undefined || close === undefined || this.#closeTold) return;
    this.#closeTold = true;
    setImmediate(() => handlers.close(close.code, close.reason));
  }
}

/**
 * Two connected in-process link ends: what one sends, the other receives. Typically one end
 * goes to a relay's gateway and the other to an agent.
 *
 * @example
 * const [agentEnd, relayEnd] = createLocalLinkPair();
 * gateway.acceptLocal(relayEnd); // what the relay's `connectLocal()` does, returning agentEnd
 * startAgent({ connect: relay.connectLocal, … }); // a new pair per connection
 */
export function createLocalLinkPair(): [LinkSocket, LinkSocket] {
  const a = new LocalLinkEnd();
  const b = new LocalLinkEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
