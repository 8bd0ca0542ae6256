import { WORKFLOW_INSTANCE_TRAITS, type WorkflowInstanceStatus } from '../model/status.js';
import type { RunKey, RunRecord, StepRecord, StoreTx } from '../store/port.js';
import {
  admitItem,
  carryOut,
  newBatchWrites,
  permitsPending,
  sendPermits,
  type BatchWrites,
} from './carry-out.js';
import { noteUnleased, queueWritesPending, writeRound, type Touched } from './commit-round.js';
import type { AfterCommit, CommitJob, CommitterDeps, CommitterOptions, EventOutcome } from './committer.js';
import { rollupOf } from './children.js';
import { decide, type DecideContext, type RunView } from './decide.js';
import { initiatorInfo, type RunInfo } from './evaluator.js';
import type { EngineEvent } from './events.js';
import { planOf } from './plan.js';
import type { Admission } from './run-strategy.js';
import type { StartRequest } from './start-run.js';
import { compareText, inLockOrder, runKeyOf, runKeyString, stateOf, type LoadedRun } from './run-record.js';
import { withSignal } from './signal-initiator.js';
import { withAnnounced } from './signal-outputs.js';
import { createTxLookups, instanceTreeOf, type RulesCache, type TxLookups } from './tx-lookups.js';

/** A run as the transaction already read it, with its steps. */
interface LoadedRead {
  readonly run: RunRecord;
  readonly steps: readonly StepRecord[];
}

/** What one admission of the batch lets in, with the steps of each run (a restarted run carries some over). */
export interface AdmissionRead extends Admission {
  readonly steps: readonly (readonly StepRecord[])[];
}

/** What a committer keeps across its transactions, which each batch reads and updates. */
export interface CommitterShared {
  readonly deps: CommitterDeps;
  readonly options: CommitterOptions;
  /** Runs as last written by this process, by key: used while their version is current. */
  readonly cache: Map<string, LoadedRun>;
  readonly rules: RulesCache;
}

const APPLIED: EventOutcome = { kind: 'applied' };
const UNCHANGED: EventOutcome = { kind: 'unchanged' };
const MISSING: EventOutcome = { kind: 'missing' };

/**
 * One committer transaction, as named stages run in order: `lock` the admissions and runs the jobs are about,
 * `readAdmissions`, `applyJobs` (each event through `decide` and its effects carried out), `write` everything the
 * transitions changed. The transaction's state (runs touched, locks held, writes gathered) lives here, not in one
 * long function.
 */
export class CommitBatch {
  private readonly now: number;
  /** Runs this transaction loaded and what their transitions made of them, by key. */
  private readonly touched = new Map<string, Touched>();
  /** Runs locked in this transaction: their cached copy, if any, is current. */
  private readonly locked = new Set<string>();
  /**
   * Writes every run's transition adds, made once for the whole batch at the end (one statement each, not one per
   * step): work items, outbox events, acks, permits given back.
   */
  private readonly writes: BatchWrites = newBatchWrites();
  private readonly lookups: TxLookups;

  constructor(
    private readonly shared: CommitterShared,
    private readonly tx: StoreTx,
    private readonly after: AfterCommit,
  ) {
    this.now = shared.deps.now();
    this.lookups = createTxLookups(tx, shared.rules);
  }

