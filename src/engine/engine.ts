import { refuseInline } from './foreach.js';
import { randomUUID } from 'node:crypto';
import type { Workflow, WorkflowCreateRequest } from '../model/definition.js';
import { ConflictError, IllegalStateError, NotFoundError } from '../model/errors.js';
import type { JsonObject } from '../model/json.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import type { Breakpoint, RunKey, StoreTx, WorkItem, WorkflowVersionRecord } from '../store/port.js';
import type { StepResult } from './step-runtime.js';
import { Batcher } from './batcher.js';
import { createScope } from './claim-scope.js';
import { admitJob, stepResultJob, createClaimer, timerJob } from './claimer.js';
import {
  createCommitter,
  newAfterCommit,
  type AfterCommit,
  type CommitJob,
  type EventOutcome,
} from './committer.js';
import type { RunAction } from './events.js';
import {
  restartRun,
  admissionRequester,
  type RestartRequest,
  type StartRequest,
  type StartResult,
} from './start-run.js';
import { startBatcher } from './start-batch.js';
import { createDefinitionCache } from './definitions.js';
import { startsInTransactions } from './start-runs.js';
import { childStarters, orphanedParentJobs } from './child-runs.js';
import { admitWorkflows } from './run-strategy.js';
import { runKeyString, stateOf, type LoadedRun } from './run-record.js';
import { stopGracefully } from './graceful-stop.js';
import { WorkerPool } from './worker-pool.js';
import { scheduledWork } from './trigger-hooks.js';
import { waitForEnd } from './wait-for-end.js';
import { resolveEngineOptions, type EngineDeps, type EngineOptions } from './engine-options.js';
import type { Engine } from './engine-contract.js';

export type { EngineDeps, EngineOptions } from './engine-options.js';
export type { Engine } from './engine-contract.js';

/** Times a transaction that lost an optimistic race (another process wrote the run) is run again at once. */
const CONFLICT_RETRIES = 5;

/**
 * The engine of one process: takes definitions and starts, runs step attempts on its workers, and applies every
 * result through `decide` in batched transactions. Several engines may share a store; none holds state another
 * could not take over (its leases expire and its work is reclaimed).
 */
