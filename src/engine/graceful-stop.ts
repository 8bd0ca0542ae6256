import type { Store } from '../store/port.js';
import type { Batcher } from './batcher.js';
import type { createClaimer } from './claimer.js';
import type { WorkerPool } from './worker-pool.js';

export interface GracefulStopDeps {
  readonly store: Store;
  readonly claimer: ReturnType<typeof createClaimer>;
  readonly pool: WorkerPool;
  /** The engine's batchers: starts and commits. */
  readonly batchers: readonly Pick<Batcher<unknown, unknown>, 'busy' | 'idle'>[];
  /** Called once nothing is claimed any more, before anything is waited for (the engine stops listening). */
  readonly stopListening: () => void;
}

/**
 * An engine's graceful stop (ARCHITECTURE invariant 7): claims nothing more, aborts the running attempts (a Shell
 * step's process group ends), waits until nothing is in flight, then hands every item the engine still holds back
 * to the store so other processes take them over at once, as the same attempts (docs/operations.md "Stopping").
 * Leases stay alive (the claimer's heartbeat) until the hand-back.
 */
export async function stopGracefully(deps: GracefulStopDeps, owner: string): Promise<void> {
  const { claimer, pool } = deps;
  claimer.stop();
  deps.stopListening();
  pool.close();
  try {
    await settle(deps);
    await handBack(deps, owner);
  } finally {
    claimer.endHeartbeat();
  }
}

/**
 * Waits until nothing is in flight: a claim (its items go to the closed pool or to the committer), running attempts
 * and their results, starts and commits (a commit may dispatch or admit more). Each can feed the others, so it looks
 * again until one pass finds all of them quiet.
 */
async function settle({ claimer, pool, batchers }: GracefulStopDeps): Promise<void> {
  do {
    await claimer.idle();
    await pool.idle();
    for (const batcher of batchers) await batcher.idle();
  } while (claimer.pumping || pool.working || batchers.some((b) => b.busy));
}

/** Gives the store back every item still leased to this engine, so other processes claim them at once. */
async function handBack({ store, pool }: GracefulStopDeps, owner: string): Promise<void> {
  try {
    await store.transact((tx) => tx.releaseLeases(owner));
  } catch (error) {
    // Nothing is lost: the leases run out and the items are taken over then, as after a crash.
    process.emitWarning(
      `baton engine: handing back ${pool.handedBackItems().length} claimed item(s) failed; they are taken over when their leases run out: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
