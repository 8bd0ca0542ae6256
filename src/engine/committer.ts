import { allSteps, type Step, type Workflow } from '../model/definition.js';
import { DEFAULTS } from '../model/limits.js';
import type { StepType } from '../model/enums.js';
import type {
  Breakpoint,
  NewOutboxEvent,
  NewWorkItem,
  PermitHold,
  PermitHolder,
  PermitRequest,
  RunKey,
  RunRecord,
  StoreTx,
  WorkItem,
} from '../store/port.js';
import { ConflictError } from '../model/errors.js';
import { decide, type DecideContext, type RunView } from './decide.js';
import type { Evaluator, RunInfo } from './evaluator.js';
import type { EngineEvent, Effect } from './events.js';
import { planOf } from './plan.js';
import { runKeyOf, runKeyString, runStateJson, stateOf, stepRecords, type LoadedRun } from './run-record.js';

/** One unit of work the committer applies inside a (batched) transaction. */
export type CommitJob =
  | {
      readonly type: 'event';
      readonly key: RunKey;
      readonly event: EngineEvent;
      readonly ack?: readonly number[];
    }
  | { readonly type: 'reschedule'; readonly item: number; readonly runAt: number }
  | { readonly type: 'ack'; readonly ids: readonly number[] }
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
    const touched = new Map<
      string,
      { record: RunRecord; expected: number; view: RunView; dirty: boolean; steps: Set<string> }
    >();
    const now = deps.now();
    // Writes every run's transition adds, made once for the whole batch at the end (one statement each, not one
    // per step): work items, outbox events, acks, permits given back.
    const batch: BatchWrites = { items: [], outbox: [], acks: [], holds: [], waits: [], releases: [] };

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
        permitsFor: await permitsOf(key.workflow_id, workflow, entry.record.correlation_id),
        takePermits: await permitTaker(key.workflow_id, workflow, entry.record.correlation_id),
        pausesAt: await breakpointsOf(entry.record),
      };
      const decision = decide(ctx, entry.view, event);
      if (!decision.changed) return;
      entry.view = { status: decision.status, state: decision.state };
      entry.dirty = true;
      for (const id of decision.touched) entry.steps.add(id);
      await carryOut(tx, entry.record, decision.effects, now, after, batch, ledger);
    };

    const breakpointsByWorkflow = new Map<string, Breakpoint[]>();
    /** Breakpoints of a workflow, read once per transaction; 0 in a field matches any. */
    const breakpointsOf = async (run: RunRecord) => {
      let list = breakpointsByWorkflow.get(run.workflow_id);
      if (!list)
        breakpointsByWorkflow.set(run.workflow_id, (list = await tx.listBreakpoints(run.workflow_id)));
      const points = list;
      return (stepId: string, attempt: number): boolean =>
        points.some(
          (b) =>
            b.step_id === stepId &&
            (b.instance_id === 0 || b.instance_id === run.instance_id) &&
            (b.run_id === 0 || b.run_id === run.run_id) &&
            (b.attempt === 0 || b.attempt === attempt),
        );
    };

    const limitsByWorkflow = new Map<string, { stepConcurrency: number; tags: Map<string, number> }>();
    /** Step concurrency, instance step concurrency and tag permits (REFERENCE §4.2), read once per transaction. */
    const permitsOf = async (workflowId: string, workflow: Workflow, correlation: string) => {
      let limits = limitsByWorkflow.get(workflowId);
      if (!limits) {
        const properties = (await tx.getWorkflow(workflowId))?.properties;
        const tagNames = [
          ...new Set([...allSteps(workflow.steps)].flatMap((s) => (s.tags ?? []).map((t) => t.name))),
        ];
        const tags = new Map((await tx.getTagPermits(tagNames)).map((t) => [t.tag, t.max_allowed] as const));
        limits = { stepConcurrency: properties?.step_concurrency ?? DEFAULTS.stepConcurrency, tags };
        limitsByWorkflow.set(workflowId, limits);
      }
      const { stepConcurrency, tags } = limits;
      return (step: Step): PermitRequest[] => {
        const out: PermitRequest[] = [{ key: `workflow:${workflowId}`, limit: stepConcurrency }];
        if (workflow.instance_step_concurrency !== undefined) {
          out.push({ key: `instance:${correlation}`, limit: workflow.instance_step_concurrency });
        }
        for (const tag of step.tags ?? []) {
          const max = tags.get(tag.name);
          if (max !== undefined) out.push({ key: `tag:${tag.name}`, limit: max });
        }
        return out;
      };
    };

    /**
     * How full each permit key is, as far as this transaction knows: read (and locked) once per key, then kept up to
     * date as permits are taken. Keys whose permits are given back or granted to waiters are read again.
     */
    const ledger: PermitLedger = new Map();
    /**
     * Lets `decide` take free permits at once (no WAITING_FOR_PERMITS detour, no second decision); what it takes is
     * counted in the ledger as it goes.
     */
    const permitTaker = async (workflowId: string, workflow: Workflow, correlation: string) => {
      const { tags } = limitsByWorkflow.get(workflowId)!;
      const keys = [`workflow:${workflowId}`, ...[...tags.keys()].map((t) => `tag:${t}`)];
      if (workflow.instance_step_concurrency !== undefined) keys.push(`instance:${correlation}`);
      const missing = keys.filter((k) => !ledger.has(k));
      if (missing.length > 0)
        for (const [k, v] of Object.entries(await tx.permitState(missing))) ledger.set(k, v);
      return (permits: readonly PermitRequest[]): boolean => {
        const free = permits.every((p) => {
          const s = ledger.get(p.key);
          return s !== undefined && !s.waiting && s.held < p.limit;
        });
        if (free)
          for (const p of permits) ledger.set(p.key, { held: ledger.get(p.key)!.held + 1, waiting: false });
        return free;
      };
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
        case 'ack':
          batch.acks.push(...job.ids);
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

    // Record the permits taken, give back the ones let go, queue the ones asked for, then let waiters in, all in this
    // same transaction: nobody can take a permit a waiter was due. Letting a waiter in is an event of its run, which
    // may take, give back or ask for more.
    while (batch.holds.length > 0 || batch.releases.length > 0 || batch.waits.length > 0) {
      if (batch.holds.length > 0) await tx.holdPermits(batch.holds.splice(0), now);
      const keys = new Set(await tx.releasePermits(batch.releases.splice(0)));
      const queued = new Set<string>();
      const waits = batch.waits.splice(0);
      if (waits.length > 0) {
        for (const key of await tx.queueForPermits(waits, now)) keys.add(key);
        for (const w of waits) for (const p of w.permits) queued.add(p.key);
      }
      // Only where someone may be in line: just queued for, seen with waiters, or not looked at in this transaction
      // (a key seen without waiters stays so until the commit: permitState locks it).
      const grant = [...keys, ...queued].filter((k) => queued.has(k) || ledger.get(k)?.waiting !== false);
      for (const key of [...keys, ...queued]) ledger.delete(key);
      for (const h of await tx.grantWaiting(grant)) {
        await applyEvent(h, { type: 'permits_granted', step_id: h.step_id, attempt: h.attempt });
      }
    }
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

  async function carryOut(
    tx: StoreTx,
    run: RunRecord,
    effects: readonly Effect[],
    now: number,
    after: AfterCommit,
    batch: BatchWrites,
    ledger: PermitLedger,
  ): Promise<void> {
    const key = runKeyOf(run);
    const sameRun = (item: NewWorkItem): boolean =>
      item.workflow_id === key.workflow_id &&
      item.instance_id === key.instance_id &&
      item.run_id === key.run_id;
    for (const effect of effects) {
      switch (effect.type) {
        case 'run_step': {
          const local = deps.reserveLocalSlot();
          if (local) after.reserved += 1;
          batch.items.push({
            kind: 'step',
            ...key,
            step_id: effect.step_id,
            attempt: effect.attempt,
            payload: { step_type: effect.step_type, params: effect.params, start_time: effect.start_time },
            run_at: now,
            ...(local ? { lease_owner: options.owner, lease_until: now + options.leaseMs } : {}),
          });
          break;
        }
        case 'acquire_permits':
          // `decide` asks only when the permits looked taken: get in line; the flush lets in whoever fits
          batch.waits.push({
            holder: { ...key, step_id: effect.step_id, attempt: effect.attempt },
            permits: effect.permits,
          });
          for (const p of effect.permits) {
            const s = ledger.get(p.key);
            if (s) ledger.set(p.key, { ...s, waiting: true });
          }
          break;
        case 'hold_permits':
          batch.holds.push({
            holder: { ...key, step_id: effect.step_id, attempt: effect.attempt },
            permits: effect.permits,
          });
          break;
        case 'release_permits':
          batch.releases.push({ ...key, step_id: effect.step_id, attempt: effect.attempt });
          break;
        case 'cancel_step': {
          const { step_id, attempt } = effect;
          await tx.deleteStepItems(key, step_id, attempt);
          removeWhere(
            batch.items,
            (i) => sameRun(i) && i.kind === 'step' && i.step_id === step_id && i.attempt === attempt,
          );
          after.cancel.push({ key, step_id, attempt });
          break;
        }
        case 'timer':
          batch.items.push({
            kind: 'timer',
            ...key,
            payload: { event: effect.event as never },
            run_at: effect.at,
          });
          break;
        case 'emit':
          batch.outbox.push({
            type: effect.event_type,
            payload: {
              workflow_id: key.workflow_id,
              workflow_instance_id: key.instance_id,
              workflow_run_id: key.run_id,
              ...effect.payload,
            },
            create_time: now,
          });
          break;
        case 'run_ended':
          await tx.deleteRunItems(key);
          // items this batch made for the run are not in the store yet: drop them too, except leased ones, which
          // deleteRunItems would keep as well
          removeWhere(batch.items, (i) => sameRun(i) && i.lease_owner === undefined);
          batch.items.push({
            kind: 'admit',
            ...key,
            payload: {},
            run_at: now,
            dedup_key: `admit:${key.workflow_id}`,
          });
          break;
      }
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

/** Writes collected over one batch and made together at its end. */
interface BatchWrites {
  readonly items: NewWorkItem[];
  readonly outbox: NewOutboxEvent[];
  readonly acks: number[];
  readonly holds: PermitHold[];
  readonly waits: PermitHold[];
  readonly releases: PermitHolder[];
}

type PermitLedger = Map<string, { held: number; waiting: boolean }>;

function removeWhere<T>(list: T[], drop: (value: T) => boolean): void {
  let kept = 0;
  for (const value of list) if (!drop(value)) list[kept++] = value;
  list.length = kept;
}

function noteUnleased(after: AfterCommit, runAt: number, now: number): void {
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