export function createEngine(deps: EngineDeps, options: EngineOptions = {}): Engine {
  const o = resolveEngineOptions(options, deps.triggers !== undefined);
  const { store, clock } = deps;
  if (o.claims.includes('schedule') && !deps.triggers)
    throw new IllegalStateError(
      "an engine that claims 'schedule' work needs the trigger hooks (deps.triggers)",
    );
  const definitions = createDefinitionCache();
  const listeners = new Set<(loaded: LoadedRun) => void>();
  const scope = options.scope === undefined ? undefined : createScope(options.scope);
  let stopping = false;
  let stopWatching: (() => void) | undefined;

  const definitionOf = definitions.definitionOf;
  const prefetchDefinitions = definitions.prefetch;

  const pool = new WorkerPool(
    {
      clock,
      runtimes: deps.runtimes,
      report: (item, result) => report(item, result),
      onIdle: () => {
        claimer.onIdle();
      },
    },
    {
      size: o.claims.includes('run') ? o.workers : 0,
      timeScale: o.timeScale,
      ...(o.logDir === undefined ? {} : { logDir: o.logDir }),
    },
  );

  const committer = createCommitter(
    {
      now: () => clock.now(),
      evaluator: deps.evaluator,
      available: deps.available ?? ((type) => deps.runtimes[type]?.available !== false),
      inline: (type) => deps.runtimes[type]?.inline,
      definitionOf,
      reserveLocalSlot: (key) => claimer.running && (scope?.has(key) ?? true) && pool.reserve(),
      takesControl: () => o.claims.includes('decide') && claimer.running,
      admit: admitWorkflows,
      ...childStarters(() => starterDeps),
    },
    { owner: o.owner, leaseMs: o.leaseMs, timeScale: o.timeScale, loopIterations: options.loopIterations },
  );

  /**
   * Runs `work` in a transaction with a fresh AfterCommit, then carries out what the commit allows. The store may
   * run `work` more than once (a serialization failure, a connection lost before commit), and a lost optimistic race
   * (ConflictError: another process wrote the run) runs it again here with the cache forgotten; each try starts
   * from a fresh AfterCommit, so only the try that committed has effects.
   */
  async function transact<T>(
    work: (tx: StoreTx, after: AfterCommit) => Promise<T>,
    started?: (result: T) => readonly RunKey[],
  ): Promise<T> {
    let after = newAfterCommit();
    let result: T;
    for (let conflicts = 0; ; conflicts++) {
      try {
        result = await store.transact((tx) => {
          pool.release(after.reserved);
          after = newAfterCommit();
          return work(tx, after);
        });
        break;
      } catch (error) {
        pool.release(after.reserved);
        after = newAfterCommit();
        committer.forget(error);
        if (!(error instanceof ConflictError) || conflicts >= CONFLICT_RETRIES) throw error;
      }
    }
    committer.committed(after);
    // Runs this engine started are in its scope before anything the commit allows is carried out (their admission).
    if (scope && started) for (const key of started(result)) scope.add(key);
    if (scope) for (const key of after.started) scope.add(key);
    scope?.forgetEnded(after.changed);
    for (const c of after.cancel) pool.abort(c.key, c.step_id, c.attempt);
    for (const item of after.dispatch) pool.run(item, true);
    for (const item of after.admits) claimer.take(item);
    if (after.dueNow) void claimer.pump();
    if (after.wakeAt !== undefined) claimer.scheduleWake(after.wakeAt);
    for (const loaded of after.changed) for (const listener of listeners) listener(loaded);
    return result;
  }

  const batcher = new Batcher<CommitJob, EventOutcome | undefined>(
    (jobs) => transact((tx, after) => committer.apply(tx, jobs, after)),
    o.maxBatch,
  );

  async function report(item: WorkItem, result: StepResult): Promise<void> {
    // (An attempt aborted because this engine stops is not reported at all: the pool hands it back, see `stop`.)
    await submit(stepResultJob(item, result, o.owner, clock.now()));
  }

  async function submit(job: CommitJob): Promise<void> {
    try {
      await batcher.submit(job);
    } catch (error) {
      // The store refused the job even alone; its work item stays and is retried when its lease expires.
      process.emitWarning(
        `baton engine: a commit failed and will be retried: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  const claimer = createClaimer(
    {
      store,
      clock,
      pool,
      submit,
      control: {
        timer: (item) => submit(timerJob(item)),
        admit: (item) => submit(admitJob(item)),
        trigger: (item) => deps.triggers!.fireTimeTriggers(item),
        signal: (item) => scheduled.run(item, () => deps.triggers!.handleSignal(item, runStarts)),
      },
    },
    {
      owner: o.owner,
      leaseMs: o.leaseMs,
      claims: o.claims,
      pollMs: o.pollMs,
      ...(scope === undefined ? {} : { scope: () => scope.claimScope() }),
    },
  );

  const starterDeps = {
    clock,
    evaluator: deps.evaluator,
    definitionOf,
    apply: committer.apply,
    requestAdmissions: admissionRequester(clock, {
      owner: o.owner,
      leaseMs: o.leaseMs,
      local: () => o.claims.includes('decide') && claimer.running,
    }),
    prefetchDefinitions,
  };
  const starts = startBatcher(starterDeps, (work) =>
    transact(work, (results) => (results as readonly StartResult[]).map((r) => r.run)),
  );
  const scheduled = scheduledWork({ store, clock, owner: o.owner });
  const runStarts = startsInTransactions(starterDeps, transact);
  /** Runs a change of a workflow and brings its trigger subscriptions in line, in one transaction. */
  const changeWorkflow = <T>(
    workflowId: string,
    change: (tx: StoreTx, after: AfterCommit) => Promise<T>,
  ): Promise<T> =>
    transact(async (tx, after) => {
      const result = await change(tx, after);
      await deps.triggers?.workflowChanged(tx, workflowId, clock.now());
      return result;
    });

  return {
    owner: o.owner,
    store,

    async createWorkflow(request: WorkflowCreateRequest, author = 'baton'): Promise<WorkflowVersionRecord> {
      return changeWorkflow(request.workflow.id, (tx) =>
        tx.insertWorkflowVersion({ request, author, now: clock.now() }),
      );
    },

    changeWorkflow,
    startRunsIn: runStarts.startRunsIn,

    async startRun(request: StartRequest): Promise<StartResult> {
      refuseInline(request.workflow_id, 'started');
      // The request id is drawn here, once: a start that is tried again finds the run it may already have made.
      return starts.submit(
        request.request_id === undefined ? { ...request, request_id: randomUUID() } : request,
      );
    },

    async deleteWorkflow(workflowId: string, batch = 200): Promise<void> {
      await changeWorkflow(workflowId, async (tx, after) => {
        await tx.markWorkflowDeleted(workflowId, clock.now());
        const jobs = await orphanedParentJobs(tx, workflowId);
        if (jobs.length > 0) await committer.apply(tx, jobs, after);
      });
      for (let more = true; more;) {
        more = await transact(async (tx, after) => {
          const done = await tx.deleteWorkflowBatch(workflowId, batch);
          const granted = done.permitKeys.length > 0 ? await tx.grantWaiting(done.permitKeys) : [];
          // Waiters of the workflow being deleted go with it; only other workflows' steps are let in.
          const jobs: CommitJob[] = granted
            .filter((h) => h.workflow_id !== workflowId)
            .map((h) => ({
              type: 'event',
              key: { workflow_id: h.workflow_id, instance_id: h.instance_id, run_id: h.run_id },
              event: { type: 'permits_granted', step_id: h.step_id, attempt: h.attempt },
            }));
          if (jobs.length > 0) await committer.apply(tx, jobs, after);
          return done.more;
        });
      }
      definitions.clear();
    },

    async setBreakpoint(breakpoint: Breakpoint): Promise<void> {
      await store.transact((tx) => tx.setBreakpoint(breakpoint));
    },

    async deleteBreakpoint(breakpoint: Breakpoint): Promise<void> {
      await store.transact((tx) => tx.deleteBreakpoint(breakpoint));
    },

    async setTagPermit(tag: string, maxAllowed: number): Promise<void> {
      await store.transact((tx) => tx.setTagPermit(tag, maxAllowed));
    },

    async restartStep(
      key: { workflow_id: string; instance_id: number },
      stepId: string,
    ): Promise<StartResult | undefined> {
      const latest = await store.transact((tx) => tx.getLatestRun(key.workflow_id, key.instance_id));
      if (!latest)
        throw new NotFoundError(`workflow '${key.workflow_id}' has no instance ${key.instance_id}`);
      const fromStep = () =>
        this.restart({
          workflow_id: key.workflow_id,
          instance_id: key.instance_id,
          policy: 'RESTART_FROM_SPECIFIC',
          step_id: stepId,
        });
      if (WORKFLOW_INSTANCE_TRAITS[latest.status].terminal) return fromStep();
      try {
        await this.action(latest, 'RESTART', stepId);
        return undefined;
      } catch (error) {
        // The run ended between the read and the action: a new run from the step, as for an ended run.
        const ended = await this.getRun(latest);
        if (
          error instanceof IllegalStateError &&
          ended &&
          WORKFLOW_INSTANCE_TRAITS[ended.run.status].terminal
        )
          return fromStep();
        throw error;
      }
    },

    async restart(request: RestartRequest): Promise<StartResult> {
      refuseInline(request.workflow_id, 'restarted');
      return transact(
        (tx, after) => restartRun(starterDeps, tx, request, after),
        (result) => [result.run],
      );
    },

    async unblock(key: RunKey): Promise<void> {
      await transact(async (tx, after) => {
        const run = await tx.getRun(key);
        if (!run) throw new NotFoundError(`run ${runKeyString(key)} does not exist`);
        if (!WORKFLOW_INSTANCE_TRAITS[run.status].actions.includes('UNBLOCK')) {
          throw new IllegalStateError(`cannot UNBLOCK run ${runKeyString(key)}: it is ${run.status}`);
        }
        await tx.unblockRun(key);
        await committer.apply(tx, [{ type: 'admit', workflowId: key.workflow_id }], after);
      });
    },

    async action(key: RunKey, action: RunAction, stepId?: string, attempt?: number): Promise<void> {
      // Checked by `decide` in the transaction that applies it: a status read in another would be stale by then.
      const outcome = await batcher.submit({
        type: 'event',
        key,
        event: {
          type: 'action',
          action,
          ...(stepId === undefined ? {} : { step_id: stepId }),
          ...(attempt === undefined ? {} : { attempt }),
        },
      });
      const target =
        stepId === undefined ? `run ${runKeyString(key)}` : `step '${stepId}' of run ${runKeyString(key)}`;
      if (outcome?.kind === 'missing') throw new NotFoundError(`run ${runKeyString(key)} does not exist`);
      if (outcome?.kind === 'refused')
        throw new IllegalStateError(`cannot ${action} ${target}: ${outcome.reason}`);
    },

    async definition(workflowId: string, versionId: number): Promise<Workflow> {
      // Versions never change: a cached one needs no transaction.
      return (
        definitions.cached(workflowId, versionId) ??
        store.transact((tx) => definitionOf(tx, workflowId, versionId))
      );
    },

    /** A run with its whole state (steps included), as stored. */
    async getRun(key: RunKey, onlyIfEnded = false): Promise<LoadedRun | undefined> {
      return store.transact(async (tx) => {
        const run = await tx.getRun(key);
        if (!run) return undefined;
        if (onlyIfEnded && !WORKFLOW_INSTANCE_TRAITS[run.status].terminal)
          return { run, state: stateOf(run, []) };
        return { run, state: stateOf(run, await tx.getSteps(key)) };
      });
    },

    onRunChange(listener: (loaded: LoadedRun) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    start(): void {
      if (stopping)
        throw new IllegalStateError('this engine has been stopped; create a new one to start again');
      if (claimer.running) return;
      claimer.start();
      stopWatching = store.onWork(() => void claimer.pump());
    },

    async stop(): Promise<void> {
      stopping = true;
      await stopGracefully(
        {
          store,
          claimer,
          pool,
          batchers: [starts, batcher, scheduled],
          stopListening: () => {
            stopWatching?.();
            stopWatching = undefined;
          },
        },
        o.owner,
      );
    },

    waitForEnd(key: RunKey): Promise<LoadedRun> {
      return waitForEnd({ clock, pollMs: o.pollMs, onRunChange: this.onRunChange, getRun: this.getRun }, key);
    },
  };
}

export type { JsonObject };
