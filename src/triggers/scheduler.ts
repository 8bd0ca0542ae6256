import { Batcher } from '../engine/batcher.js';
import type { Clock } from '../engine/clock.js';
import type { StartRequest, StartResult } from '../engine/start-run.js';
import { BatonError, ConflictError } from '../model/errors.js';
import type {
  Store,
  StoreTx,
  TimeTriggerAdvance,
  TimeTriggerState,
  TriggerFireError,
  WorkItem,
} from '../store/port.js';
import { DEFAULT_CATCH_UP, type CatchUp } from './catch-up.js';
import { planFires, type Fire, type FirePlan } from './fire-times.js';
import { fireRequestId } from './ids.js';

export interface SchedulerDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Starts a run through the engine's batched start path (`engine.startRun`). */
  readonly start: (request: StartRequest) => Promise<StartResult>;
}

export interface SchedulerOptions {
  /** The lease owner of this process (the engine's): only items it still holds are rescheduled. */
  readonly owner: string;
  readonly catchUp?: CatchUp;
}

export interface TimeTriggerScheduler {
  /**
   * Takes a claimed `trigger` work item (the `schedule` claim): fires what is due, then sets its next wake. Resolves
   * once it is handled (never rejects: a failure is logged and the item tried again).
   */
  take(item: WorkItem): Promise<void>;
  /** Takes no more items and resolves once those taken are handled. */
  stop(): Promise<void>;
}

/** Trigger items handled together: one read of their state, their starts batched, one write of their watermarks. */
const FIRE_BATCH = 1024;

interface Handled {
  readonly item: WorkItem;
  readonly state?: TimeTriggerState;
  readonly plan?: FirePlan;
  /** A fire failed for a reason that may pass (the store): its watermarks stay, the item is tried again. */
  retry?: boolean;
  error?: TriggerFireError;
}

/**
 * The scheduler role: the durable timers of time triggers (docs/triggers.md). Each claimed item is a workflow whose
 * next fire is due. Its due fire times (chosen by the catch-up policy) start runs with request ids made from the
 * workflow, trigger and time, so a fire started twice (two schedulers, a crash between the starts and the watermark)
 * is DUPLICATED; the watermarks move on only after the starts committed, and the item is set to the next fire.
 */
export function createTimeTriggerScheduler(
  deps: SchedulerDeps,
  options: SchedulerOptions,
): TimeTriggerScheduler {
  const catchUp = options.catchUp ?? DEFAULT_CATCH_UP;
  let stopped = false;

  async function handle(items: readonly WorkItem[]): Promise<void[]> {
    const now = deps.clock.now();
    const states = await deps.store.transact((tx) => tx.getTimeTriggers(items.map((i) => i.workflow_id)));
    const byWorkflow = new Map(states.map((s) => [s.workflow_id, s]));
    const handled: Handled[] = items.map((item) => {
      const state = byWorkflow.get(item.workflow_id);
      return state
        ? { item, state, plan: planFires(item.workflow_id, state.triggers, now, catchUp) }
        : { item };
    });
    await Promise.all(handled.map((h) => startFires(h)));
    await deps.store.transact((tx) => advance(tx, handled, now));
    return items.map(() => undefined);
  }

  async function startFires(h: Handled): Promise<void> {
    if (!h.state || !h.plan) return;
    const state = h.state;
    const outcomes = await Promise.allSettled(h.plan.fires.map((fire) => deps.start(startOf(state, fire))));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') return;
      const reason: unknown = outcome.reason;
      // A start the engine refused (bad params, no active version) will be refused again: it is recorded and the
      // trigger moves on. Anything else (the store) leaves the watermarks, and the fire is tried again.
      if (reason instanceof BatonError && !(reason instanceof ConflictError)) {
        const message = `${reason.message}`;
        h.error = { trigger_time: h.plan!.fires[i]!.time, message };
        process.emitWarning(
          `baton scheduler: ${state.workflow_id} did not start at its fire time: ${message}`,
        );
      } else h.retry = true;
    });
  }

  async function advance(tx: StoreTx, handled: readonly Handled[], now: number): Promise<void> {
    const updates: TimeTriggerAdvance[] = [];
    for (const h of handled) {
      if (!h.state || !h.plan || h.retry) continue;
      updates.push({
        workflow_id: h.item.workflow_id,
        expected_version: h.state.version,
        expected_trigger_uuid: h.state.trigger_uuid,
        triggers: h.plan.triggers,
        ...(h.plan.next === undefined ? {} : { next_fire_time: h.plan.next }),
        ...(h.error ? { last_error: h.error } : {}),
        update_time: now,
      });
    }
    const written = new Set(await tx.advanceTimeTriggers(updates));
    const done: number[] = [];
    const next: { id: number; run_at: number }[] = [];
    for (const h of handled) {
      // No state: the workflow's triggers are gone (deactivated, deleted); a state changed meanwhile (a new version,
      // another scheduler) has set the item itself.
      if (!h.state) done.push(h.item.id);
      else if (written.has(h.item.workflow_id)) {
        if (h.plan?.next === undefined) done.push(h.item.id);
        else next.push({ id: h.item.id, run_at: h.plan.next });
      }
    }
    await Promise.all([
      tx.rescheduleItems(next, options.owner),
      done.length > 0 ? tx.ack(done, options.owner) : undefined,
    ]);
  }

  const batcher = new Batcher<WorkItem, void>(handle, FIRE_BATCH);
  return {
    take(item: WorkItem): Promise<void> {
      // A process stopping leaves it leased; the engine's stop hands it back to the store.
      if (stopped) return Promise.resolve();
      return batcher
        .submit(item)
        .then(() => undefined)
        .catch((error: unknown) =>
          process.emitWarning(
            `baton scheduler: time triggers of ${item.workflow_id} will be tried again: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    },
    async stop(): Promise<void> {
      stopped = true;
      await batcher.idle();
    },
  };
}

/** The start of one fire: the active version, a TIME initiator, RUN_TS the scheduled time. */
function startOf(state: TimeTriggerState, fire: Fire): StartRequest {
  return {
    workflow_id: state.workflow_id,
    version: 'active',
    request_id: fireRequestId(state.workflow_id, fire.trigger, fire.time),
    initiator: {
      type: 'TIME',
      trigger_uuid: state.trigger_uuid,
      trigger_time: fire.time,
      timezone: fire.timezone,
    },
    run_params: { RUN_TS: fire.time },
  };
}
