// The claimer's control items (timers, admissions, triggers, signals): claimed only while this process holds fewer
// than its limit unhandled, and their leases kept alive while held. A fake store with an endless backlog.
import { describe, expect, it } from 'vitest';
import { createClaimer, type ControlHandlers } from '../../src/engine/claimer.js';
import { FakeClock } from '../../src/engine/clock.js';
import type { WorkerPool } from '../../src/engine/worker-pool.js';
import type { Store, StoreTx, WorkItem } from '../../src/store/port.js';

function endlessStore() {
  let next = 1;
  const extended: number[][] = [];
  const tx = {
    claim: async (_owner: string, now: number, _lease: number, limit: number, kinds?: readonly string[]) =>
      kinds?.includes('step')
        ? []
        : Array.from({ length: limit }, (): WorkItem => ({
            id: next++,
            kind: 'admit',
            workflow_id: 'wf',
            instance_id: 0,
            run_id: 0,
            payload: {},
            run_at: now,
            created_at: now,
          })),
    nextRunAt: async () => undefined,
    extendLeases: async (_owner: string, ids: readonly number[]) => {
      extended.push([...ids]);
      return [...ids];
    },
  };
  const store = { transact: <T>(fn: (t: StoreTx) => Promise<T>) => fn(tx as unknown as StoreTx) };
  return { store: store as unknown as Store, extended, claimedSoFar: () => next - 1 };
}

const idlePool = {
  free: 0,
  heldItems: () => [],
  run: () => undefined,
  abortLost: () => undefined,
} as unknown as WorkerPool;

describe('claimer', () => {
  it('holds at most 2,048 control items unhandled however often it is woken, and claims more as they are handled', async () => {
    const clock = new FakeClock();
    const { store, extended, claimedSoFar } = endlessStore();
    const pending: (() => void)[] = [];
    const hold = () => new Promise<void>((resolve) => pending.push(resolve));
    const control: ControlHandlers = { timer: hold, admit: hold, trigger: hold, signal: hold };
    const claimer = createClaimer(
      { store, clock, pool: idlePool, submit: async () => undefined, control },
      { owner: 'me', leaseMs: 3000, claims: ['decide'], pollMs: 0 },
    );
    claimer.start();
    await claimer.idle();
    for (let i = 0; i < 20; i++) await claimer.pump(); // NOTIFYs, polls, wakes
    expect(claimedSoFar()).toBe(2048);
    expect(pending).toHaveLength(2048);

    clock.advance(1000); // the heartbeat: every held item's lease is extended
    await Promise.resolve();
    expect(extended.at(-1)?.length).toBe(2048);

    // half of them handled: it claims again, up to the limit
    for (const resolve of pending.splice(0, 1024)) resolve();
    await new Promise((r) => setImmediate(r));
    await claimer.idle();
    expect(claimedSoFar()).toBe(3072);
    claimer.stop();
    claimer.endHeartbeat();
  });
});
