import type {
  RunKey,
  NewOutboxEvent,
  NewWorkItem,
  PermitHold,
  PermitHolder,
  RunRecord,
  StoreTx,
} from '../store/port.js';
import type { AfterCommit } from './committer.js';
import { announceStepOutputs, type OutputAnnounced } from '../signals/step-outputs.js';
import { registerWaits } from '../signals/step-waits.js';
import type { Effect, EngineEvent } from './events.js';
import type { RestartRequest, StartRequest, StartResult } from './start-run.js';
import { startChild, startIterations, stopIterations } from './child-effects.js';
import { isInlineWorkflow } from './foreach.js';
import { runKeyOf } from './run-record.js';
import type { PermitLedger } from './tx-lookups.js';

/** Writes collected over one batch and made together at its end (one statement each, not one per step). */
export interface BatchWrites {
  readonly items: NewWorkItem[];
  readonly outbox: NewOutboxEvent[];
  readonly acks: number[];
  /** Runs that ended: their unleased items go when the batch writes (`BatchQueueWrites.ended`). */
  readonly ended: RunKey[];
  readonly holds: PermitHold[];
  readonly waits: PermitHold[];
  readonly releases: PermitHolder[];
}

export function newBatchWrites(): BatchWrites {
  return { items: [], outbox: [], acks: [], ended: [], holds: [], waits: [], releases: [] };
}

export interface CarryOutContext {
  readonly now: number;
  readonly after: AfterCommit;
  readonly batch: BatchWrites;
  readonly ledger: PermitLedger;
  /** The local fast path: new step items leased to this process when it has a free worker. */
  readonly local: {
    readonly owner: string;
    readonly leaseMs: number;
    readonly reserveSlot: (key: RunKey) => boolean;
    /** Whether control items (a timer due now) may be leased to this process, whose committer then takes them. */
    readonly takesControl: () => boolean;
  };
  /** Starts a run in this transaction (`startRuns`); throws a BatonError when it is refused. */
  readonly startChild: (tx: StoreTx, request: StartRequest) => Promise<StartResult>;
  /** Starts runs in this transaction (`startRuns`, one call); throws a BatonError when one is refused. */
  readonly startChildren: (tx: StoreTx, requests: readonly StartRequest[]) => Promise<StartResult[]>;
  /** Restarts a child in this transaction (`restartRun`): a new run of its instance; a BatonError when refused. */
  readonly restartChild: (tx: StoreTx, request: RestartRequest) => Promise<StartResult>;
}

/** An event a decision's effects raise, for this run or another, applied in the same transaction. */
export interface FollowUp {
  readonly key: RunKey;
  readonly event: EngineEvent;
}

/** What carrying out a decision answers: signal outputs stored (their seq ids go on their steps), events raised. */
export interface CarriedOut {
  readonly announced: OutputAnnounced[];
  readonly followUps: FollowUp[];
}

/**
 * Turns one decision's effects into writes: most are collected in the batch and made at its end; deleting a
 * cancelled attempt's or an ended run's items happens at once (and drops what the batch had collected for them), as
 * do a step's signal waits and signal outputs (they read and lock signal names). Answers with the signal outputs
 * stored, whose seq ids the caller writes on their steps.
 */
