import type { Clock } from '../engine/clock.js';

/**
 * A loop's pause: `wait(ms)` resolves after `ms` on the injected Clock, or at once when `wake()` is called (new
 * events, or the relay stopping). A wake that comes while the loop is busy is kept, so the next wait returns at once.
 */
export class Waiter {
  private pending: { resolve: () => void; cancel: () => void } | undefined;
  private woken = false;

  constructor(private readonly clock: Clock) {}

  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        this.pending?.cancel();
        this.pending = undefined;
        resolve();
      };
      this.pending = { resolve: done, cancel: this.clock.setTimer(ms, done) };
    });
  }

  wake(): void {
    if (this.pending) this.pending.resolve();
    else this.woken = true;
  }
}

/** The pause after `failures` failures in a row: `initialMs`, doubled on each further failure, at most `maxMs`. */
export function backoffDelay(failures: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30));
}
