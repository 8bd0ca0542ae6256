import type { ClaimScope, Store, WorkItem, WorkItemKind } from '../store/port.js';
import type { Clock } from './clock.js';
import type { CommitJob } from './committer.js';
import type { EngineEvent } from './events.js';
import type { StepResult } from './step-runtime.js';
import type { WorkerPool } from './worker-pool.js';

/**
 * What a process may claim: `decide` (engine work: timers, admissions), `run` (step attempts, by workers) and
 * `schedule` (trigger work: due time triggers and announced signals to match, by the scheduler role).
 */
export type Claim = 'decide' | 'run' | 'schedule';

/** The kinds of work item that are not step attempts: each is claimed by a role and handed to its handler. */
export type ControlKind = Exclude<WorkItemKind, 'step'>;

/**
 * Which claim takes each kind of work item. A record over the closed union of kinds: a kind added to the port does
 * not compile until it is given a claim here and a handler in `ControlHandlers`.
 */
export const CLAIM_OF_KIND: { readonly [K in WorkItemKind]: Claim } = {
  step: 'run',
  timer: 'decide',
  admit: 'decide',
  trigger: 'schedule',
  signal: 'schedule',
};

/**
 * A handler per control kind, called with each claimed item of that kind; it resolves once the item is handled (or
 * its handling failed and was dealt with), never rejects.
 */
export type ControlHandlers = {
  readonly [K in ControlKind]: (item: WorkItem & { readonly kind: K }) => Promise<void>;
};

export interface ClaimerDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly pool: WorkerPool;
  /** Hands a job to the committer. */
  readonly submit: (job: CommitJob) => Promise<void>;
  /** Where claimed control items go, by kind. */
  readonly control: ControlHandlers;
}

export interface ClaimerOptions {
  readonly owner: string;
  readonly leaseMs: number;
  /**
   * The claims this process makes for control items (see `CLAIM_OF_KIND`); step attempts are claimed while the
   * pool has room, which it has only in a process that runs them.
   */
  readonly claims: readonly Claim[];
  /** Looks again after this long even when nothing is due (work other processes add); 0 = never. */
  readonly pollMs: number;
  /** Claims only the work in this scope, as it stands at each claim (see the port's `ClaimScope`); absent: all. */
  readonly scope?: () => ClaimScope;
}

/** Timers, admissions and triggers claimed per round; more are claimed in the next round at once. */
const CONTROL_BATCH = 256;
/**
 * Control items a process holds unhandled at most: past it, it claims more only as they are handled. A burst (a
 * midnight of time triggers) is then taken as fast as it can be handled, not all at once with leases that run
 * out in the queue (and another claim handling the items twice).
 */
const CONTROL_HELD_MAX = 8 * CONTROL_BATCH;

/**
 * The part of an engine that looks for work in the store: due timers and admissions, step attempts while its
 * workers have room, and attempts whose lease expired (a dead process's work, which becomes a platform failure).
 * It sleeps until the next item is due or the next lease runs out, and keeps the leases of running attempts alive.
 */