export async function carryOut(
  tx: StoreTx,
  run: RunRecord,
  effects: readonly Effect[],
  ctx: CarryOutContext,
): Promise<CarriedOut> {
  const announced: OutputAnnounced[] = [];
  const followUps: FollowUp[] = [];
  const { now, after, batch, ledger, local } = ctx;
  const key = runKeyOf(run);
  const sameRun = (item: NewWorkItem): boolean =>
    item.workflow_id === key.workflow_id &&
    item.instance_id === key.instance_id &&
    item.run_id === key.run_id;
  for (const effect of effects) {
    switch (effect.type) {
      case 'run_step': {
        const mine = local.reserveSlot(key);
        if (mine) after.reserved += 1;
        batch.items.push({
          kind: 'step',
          ...key,
          step_id: effect.step_id,
          attempt: effect.attempt,
          payload: { step_type: effect.step_type, params: effect.params, start_time: effect.start_time },
          run_at: now,
          // the committer leases it again from when it writes the batch (a batch may wait for locks first)
          ...(mine ? { lease_owner: local.owner, lease_until: now + local.leaseMs } : {}),
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
        // `decide` took them (they were free): the later decisions of the batch count them
        batch.holds.push({
          holder: { ...key, step_id: effect.step_id, attempt: effect.attempt },
          permits: effect.permits,
        });
        for (const p of effect.permits) {
          const s = ledger.get(p.key);
          if (s) ledger.set(p.key, { ...s, held: s.held + 1 });
        }
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
        batch.ended.push(key);
        // items this batch made for the run are not in the store yet: drop them too, except leased ones, which
        // the store keeps as well
        removeWhere(batch.items, (i) => sameRun(i) && i.lease_owner === undefined);
        // One admission per workflow per batch is enough: it lets in whoever has room. A loop's iterations are
        // never queued (the loop starts them), so their end lets nobody in.
        if (
          !isInlineWorkflow(key.workflow_id) &&
          !batch.items.some((i) => i.kind === 'admit' && i.workflow_id === key.workflow_id && !i.lease_owner)
        )
          batch.items.push(admitItem(key, now));
        break;
      case 'await_signals':
        batch.items.push(
          ...(await registerWaits(tx, key, effect.step_id, effect.attempt, effect.waits, now)),
        );
        break;
      case 'drop_signal_waits':
        await tx.deleteSignalWaits(key, effect.step_id, effect.attempt);
        break;
      case 'announce_signals':
        announced.push(...(await announceStepOutputs(tx, key, effect, now)));
        break;
      case 'start_child':
        followUps.push({ key, event: await startChild(tx, run, effect, ctx) });
        break;
      case 'stop_child':
        followUps.push({ key: effect.child, event: { type: 'action', action: 'STOP' } });
        break;
      case 'start_iterations':
        followUps.push(...(await startIterations(tx, run, effect, ctx)));
        break;
      case 'stop_iterations':
        followUps.push(...(await stopIterations(tx, effect)));
        break;
      default:
        return unknownEffect(effect);
    }
  }
  return { announced, followUps };
}

function unknownEffect(effect: never): never {
  throw new Error(`effect ${JSON.stringify(effect)} has no carrying out`);
}

/**
 * Records the permits taken, gives back the ones let go and queues the ones asked for; answers with the keys where
 * a waiter may now fit (the caller lets them in with `grantWaiting`, in the same transaction: nobody can take a
 * permit a waiter was due). The statements go out at once, so a store that pipelines sends them with the batch's
 * writes: in a hop, nobody waits and nothing is granted, and the permits cost no round trip of their own.
 */
export async function sendPermits(
  tx: StoreTx,
  batch: BatchWrites,
  ledger: PermitLedger,
  now: number,
): Promise<string[]> {
  const holds = batch.holds.splice(0);
  const releases = batch.releases.splice(0);
  const waits = batch.waits.splice(0);
  if (holds.length === 0 && releases.length === 0 && waits.length === 0) return [];
  // Holders taking and holders letting go differ, so both go out together.
  const [, released] = await Promise.all([
    holds.length > 0 ? tx.holdPermits(holds, now) : undefined,
    tx.releasePermits(releases),
  ]);
  const keys = new Set(released);
  const queued = new Set<string>();
  if (waits.length > 0) {
    for (const key of await tx.queueForPermits(waits, now)) keys.add(key);
    for (const w of waits) for (const p of w.permits) queued.add(p.key);
  }
  // Only where someone may be in line: just queued for, seen with waiters, or not looked at in this transaction
  // (a key seen without waiters stays so until the commit: permitState locks it).
  const grant = [...keys, ...queued].filter((k) => queued.has(k) || ledger.get(k)?.waiting !== false);
  for (const key of [...keys, ...queued]) ledger.delete(key);
  return grant;
}

/** Whether a batch still has permits to take, give back or ask for. */
export function permitsPending(batch: BatchWrites): boolean {
  return batch.holds.length > 0 || batch.releases.length > 0 || batch.waits.length > 0;
}

function removeWhere<T>(list: T[], drop: (value: T) => boolean): void {
  let kept = 0;
  for (const value of list) if (!drop(value)) list[kept++] = value;
  list.length = kept;
}

/**
 * The work item that asks for an admission of a workflow's queued runs, keyed by the run that asked (a start, or a
 * run that ended). Each asker has its own (no dedup key): a shared one would make every start wait on its row lock
 * while an admission that holds it runs. An engine admits each workflow once per batch however many items it
 * claimed (`oneAdmissionPerWorkflow`), and an admission only ever handles items made before it began, so it sees
 * the runs they were made for.
 */
export function admitItem(
  asker: RunKey,
  now: number,
  lease?: { readonly owner: string; readonly until: number },
): NewWorkItem {
  return {
    kind: 'admit',
    ...runKeyOf(asker),
    payload: {},
    run_at: now,
    ...(lease ? { lease_owner: lease.owner, lease_until: lease.until } : {}),
  };
}
