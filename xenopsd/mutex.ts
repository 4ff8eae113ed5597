// xenopsd's Mutex.t with with_lock (Xapi_stdext_threads), for async code: callers run one at a
// time, in the order they asked, and a failing section releases the lock.

export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Port of with_lock m f: runs f once every earlier holder has finished. */
  with_lock<T>(f: () => Promise<T>): Promise<T> {
    const run = this.tail.then(f);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
