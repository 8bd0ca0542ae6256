import type { Workflow } from '../model/definition.js';
import type { StepType } from '../model/enums.js';
import { ConflictError } from '../model/errors.js';
import type { RunKey, RunRecord, StoreTx, WorkItem } from '../store/port.js';
import { carryOut, flushPermits, newBatchWrites } from './carry-out.js';
import { decide, type DecideContext, type RunView } from './decide.js';
import type { Evaluator, RunInfo } from './evaluator.js';
import type { EngineEvent } from './events.js';
import { planOf } from './plan.js';
import { runKeyOf, runKeyString, runStateJson, stateOf, stepRecords, type LoadedRun } from './run-record.js';
import { createTxLookups } from './tx-lookups.js';

/** One unit of work the committer applies inside a (batched) transaction. */
export type CommitJob =
  | {
      readonly type: 'event';
      readonly key: RunKey;
      readonly event: EngineEvent;
      readonly ack?: readonly number[];
    }
  | { readonly type: 'reschedule'; readonly item: number; readonly runAt: number }
  | { readonly type: 'admit'; readonly workflowId: string; readonly ack?: readonly number[] };

export interface CommitterDeps {
  readonly now: () => number;
  readonly evaluator: Evaluator;
  readonly available: (type: StepType) => boolean;
  readonly definitionOf: (tx: StoreTx, workflowId: string, versionId: number) => Promise<Workflow>;
  /** Reserves a local worker slot for a new step item (the local fast path); false when none is free. */
  readonly reserveLocalSlot: () => boolean;
  readonly admit: (
    tx: StoreTx,
    workflowId: string,
    apply: (run: RunRecord, event: EngineEvent) => Promise<void>,
  ) => Promise<void>;
}

export interface CommitterOptions {
  readonly owner: string;
  readonly leaseMs: number;
  readonly timeScale: number;
}

/** What to do once the transaction has committed (never before: a rollback must leave no trace). */
export interface AfterCommit {
  /** Step items leased to this process for its own workers (the local fast path). */
  readonly dispatch: WorkItem[];
  readonly cancel: { key: RunKey; step_id: string; attempt: number }[];
  readonly changed: LoadedRun[];
  /** Local worker slots reserved for `dispatch`; released again if the transaction fails. */
  reserved: number;
  /** Unleased work is due now (someone must claim it). */
  dueNow: boolean;
  /** The earliest future `run_at` of unleased work added (a timer to wake up for). */
  wakeAt: number | undefined;
}

export function newAfterCommit(): AfterCommit {
  return { dispatch: [], cancel: [], changed: [], reserved: 0, dueNow: false, wakeAt: undefined };
}

/**
 * Applies engine events to runs inside one transaction: load each run (from the cache when its version is
 * current), `decide`, and write the new state with every effect — work items, timers, outbox events — so a
 * transition is atomic (ARCHITECTURE invariant 2). Runs touched several times in a batch are written once.
 */
