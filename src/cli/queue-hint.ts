import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import { concurrencyOf } from '../engine/run-strategy.js';
import type { RunKey } from '../store/port.js';

/** How long a run may stay queued before `baton run` says why it waits. */
const QUIET_MS = 2000;

/**
 * Says once, if the run is still queued after a moment, what it waits for: the runs of its workflow ahead of it
 * under its run strategy, and that a run whose own `baton run` has gone is finished only by a `baton server` (the
 * queue does not move without one); or, under STRICT_SEQUENTIAL, that a FAILED run holds the queue and how to let
 * it go (no run ending moves it). Returns a function that cancels the check.
 */
export function hintWhileQueued(
  engine: Engine,
  clock: Clock,
  key: RunKey,
  db: string,
  say: (line: string) => void,
): () => void {
  return clock.setTimer(QUIET_MS, () => {
    void describeQueue(engine, key).then(
      (ahead) => {
        if (ahead === undefined) return;
        if (ahead.held) {
          say(
            `run ${key.workflow_id}/${key.instance_id}/${key.run_id} is queued behind a FAILED run of ` +
              `${key.workflow_id}, which holds its STRICT_SEQUENTIAL queue until it is restarted ` +
              `(baton restart ${key.workflow_id} <instance> --db ${db}) or unblocked; it does not start when ` +
              `other runs end\n`,
          );
          return;
        }
        say(
          `run ${key.workflow_id}/${key.instance_id}/${key.run_id} is queued behind ${ahead.count} other run(s) of ` +
            `${key.workflow_id} (run strategy ${ahead.rule}, ${ahead.limit} at a time) and starts when they end; ` +
            `runs whose baton run has gone are finished only by: baton server --db ${db}\n`,
        );
      },
      () => undefined, // only a hint: a store that cannot answer now is reported by the run itself
    );
  });
}

async function describeQueue(
  engine: Engine,
  key: RunKey,
): Promise<{ count: number; rule: string; limit: number; held: boolean } | undefined> {
  return engine.store.transact(async (tx) => {
    const run = await tx.getRun(key);
    if (run?.status !== 'CREATED') return undefined;
    const properties = (await tx.getWorkflow(key.workflow_id))?.properties;
    // A FAILED run not unblocked holds a STRICT_SEQUENTIAL queue whatever else ends (run-strategy.ts).
    const held =
      properties?.run_strategy?.rule === 'STRICT_SEQUENTIAL' &&
      (await tx.hasBlockingFailedRun(key.workflow_id));
    const running = await tx.countRunsByStatus(key.workflow_id, ['IN_PROGRESS']);
    const queued = await tx.listRunsByStatus(key.workflow_id, ['CREATED'], 1000);
    const before = queued.filter((r) => r.instance_id < key.instance_id).length;
    return {
      count: running + before,
      rule: properties?.run_strategy?.rule ?? 'SEQUENTIAL',
      limit: concurrencyOf(properties),
      held,
    };
  });
}
