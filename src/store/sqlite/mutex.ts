/**
 * A FIFO lock for async callers. The one SQLite connection can hold one transaction at a time, while `transact`
 * callers await between their statements; without the lock, two callers' statements would land in the same
 * transaction. Uncontended, `acquire` takes the lock synchronously and returns undefined, so the common case costs
 * no extra promise.
 */
export class Mutex {
  private locked = false;
  private readonly waiters: (() => void)[] = [];

  /** Takes the lock; returns a promise to await only when someone else holds it. */
  acquire(): Promise<void> | undefined {
    if (!this.locked) {
      this.locked = true;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock to the next waiter (it stays locked) or frees it. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}