  /**
   * Admissions first (a workflow's admissions take turns, and the coarser lock comes first in every batch), then
   * the runs the batch is about, in one order (no deadlock between two processes' batches), so no other process
   * writes them before this commit; a cached copy whose version moved on is stale and read again.
   */
  async lock(jobs: readonly CommitJob[]): Promise<void> {
    const { cache } = this.shared;
    await this.tx.lockAdmissions(
      [...new Set(jobs.flatMap((j) => (j.type === 'admit' ? [j.workflowId] : [])))].sort(compareText),
    );
    const keys = new Map<string, RunKey>();
    for (const job of jobs) if (job.type === 'event') keys.set(runKeyString(job.key), runKeyOf(job.key));
    const locking = this.tx.lockRuns(inLockOrder([...keys.values()]));
    // Reads for the cached runs' transitions, sent while their lock is (a cache miss reads them when needed).
    this.prefetch([...keys.values()].flatMap((key) => cache.get(runKeyString(key))?.run ?? []));
    for (const { key, version, rulesVersion } of await locking) {
      this.lookups.rulesVersionIs(rulesVersion);
      const id = runKeyString(key);
      if (cache.get(id)?.run.version !== version) cache.delete(id);
      keys.delete(id);
      this.locked.add(id);
    }
    for (const id of keys.keys()) cache.delete(id); // gone from the store
  }

  /**
   * What each admission of the batch lets in, read for all of them at once (a burst of admissions of many
   * workflows costs a few statements, not a few each), with the steps of every run let in. The reads see the store
   * as the batch found it (its writes go out at the end), so reading them first decides nothing differently.
   */
  async readAdmissions(jobs: readonly CommitJob[]): Promise<Map<string, AdmissionRead>> {
    const workflowIds = jobs.flatMap((j) => (j.type === 'admit' ? [j.workflowId] : []));
    const read = await this.shared.deps.admit(this.tx, workflowIds);
    const all = read.flatMap((r) => r.runs);
    this.prefetch(all);
    const steps = all.length > 0 ? await this.tx.getStepsOf(all) : [];
    let at = 0;
    return new Map(
      read.map((r, i) => [workflowIds[i]!, { ...r, steps: steps.slice(at, (at += r.runs.length)) }] as const),
    );
  }

  /** Each job in order: an event decided and carried out, an item rescheduled, an admission's runs started. */
  async applyJobs(
    jobs: readonly CommitJob[],
    admissions: ReadonlyMap<string, AdmissionRead>,
  ): Promise<Map<CommitJob, EventOutcome>> {
    const outcomes = new Map<CommitJob, EventOutcome>();
    for (const job of jobs) {
      switch (job.type) {
        case 'event':
          outcomes.set(job, await this.applyEvent(job.key, job.event));
          if (job.ack) this.writes.acks.push(...job.ack);
          break;
        case 'reschedule':
          await this.tx.reschedule(job.item, job.runAt, undefined, this.shared.options.owner);
          noteUnleased(this.after, job.runAt, this.now);
          break;
        case 'admit': {
          // The store's copy is what admission read; a copy this batch changed (touched) is newer still.
          const { runs, steps, more } = admissions.get(job.workflowId)!;
          for (const [i, run] of runs.entries()) {
            this.shared.cache.delete(runKeyString(run));
            await this.applyEvent(run, { type: 'start' }, { run, steps: steps[i]! });
          }
          if (job.ack) this.writes.acks.push(...job.ack);
          // It let in as many as one admission may: the rest get their own, in another transaction.
          if (more)
            this.writes.items.push(
              admitItem({ workflow_id: job.workflowId, instance_id: 0, run_id: 0 }, this.now),
            );
          break;
        }
        default:
          return unknownJob(job);
      }
    }
    return outcomes;
  }

  /**
   * Permits, queue writes and runs go out together (a store that pipelines sends them in one round trip). When the
   * permit answers show waiters that now fit, they are let in and their runs' changes written in another round (a
   * run written twice in the batch is written at the version its first write left).
   */
  async write(): Promise<void> {
    const { owner, leaseMs } = this.shared.options;
    const roundOptions = { owner, leaseMs, now: this.shared.deps.now };
    const changed = new Map<string, LoadedRun>();
    for (;;) {
      const [grant, written] = await Promise.all([
        sendPermits(this.tx, this.writes, this.lookups.ledger, this.now),
        writeRound(this.tx, roundOptions, this.touched.values(), this.writes, this.now, this.after),
      ]);
      for (const loaded of written) changed.set(runKeyString(loaded.run), loaded);
      for (const h of grant.length > 0 ? await this.tx.grantWaiting(grant) : [])
        await this.applyEvent(h, { type: 'permits_granted', step_id: h.step_id, attempt: h.attempt });
      const more = [...this.touched.values()].some((entry) => entry.dirty);
      if (!more && !permitsPending(this.writes) && !queueWritesPending(this.writes)) break;
    }
    this.after.changed.push(...changed.values());
  }