export function createClaimer(deps: ClaimerDeps, options: ClaimerOptions) {
  const { store, clock, pool, submit } = deps;
  const controlKinds = (Object.keys(CLAIM_OF_KIND) as WorkItemKind[]).filter(
    (kind): kind is ControlKind => kind !== 'step' && options.claims.includes(CLAIM_OF_KIND[kind]),
  );
  let running = false;
  /** Lease extension goes on after `stop` (attempts are still ending), until `endHeartbeat`. */
  let beating = false;
  let pumping = false;
  let inFlight: Promise<void> | undefined;
  let pumpAgain = false;
  /** The last claim filled every free worker: there may be more waiting, so look again when one frees up. */
  let backlog = false;
  let cancelWake: (() => void) | undefined;
  let wakeAt: number | undefined;
  let stopHeartbeat: (() => void) | undefined;
  /** Control items handed to their handlers and not handled yet: their leases are kept alive. */
  const controlHeld = new Map<number, WorkItem>();
  /** The last control claim was full while `controlHeld` was at its limit: claim again as items are handled. */
  let controlBacklog = false;

  /**
   * Hands a control item this process holds (claimed, or leased to itself on the local fast path) to its handler,
   * keeping its lease alive until it is handled. A handler that throws or rejects is logged; the item's lease then
   * runs out and it is handled again.
   */
  function takeControl(item: WorkItem): void {
    controlHeld.set(item.id, item);
    void Promise.resolve()
      .then(() => dispatchControl(deps.control, item))
      .catch((error: unknown) =>
        process.emitWarning(
          `baton engine: handling ${item.kind} item ${item.id} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        // the same item claimed again meanwhile (its lease ran out) is that claim's to let go
        if (controlHeld.get(item.id) === item) controlHeld.delete(item.id);
        if (controlBacklog && controlHeld.size <= CONTROL_HELD_MAX / 2) {
          controlBacklog = false;
          void pump();
        }
      });
  }

  async function pump(): Promise<void> {
    if (!running) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    inFlight = claimRounds();
    await inFlight;
  }

  async function claimRounds(): Promise<void> {
    pumping = true;
    try {
      do {
        pumpAgain = false;
        const now = clock.now();
        const free = pool.free;
        const scope = options.scope?.();
        // Control items are claimed only while this process holds fewer than CONTROL_HELD_MAX unhandled.
        const controlRoom = Math.min(CONTROL_BATCH, CONTROL_HELD_MAX - controlHeld.size);
        if (controlKinds.length > 0 && controlRoom <= 0) controlBacklog = true;
        const claimed = await store.transact(async (tx) => ({
          control:
            controlKinds.length > 0 && controlRoom > 0
              ? await tx.claim(options.owner, now, options.leaseMs, controlRoom, controlKinds, scope)
              : [],
          steps: free > 0 ? await tx.claim(options.owner, now, options.leaseMs, free, ['step'], scope) : [],
          next: await tx.nextRunAt(now, scope),
        }));
        backlog = free <= 0 || claimed.steps.length === free;
        for (const item of claimed.control) takeControl(item);
        for (const item of claimed.steps) {
          if (item.expired_lease_owner === undefined) pool.run(item, false);
          else void submit(leaseExpired(item, item.expired_lease_owner));
        }
        if (claimed.next !== undefined) scheduleWake(claimed.next);
        if (options.pollMs > 0) scheduleWake(now + options.pollMs);
        if (controlRoom > 0 && claimed.control.length === controlRoom) {
          if (controlHeld.size < CONTROL_HELD_MAX) pumpAgain = true;
          else controlBacklog = true;
        }
      } while (pumpAgain && running);
    } catch (error) {
      // The store is unreachable or refused the claim: say so and look again shortly; nothing is lost.
      process.emitWarning(
        `baton engine: claiming work failed, retrying in 1 s: ${error instanceof Error ? error.message : String(error)}`,
      );
      scheduleWake(clock.now() + 1000);
    } finally {
      pumping = false;
    }
  }

  function scheduleWake(at: number): void {
    if (!running || (wakeAt !== undefined && wakeAt <= at)) return;
    cancelWake?.();
    wakeAt = at;
    cancelWake = clock.setTimer(Math.max(0, at - clock.now()), () => {
      wakeAt = undefined;
      cancelWake = undefined;
      void pump();
    });
  }

  /**
   * Keeps the leases of running attempts and of control items being handled alive; an attempt whose item is gone
   * was stopped elsewhere.
   */
  function heartbeat(): void {
    stopHeartbeat = clock.setTimer(Math.max(10, Math.floor(options.leaseMs / 3)), () => {
      const held = [...pool.heldItems(), ...controlHeld.values()];
      if (held.length === 0 || !beating) return heartbeat();
      const ids = held.map((i) => i.id);
      void store
        .transact((tx) => tx.extendLeases(options.owner, ids, clock.now() + options.leaseMs))
        .then((kept) => {
          const keptSet = new Set(kept);
          pool.abortLost(new Set(ids.filter((id) => !keptSet.has(id))));
        })
        .catch((error: unknown) =>
          process.emitWarning(`baton engine: lease extension failed: ${String(error)}`),
        )
        .finally(() => {
          if (beating) heartbeat();
        });
    });
  }

  return {
    get running(): boolean {
      return running;
    },
    get pumping(): boolean {
      return pumping;
    },
    start(): void {
      running = true;
      if (!beating) {
        beating = true;
        heartbeat();
      }
      void pump();
    },
    /** Claims nothing more; the leases of what this process still holds are kept alive until `endHeartbeat`. */
    stop(): void {
      running = false;
      cancelWake?.();
    },
    endHeartbeat(): void {
      beating = false;
      stopHeartbeat?.();
    },
    /** Resolves once no claim is in flight (one in flight may still hand items to the pool and the committer). */
    async idle(): Promise<void> {
      while (pumping && inFlight) await inFlight;
    },
    pump,
    scheduleWake,
    /** A control item leased to this process without a claim (the local fast path): handled as if claimed. */
    take: takeControl,
    /** A worker freed up: claim more if the last claim suggested more is waiting. */
    onIdle(): void {
      if (backlog) void pump();
    },
  };
}

/** Hands a claimed control item to the handler of its kind. */
export function dispatchControl(handlers: ControlHandlers, item: WorkItem): Promise<void> {
  const kind = item.kind;
  switch (kind) {
    case 'timer':
      return handlers.timer(item as WorkItem & { kind: typeof kind });
    case 'admit':
      return handlers.admit(item as WorkItem & { kind: typeof kind });
    case 'trigger':
      return handlers.trigger(item as WorkItem & { kind: typeof kind });
    case 'signal':
      return handlers.signal(item as WorkItem & { kind: typeof kind });
    case 'step':
      throw new Error(
        `work item ${item.id} is a step attempt, which goes to the worker pool, not a control handler`,
      );
    default:
      return unknownKind(kind);
  }
}

function unknownKind(kind: never): never {
  throw new Error(`work item kind '${String(kind)}' has no handler`);
}

/** The committer job for a claimed admission item. */
export function admitJob(item: WorkItem): CommitJob {
  return { type: 'admit', workflowId: item.workflow_id, ack: [item.id] };
}

/**
 * The committer job for what a worker's attempt answered: its result delivered to the run (and the item acked), or,
 * when the runtime asks to be polled again (`continue`), the item put back for then.
 */
export function stepResultJob(item: WorkItem, result: StepResult, worker: string, now: number): CommitJob {
  if (result.state === 'continue')
    return { type: 'reschedule', item: item.id, runAt: now + Math.max(0, result.nextPollMs ?? 1000) };
  return {
    type: 'event',
    key: { workflow_id: item.workflow_id, instance_id: item.instance_id, run_id: item.run_id },
    event: { type: 'step_result', step_id: item.step_id!, attempt: item.attempt!, result, worker },
    ack: [item.id],
  };
}

/** The committer job for a claimed timer item: the event it carries, delivered to its run. */
export function timerJob(item: WorkItem): CommitJob {
  return { type: 'event', key: item, event: (item.payload as { event: EngineEvent }).event, ack: [item.id] };
}

function leaseExpired(item: WorkItem, owner: string): CommitJob {
  return {
    type: 'event',
    key: item,
    event: { type: 'lease_expired', step_id: item.step_id!, attempt: item.attempt!, owner },
    ack: [item.id],
  };
}
