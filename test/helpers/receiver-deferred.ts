/** A promise with its resolve/reject exposed, to await events in tests without sleeping. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/**
 * Creates a {@link Deferred}.
 *
 * @example
 * const gate = createDeferred<void>();
 * receiver.on("user.lifecycle.create", () => gate.promise);
 * gate.resolve();
 */
export function createDeferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
