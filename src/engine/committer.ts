import type { Workflow } from '../model/definition.js';
import type { StepType } from '../model/enums.js';
import { ConflictError } from '../model/errors.js';
import type { RunKey, RunRecord, StepRecord, StoreTx, WorkItem } from '../store/port.js';
import { admitItem, carryOut, newBatchWrites, permitsPending, sendPermits } from './carry-out.js';
import { noteUnleased, queueWritesPending, writeRound, type Touched } from './commit-round.js';
import { decide, type DecideContext } from './decide.js';
import { initiatorInfo, type Evaluator, type RunInfo } from './evaluator.js';
import { withSignal } from './signal-initiator.js';
import type { EngineEvent } from './events.js';
import { planOf } from './plan.js';
import type { Admission } from './run-strategy.js';
import { withAnnounced } from './signal-outputs.js';
import { compareText, inLockOrder, runKeyOf, runKeyString, stateOf, type LoadedRun } from './run-record.js';
import { createTxLookups, type RulesCache } from './tx-lookups.js';

/** A run as the transaction already read it, with its steps. */
interface LoadedRead {
  readonly run: RunRecord;
  readonly steps: readonly StepRecord[];
}

const APPLIED: EventOutcome = { kind: 'applied' };
const UNCHANGED: EventOutcome = { kind: 'unchanged' };
const MISSING: EventOutcome = { kind: 'missing' };

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

/**
 * What became of an event job, once its transaction committed: the run changed (`applied`), the event changed
 * nothing (`unchanged`: a late result of an old attempt), it was a user's action that does not apply (`refused`,
 * with why), or the run does not exist (`missing`).
 */
export type EventOutcome =
  | { readonly kind: 'applied' | 'unchanged' | 'missing' }
  | { readonly kind: 'refused'; readonly reason: string };

export interface CommitterDeps {
  readonly now: () => number;
  readonly evaluator: Evaluator;
  readonly available: (type: StepType) => boolean;
  readonly inline: DecideContext['inline'];
  readonly definitionOf: (tx: StoreTx, workflowId: string, versionId: number) => Promise<Workflow>;
  /** Reserves a local worker slot for a new step item (the local fast path); false when none is free. */
  /** A local worker for a new step item of this run, if this process has one free and runs that run's work. */
  readonly reserveLocalSlot: (key: RunKey) => boolean;
  /** The queued runs of each workflow its run strategy lets in now (a read: the committer starts them), in order. */
  readonly admit: (tx: StoreTx, workflowIds: readonly string[]) => Promise<Admission[]>;
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
  /** Admission items leased to this process, for its own committer (the local fast path). */
  readonly admits: WorkItem[];
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
  return { dispatch: [], admits: [], cancel: [], changed: [], reserved: 0, dueNow: false, wakeAt: undefined };
}

/**
 * Applies engine events to runs inside one transaction: load each run (from the cache when its version is
 * current), `decide`, and write the new state with every effect — work items, timers, outbox events — so a
 * transition is atomic (ARCHITECTURE invariant 2). Runs touched several times in a batch are written once.
 */