export function createCommitter(deps: CommitterDeps, options: CommitterOptions) {
  const cache = new Map<string, LoadedRun>();

  async function apply(tx: StoreTx, jobs: readonly CommitJob[], after: AfterCommit): Promise<void> {
    const local = {
      owner: options.owner,
      leaseMs: options.leaseMs,
      reserveSlot: deps.reserveLocalSlot,
    };
    const touched = new Map<
      string,
      { record: RunRecord; expected: number; view: RunView; dirty: boolean; steps: Set<string> }
    >();
    const now = deps.now();
    // Writes every run's transition adds, made once for the whole batch at the end (one statement each, not one
    // per step): work items, outbox events, acks, permits given back.
    const batch = newBatchWrites();
    const lookups = createTxLookups(tx);

    // Lock the runs the batch is about, in one order (no deadlock between two processes' batches), so no other
    // process writes them before this commit; a cached copy whose version moved on is stale and read again.
    const keys = new Map<string, RunKey>();
    for (const job of jobs) if (job.type === 'event') keys.set(runKeyString(job.key), runKeyOf(job.key));
    const ordered = [...keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
    for (const { key, version } of await tx.lockRuns(ordered)) {
      const id = runKeyString(key);
      if (cache.get(id)?.run.version !== version) cache.delete(id);
      keys.delete(id);
    }
    for (const id of keys.keys()) cache.delete(id); // gone from the store

    const load = async (key: RunKey) => {
      const id = runKeyString(key);
      const known = touched.get(id);
      if (known) return known;
      let loaded = cache.get(id);
      if (!loaded) {
        const record = await tx.getRun(key);
        if (!record) return undefined;
        loaded = { run: record, state: stateOf(record, await tx.getSteps(key)) };
      }
      const entry = {
        record: loaded.run,
        expected: loaded.run.version,
        view: { status: loaded.run.status, state: loaded.state },
        dirty: false,
        steps: new Set<string>(),
      };
      touched.set(id, entry);
      return entry;
    };

    const applyEvent = async (key: RunKey, event: EngineEvent): Promise<void> => {
      const entry = await load(key);
      if (!entry) return;
      const workflow = await deps.definitionOf(tx, key.workflow_id, entry.record.version_id);
      const ctx: DecideContext = {
        plan: planOf(workflow),
        evaluator: deps.evaluator,
        info: infoOf(entry.record),
        now,
        available: deps.available,
        timeScale: options.timeScale,
        permitsFor: await lookups.permitsOf(key.workflow_id, workflow, entry.record.correlation_id),
        takePermits: await lookups.permitTaker(key.workflow_id, workflow, entry.record.correlation_id),
        pausesAt: await lookups.breakpointsOf(entry.record),
      };
      const decision = decide(ctx, entry.view, event);
      if (!decision.changed) return;
      entry.view = { status: decision.status, state: decision.state };
      entry.dirty = true;
      for (const id of decision.touched) entry.steps.add(id);
      await carryOut(tx, entry.record, decision.effects, {
        now,
        after,
        batch,
        ledger: lookups.ledger,
        local,
      });
    };

    for (const job of jobs) {
      switch (job.type) {
        case 'event':
          await applyEvent(job.key, job.event);
          if (job.ack) batch.acks.push(...job.ack);
          break;
        case 'reschedule':
          await tx.reschedule(job.item, job.runAt, undefined, options.owner);
          noteUnleased(after, job.runAt, now);
          break;
        case 'admit':
          await deps.admit(tx, job.workflowId, async (run, event) => {
            touched.delete(runKeyString(run)); // admission may have just written it
            cache.delete(runKeyString(run));
            await applyEvent(run, event);
          });
          if (job.ack) batch.acks.push(...job.ack);
          break;
      }
    }

    await flushPermits(tx, batch, lookups.ledger, now, (h) =>
      applyEvent(h, { type: 'permits_granted', step_id: h.step_id, attempt: h.attempt }),
    );
    const stored = await tx.writeBatch({ ack: batch.acks, outbox: batch.outbox, items: batch.items });
    for (const item of stored) {
      if (item.lease_owner === options.owner) after.dispatch.push(item);
      else noteUnleased(after, item.run_at, now);
    }

    for (const entry of touched.values()) {
      if (!entry.dirty) continue;
      const state = entry.view.state;
      const next: RunRecord = {
        ...entry.record,
        status: entry.view.status,
        state: runStateJson(state),
        ...(state.start_time === undefined ? {} : { start_time: state.start_time }),
        ...(state.end_time === undefined ? {} : { end_time: state.end_time }),
        modify_time: now,
      };
      const run = await tx.updateRun(next, entry.expected);
      if (entry.steps.size > 0) await tx.putSteps(run, stepRecords(state, entry.steps));
      after.changed.push({ run, state });
    }
  }

  return {
    apply,
    /** After a commit: remember the written runs, so the next event of the same run needs no read. */
    committed(after: AfterCommit): void {
      if (cache.size > 10_000) cache.clear();
      for (const loaded of after.changed) cache.set(runKeyString(loaded.run), loaded);
    },
    /** After a failed transaction: forget what may be stale. */
    forget(error: unknown): void {
      if (error instanceof ConflictError) cache.clear();
    },
    /** Forgets one run, written outside `apply`. */
    evict(key: RunKey): void {
      cache.delete(runKeyString(key));
    },
    cached(key: RunKey): LoadedRun | undefined {
      return cache.get(runKeyString(key));
    },
  };
}

export type Committer = ReturnType<typeof createCommitter>;

export function noteUnleased(after: AfterCommit, runAt: number, now: number): void {
  if (runAt <= now) after.dueNow = true;
  else after.wakeAt = after.wakeAt === undefined ? runAt : Math.min(after.wakeAt, runAt);
}

function infoOf(run: RunRecord): RunInfo {
  const initiator = run.initiator as { type?: string };
  const state = run.state as { run_policy?: string };
  return {
    workflow_id: run.workflow_id,
    instance_id: run.instance_id,
    run_id: run.run_id,
    initiator_type: initiator.type ?? 'MANUAL',
    run_policy: state.run_policy ?? 'START_FRESH_NEW_RUN',
    correlation_id: run.correlation_id,
  };
}