  /** The lookups of these runs' transitions, read together, once their definitions are known. */
  private prefetch(runs: readonly RunRecord[]): void {
    if (runs.length === 0) return;
    const { deps } = this.shared;
    Promise.all(
      runs.map(async (run) => {
        const workflow = await deps.definitionOf(this.tx, run.workflow_id, run.version_id);
        return { workflowId: run.workflow_id, workflow, tree: instanceTreeOf(run, workflow) };
      }),
    ).then(this.lookups.prefetch, () => undefined); // met again when the transition reads it
  }

  /** `read`: the run as this transaction just read it, with its steps (admission lists queued runs whole). */
  private async load(key: RunKey, read?: LoadedRead): Promise<Touched | undefined> {
    const { cache } = this.shared;
    const id = runKeyString(key);
    const known = this.touched.get(id);
    if (known) return known;
    // A run the batch did not start with (a waiter let in, a run admitted): another process may have moved it on
    // since it was cached, and a decision on a stale copy that changes nothing would not be caught by the version
    // check at the write. Lock it and check.
    if (!this.locked.has(id) && cache.has(id)) await this.lockLate(key);
    let loaded = cache.get(id);
    if (!loaded) {
      const record = read?.run ?? (await this.tx.getRun(key));
      if (!record) return undefined;
      loaded = { run: record, state: stateOf(record, read?.steps ?? (await this.tx.getSteps(key))) };
    }
    const entry: Touched = {
      record: loaded.run,
      expected: loaded.run.version,
      view: { status: loaded.run.status, state: loaded.state },
      dirty: false,
      steps: new Set<string>(),
    };
    this.touched.set(id, entry);
    return entry;
  }

  /**
   * A run that belongs to a step attempt of another run (its parent) and just ended: the parent's `child_ended`,
   * applied in this same transaction (the parent is locked and loaded like any run the batch touches), so the
   * parent never misses an end nor sees one that did not commit. A parent that ends in turn raises its own.
   */
  private async raiseParent(
    run: RunRecord,
    before: WorkflowInstanceStatus,
    after: WorkflowInstanceStatus,
    now: RunView,
  ): Promise<void> {
    const parent = run.parent;
    if (!parent || WORKFLOW_INSTANCE_TRAITS[before].terminal || !WORKFLOW_INSTANCE_TRAITS[after].terminal)
      return;
    // Locked before it is read, cached or not: children ending on several processes at once then take turns on
    // their parent instead of failing the version check at the write (and their whole batch with it).
    const id = runKeyString(parent);
    if (!this.locked.has(id) && !this.touched.has(id)) await this.lockLate(parent);
    await this.applyEvent(runKeyOf(parent), {
      type: 'child_ended',
      step_id: parent.step_id,
      attempt: parent.attempt,
      child: runKeyOf(run),
      status: after,
      rollup: rollupOf(now.state),
      steps: Object.fromEntries(
        Object.entries(now.state.steps).flatMap(([id, s]) => (s.params ? [[id, s.params]] : [])),
      ),
    });
  }

  /** Locks a run the batch did not lock at its start; a cached copy whose version moved on is dropped. */
  private async lockLate(key: RunKey): Promise<void> {
    const { cache } = this.shared;
    const id = runKeyString(key);
    const [current] = await this.tx.lockRuns([runKeyOf(key)]);
    if (cache.get(id)?.run.version !== current?.version) cache.delete(id);
    this.locked.add(id);
  }

