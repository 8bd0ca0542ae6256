import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import type { Workflow } from '../model/definition.js';
import type { StepType } from '../model/enums.js';
import { ConflictError } from '../model/errors.js';
import type { RunKey, StoreTx, WorkItem } from '../store/port.js';
import { CommitBatch } from './commit-batch.js';
import type { DecideContext } from './decide.js';
import type { Evaluator } from './evaluator.js';
import type { EngineEvent } from './events.js';
import type { Admission } from './run-strategy.js';
import type { RestartRequest, StartRequest, StartResult } from './start-run.js';
import { runKeyString, type LoadedRun } from './run-record.js';
import type { RulesCache } from './tx-lookups.js';

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
  /** Whether this process handles control items (timers, admissions) it leases to itself: it decides, and runs. */
  readonly takesControl: () => boolean;
  /** The queued runs of each workflow its run strategy lets in now (a read: the committer starts them), in order. */
  readonly admit: (tx: StoreTx, workflowIds: readonly string[]) => Promise<Admission[]>;
  /**
   * Starts runs in the committer's transaction (a subworkflow's child, a foreach's iterations), in one `startRuns`;
   * a refusal throws a BatonError.
   */
  readonly startChildren: (
    tx: StoreTx,
    requests: readonly StartRequest[],
    after: AfterCommit,
    /** Applies what the start itself moves (runs its workflow's strategy stops) in the caller's batch. */
    apply: (jobs: readonly CommitJob[]) => Promise<void>,
  ) => Promise<StartResult[]>;
  /** Restarts a child in the committer's transaction (a restarted parent's subworkflow step). */
  readonly restartChild: (tx: StoreTx, request: RestartRequest, after: AfterCommit) => Promise<StartResult>;
}

export interface CommitterOptions {
  readonly owner: string;
  readonly leaseMs: number;
  readonly timeScale: number;
  /** Iterations a foreach may have at most (Maestro's 25,000 when unset). */
  readonly loopIterations?: number | undefined;
}

/** What to do once the transaction has committed (never before: a rollback must leave no trace). */
export interface AfterCommit {
  /** Step items leased to this process for its own workers (the local fast path). */
  readonly dispatch: WorkItem[];
  /** Control items (admissions, timers) leased to this process, for its own committer (the local fast path). */
  readonly admits: WorkItem[];
  readonly cancel: { key: RunKey; step_id: string; attempt: number }[];
  readonly changed: LoadedRun[];
  /** Runs the transaction started below others (subworkflows): in a scoped engine's scope like their parents. */
  readonly started: RunKey[];
  /** Local worker slots reserved for `dispatch`; released again if the transaction fails. */
  reserved: number;
  /** Unleased work is due now (someone must claim it). */
  dueNow: boolean;
  /** The earliest future `run_at` of unleased work added (a timer to wake up for). */
  wakeAt: number | undefined;
}

export function newAfterCommit(): AfterCommit {
  return {
    dispatch: [],
    admits: [],
    cancel: [],
    changed: [],
    started: [],
    reserved: 0,
    dueNow: false,
    wakeAt: undefined,
  };
}

/**
 * Applies engine events to runs inside one transaction: load each run (from the cache when its version is
 * current), `decide`, and write the new state with every effect — work items, timers, outbox events — so a
 * transition is atomic (ARCHITECTURE invariant 2). Runs touched several times in a batch are written once. Each
 * batch goes through the stages of a `CommitBatch` (commit-batch.ts).
 */
export function createCommitter(deps: CommitterDeps, options: CommitterOptions) {
  const cache = new Map<string, LoadedRun>();
  /** Workflow rules by the store's rules version, so most transitions read none (see `createTxLookups`). */
  const rules: RulesCache = new Map();

  async function apply(
    tx: StoreTx,
    given: readonly CommitJob[],
    after: AfterCommit,
  ): Promise<(EventOutcome | undefined)[]> {
    const batch = new CommitBatch({ deps, options, cache, rules }, tx, after);
    const jobs = oneAdmissionPerWorkflow(given);
    await batch.lock(jobs);
    const admissions = await batch.readAdmissions(jobs);
    const outcomes = await batch.applyJobs(jobs, admissions);
    await batch.write();
    return given.map((job) => outcomes.get(job));
  }

  return {
    apply,
    /**
     * After a commit: remember the written runs, so the next event of the same run needs no read. A run that ended
     * is forgotten: it rarely has another event (a late result, a refused action), and a loop's iterations would
     * otherwise fill the cache with runs that are over.
     */
    committed(after: AfterCommit): void {
      if (cache.size > 10_000) cache.clear();
      for (const loaded of after.changed)
        if (WORKFLOW_INSTANCE_TRAITS[loaded.run.status].terminal) cache.delete(runKeyString(loaded.run));
        else cache.set(runKeyString(loaded.run), loaded);
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
