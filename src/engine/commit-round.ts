import type { RunRecord, StoreTx } from '../store/port.js';
import type { BatchWrites } from './carry-out.js';
import type { AfterCommit } from './committer.js';
import type { RunView } from './decide.js';
import { runStateJson, stepRecords, type LoadedRun } from './run-record.js';

// The last stage of a committer batch: every run it changed and its queue writes, written together.

/** A run a batch has loaded: as read (or last written), what `decide` made of it, and the steps it changed. */
export interface Touched {
  record: RunRecord;
  expected: number;
  view: RunView;
  dirty: boolean;
  readonly steps: Set<string>;
}

/** Whether a batch still has queue writes to make. */
export function queueWritesPending(batch: BatchWrites): boolean {
  return batch.items.length + batch.outbox.length + batch.acks.length + batch.ended.length > 0;
}

export interface WriteRoundOptions {
  readonly owner: string;
  readonly leaseMs: number;
  /** The clock: items this process leases to itself are leased from the moment they are written. */
  readonly now: () => number;
}

/** Writes the batch's queue writes and every run it changed (each at the version it was read or last written at). */
export async function writeRound(
  tx: StoreTx,
  self: WriteRoundOptions,
  entries: Iterable<Touched>,
  batch: BatchWrites,
  now: number,
  after: AfterCommit,
): Promise<LoadedRun[]> {
  // Items this process leases to itself are leased from now, not from the batch's start: a batch that waited for
  // locks (the permit count rows other processes' batches hold) would otherwise hand its own workers leases that
  // have run out already, and another process would take the attempts over as lost (seen in the kill -9 test).
  const leasedFrom = self.now();
  // Every run the batch changed, with its changed steps, in one write; issued with the queue writes, which it does
  // not depend on, so a store that pipelines sends them together.
  const dirty = [...entries].filter((entry) => entry.dirty);
  const [stored, written] = await Promise.all([
    tx.writeBatch({
      ack: batch.acks.splice(0),
      owner: self.owner,
      outbox: batch.outbox.splice(0),
      ended: batch.ended.splice(0),
      items: batch.items
        .splice(0)
        .map((i) => (i.lease_owner === self.owner ? { ...i, lease_until: leasedFrom + self.leaseMs } : i)),
    }),
    tx.writeRuns(
      dirty.map((entry) => {
        const state = entry.view.state;
        const run: RunRecord = {
          ...entry.record,
          status: entry.view.status,
          state: runStateJson(state),
          ...(state.start_time === undefined ? {} : { start_time: state.start_time }),
          ...(state.end_time === undefined ? {} : { end_time: state.end_time }),
          modify_time: now,
        };
        return { run, expectedVersion: entry.expected, steps: stepRecords(state, entry.steps) };
      }),
    ),
  ]);
  for (const item of stored) {
    if (item.lease_owner === self.owner) (item.kind === 'step' ? after.dispatch : after.admits).push(item);
    else noteUnleased(after, item.run_at, now);
  }
  return written.map((run, i) => {
    const entry = dirty[i]!;
    // Written: a later change in the same batch writes again from here.
    entry.record = run;
    entry.expected = run.version;
    entry.dirty = false;
    entry.steps.clear();
    return { run, state: entry.view.state };
  });
}

export function noteUnleased(after: AfterCommit, runAt: number, now: number): void {
  if (runAt <= now) after.dueNow = true;
  else after.wakeAt = after.wakeAt === undefined ? runAt : Math.min(after.wakeAt, runAt);
}