  /** One event of one run: `decide` with what the transaction knows, then its effects carried out. */
  private async applyEvent(key: RunKey, event: EngineEvent, read?: LoadedRead): Promise<EventOutcome> {
    const { deps, options } = this.shared;
    const entry = await this.load(key, read);
    if (!entry) return MISSING;
    const workflow = await deps.definitionOf(this.tx, key.workflow_id, entry.record.version_id);
    const tree = instanceTreeOf(entry.record, workflow);
    const permitsFor = await this.lookups.permitsOf(key.workflow_id, workflow, tree);
    const permitState = await this.lookups.permitStates(key.workflow_id, workflow, tree);
    const ctx: DecideContext = {
      plan: planOf(workflow),
      evaluator: deps.evaluator,
      info: infoOf(entry.record),
      now: this.now,
      available: deps.available,
      inline: deps.inline,
      self: options.owner,
      timeScale: options.timeScale,
      permitsFor,
      permitState,
      pausesAt: await this.lookups.breakpointsOf(entry.record, workflow),
      loopIterations: options.loopIterations,
      stepConcurrency: await this.lookups.stepConcurrencyOf(key.workflow_id, workflow),
    };
    const before = entry.view.status;
    const decision = decide(ctx, entry.view, event);
    if (decision.refused !== undefined) return { kind: 'refused', reason: decision.refused };
    if (!decision.changed) return UNCHANGED;
    entry.view = { status: decision.status, state: decision.state };
    entry.dirty = true;
    for (const id of decision.touched) entry.steps.add(id);
    const startChildren = (tx: StoreTx, requests: readonly StartRequest[]) =>
      deps.startChildren(tx, requests, this.after, (jobs) =>
        this.applyInBatch(jobs.flatMap((j) => (j.type === 'event' ? [{ key: j.key, event: j.event }] : []))),
      );
    const { announced, followUps } = await carryOut(this.tx, entry.record, decision.effects, {
      now: this.now,
      after: this.after,
      batch: this.writes,
      ledger: this.lookups.ledger,
      local: {
        owner: options.owner,
        leaseMs: options.leaseMs,
        reserveSlot: deps.reserveLocalSlot,
        takesControl: deps.takesControl,
      },
      startChildren: (tx, requests) => startChildren(tx, requests),
      startChild: async (tx, request) => (await startChildren(tx, [request]))[0]!,
      restartChild: (tx, request) => deps.restartChild(tx, request, this.after),
    });
    if (announced.length > 0) {
      entry.view = { ...entry.view, state: withAnnounced(entry.view.state, announced) };
      for (const a of announced) entry.steps.add(a.step_id);
    }
    // This decision's own end (carrying out may have moved the run on already, through events it raised: that
    // transition raised the parent's event itself), with the run's latest state for the child's rollup.
    await this.raiseParent(entry.record, before, decision.status, entry.view);
    await this.applyInBatch(followUps);
    return APPLIED;
  }

  /**
   * Events for runs, applied in this batch, in this transaction (what effects raised: a child started, a child to
   * stop; what a child's start stops, under its workflow's run strategy): a run this batch did not lock is locked
   * before it is read. Never a second batch on the same transaction, which would decide on copies this one has not
   * written yet.
   */
  async applyInBatch(
    events: readonly { readonly key: RunKey; readonly event: EngineEvent }[],
  ): Promise<void> {
    for (const { key, event } of events) {
      const id = runKeyString(key);
      if (!this.locked.has(id) && !this.touched.has(id)) await this.lockLate(key);
      const outcome = await this.applyEvent(runKeyOf(key), event);
      // A child stored for a run that ended meanwhile (a sibling failed it at once) has nobody to wait for it.
      if (event.type === 'child_started' && outcome !== APPLIED)
        await this.applyInBatch([{ key: event.child, event: { type: 'action', action: 'STOP' } }]);
    }
  }
}

function unknownJob(job: never): never {
  throw new Error(`commit job ${JSON.stringify(job)} has no stage`);
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