export function createCommitter(deps: CommitterDeps, options: CommitterOptions) {
  const cache = new Map<string, LoadedRun>();
  /** Workflow rules by the store's rules version, so most transitions read none (see `createTxLookups`). */
  const rules: RulesCache = new Map();
  const roundOptions = { owner: options.owner, leaseMs: options.leaseMs, now: deps.now };

  async function apply(
    tx: StoreTx,
    given: readonly CommitJob[],
    after: AfterCommit,
  ): Promise<(EventOutcome | undefined)[]> {
    const jobs = oneAdmissionPerWorkflow(given);
    const local = {
      owner: options.owner,
      leaseMs: options.leaseMs,
      reserveSlot: deps.reserveLocalSlot,
    };
    const touched = new Map<string, Touched>();
    const now = deps.now();
    // Writes every run's transition adds, made once for the whole batch at the end (one statement each, not one
    // per step): work items, outbox events, acks, permits given back.
    const batch = newBatchWrites();
    const lookups = createTxLookups(tx, rules);

    // Admissions first (a workflow's admissions take turns, and the coarser lock comes first in every batch), then
    // the runs the batch is about, in one order (no deadlock between two processes' batches), so no other
    // process writes them before this commit; a cached copy whose version moved on is stale and read again.
    await tx.lockAdmissions(
      [...new Set(jobs.flatMap((j) => (j.type === 'admit' ? [j.workflowId] : [])))].sort(compareText),
    );
    const keys = new Map<string, RunKey>();
    for (const job of jobs) if (job.type === 'event') keys.set(runKeyString(job.key), runKeyOf(job.key));
    /** Runs locked in this transaction: their cached copy, if any, is current. */
    const locked = new Set<string>();
    const locking = tx.lockRuns(inLockOrder([...keys.values()]));
    prefetchLookups(keys.values());
    for (const { key, version, rulesVersion } of await locking) {
      lookups.rulesVersionIs(rulesVersion);
      const id = runKeyString(key);
      if (cache.get(id)?.run.version !== version) cache.delete(id);
      keys.delete(id);
      locked.add(id);
    }
    for (const id of keys.keys()) cache.delete(id); // gone from the store

    /** Reads for the cached runs' transitions, sent while their lock is (a cache miss reads them when needed). */
    function prefetchLookups(runs: Iterable<RunKey>): void {
      prefetchFor([...runs].flatMap((key) => cache.get(runKeyString(key))?.run ?? []));
    }
    /** The lookups of these runs' transitions, read together, once their definitions are known. */
    function prefetchFor(runs: readonly RunRecord[]): void {
      if (runs.length === 0) return;
      Promise.all(
        runs.map(async (run) => ({
          workflowId: run.workflow_id,
          workflow: await deps.definitionOf(tx, run.workflow_id, run.version_id),
          correlation: run.correlation_id,
        })),
      ).then(lookups.prefetch, () => undefined); // met again when the transition reads it
    }

    /**
     * What each admission of the batch lets in, read for all of them at once (a burst of admissions of many
     * workflows costs a few statements, not a few each), with the steps of every run let in (a restarted run
     * carries some over). The reads see the store as the batch found it (its writes go out at the end), so reading
     * them first decides nothing differently.
     */
    async function readAdmissions(batchJobs: readonly CommitJob[]) {
      const workflowIds = batchJobs.flatMap((j) => (j.type === 'admit' ? [j.workflowId] : []));
      const read = (await deps.admit(tx, workflowIds)).map((a, i) => ({ workflowId: workflowIds[i]!, ...a }));
      const all = read.flatMap((r) => r.runs);
      prefetchFor(all);
      const steps = all.length > 0 ? await tx.getStepsOf(all) : [];
      let at = 0;
      return new Map(
        read.map((r) => {
          const mine = steps.slice(at, (at += r.runs.length));
          return [r.workflowId, { runs: r.runs, steps: mine, more: r.more }] as const;
        }),
      );
    }

    /** `read`: the run as this transaction just read it, with its steps (admission lists queued runs whole). */
    const load = async (key: RunKey, read?: LoadedRead) => {
      const id = runKeyString(key);
      const known = touched.get(id);
      if (known) return known;
      if (!locked.has(id) && cache.has(id)) {
        // A run the batch did not start with (a waiter let in, a run admitted): another process may have moved
        // it on since it was cached, and a decision on a stale copy that changes nothing would not be caught by
        // the version check at the write. Lock it and check.
        const [current] = await tx.lockRuns([runKeyOf(key)]);
        if (cache.get(id)?.run.version !== current?.version) cache.delete(id);
        locked.add(id);
      }
      let loaded = cache.get(id);
      if (!loaded) {
        const record = read?.run ?? (await tx.getRun(key));
        if (!record) return undefined;
        loaded = { run: record, state: stateOf(record, read?.steps ?? (await tx.getSteps(key))) };
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

    const applyEvent = async (key: RunKey, event: EngineEvent, read?: LoadedRead): Promise<EventOutcome> => {
      const entry = await load(key, read);
      if (!entry) return MISSING;
      const workflow = await deps.definitionOf(tx, key.workflow_id, entry.record.version_id);
      const permitsFor = await lookups.permitsOf(key.workflow_id, workflow, entry.record.correlation_id);
      const permits = await lookups.permitChecks(key.workflow_id, workflow, entry.record.correlation_id);
      const ctx: DecideContext = {
        plan: planOf(workflow),
        evaluator: deps.evaluator,
        info: infoOf(entry.record),
        now,
        available: deps.available,
        inline: deps.inline,
        self: options.owner,
        timeScale: options.timeScale,
        permitsFor,
        takePermits: permits.take,
        permitsFree: permits.free,
        pausesAt: await lookups.breakpointsOf(entry.record, workflow),
      };
      const decision = decide(ctx, entry.view, event);
      if (decision.refused !== undefined) return { kind: 'refused', reason: decision.refused };
      if (!decision.changed) return UNCHANGED;
      entry.view = { status: decision.status, state: decision.state };
      entry.dirty = true;
      for (const id of decision.touched) entry.steps.add(id);
      const announced = await carryOut(tx, entry.record, decision.effects, {
        now,
        after,
        batch,
        ledger: lookups.ledger,
        local,
      });
      if (announced.length > 0) {
        entry.view = { ...entry.view, state: withAnnounced(entry.view.state, announced) };
        for (const a of announced) entry.steps.add(a.step_id);
      }
      return APPLIED;
    };

    const admissions = await readAdmissions(jobs);
    const outcomes = new Map<CommitJob, EventOutcome>();
    for (const job of jobs) {
      switch (job.type) {
        case 'event':
          outcomes.set(job, await applyEvent(job.key, job.event));
          if (job.ack) batch.acks.push(...job.ack);
          break;
        case 'reschedule':
          await tx.reschedule(job.item, job.runAt, undefined, options.owner);
          noteUnleased(after, job.runAt, now);
          break;
        case 'admit': {
          // The store's copy is what admission read; a copy this batch changed (touched) is newer still.
          const { runs, steps, more } = admissions.get(job.workflowId)!;
          for (const [i, run] of runs.entries()) {
            cache.delete(runKeyString(run));
            await applyEvent(run, { type: 'start' }, { run, steps: steps[i]! });
          }
          if (job.ack) batch.acks.push(...job.ack);
          // It let in as many as one admission may: the rest get their own, in another transaction.
          if (more)
            batch.items.push(admitItem({ workflow_id: job.workflowId, instance_id: 0, run_id: 0 }, now));
          break;
        }
      }
    }

    // Permits, queue writes and runs go out together (a store that pipelines sends them in one round trip). When
    // the permit answers show waiters that now fit, they are let in and their runs' changes written in another round
    // (a run written twice in the batch is written at the version its first write left).
    const changed = new Map<string, LoadedRun>();
    for (;;) {
      const [grant, written] = await Promise.all([
        sendPermits(tx, batch, lookups.ledger, now),
        writeRound(tx, roundOptions, touched.values(), batch, now, after),
      ]);
      for (const loaded of written) changed.set(runKeyString(loaded.run), loaded);
      for (const h of grant.length > 0 ? await tx.grantWaiting(grant) : [])
        await applyEvent(h, { type: 'permits_granted', step_id: h.step_id, attempt: h.attempt });
      const more = [...touched.values()].some((entry) => entry.dirty);
      if (!more && !permitsPending(batch) && !queueWritesPending(batch)) break;
    }
    after.changed.push(...changed.values());
    return given.map((job) => outcomes.get(job));
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

/**
 * A batch admits each workflow once, with the acks of every admission job for it: a run let in is written at the
 * end of the batch, so a second admission in the same batch would read it as still queued and start it again.
 */
function oneAdmissionPerWorkflow(jobs: readonly CommitJob[]): readonly CommitJob[] {
  if (jobs.filter((j) => j.type === 'admit').length < 2) return jobs;
  const first = new Map<string, { type: 'admit'; workflowId: string; ack: number[] }>();
  const out: CommitJob[] = [];
  for (const job of jobs) {
    if (job.type !== 'admit') {
      out.push(job);
      continue;
    }
    const seen = first.get(job.workflowId);
    if (seen) seen.ack.push(...(job.ack ?? []));
    else {
      const merged = { type: 'admit' as const, workflowId: job.workflowId, ack: [...(job.ack ?? [])] };
      first.set(job.workflowId, merged);
      out.push(merged);
    }
  }
  return out;
}

function infoOf(run: RunRecord): RunInfo {
  const state = run.state as { run_policy?: string };
  return {
    workflow_id: run.workflow_id,
    instance_id: run.instance_id,
    run_id: run.run_id,
    ...initiatorInfo(run.initiator),
    run_policy: state.run_policy ?? 'START_FRESH_NEW_RUN',
    correlation_id: run.correlation_id,
    ...withSignal(run.initiator),
  };
}
