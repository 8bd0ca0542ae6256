import type { JsonObject } from '../model/json.js';
import type { StepType } from '../model/enums.js';
import type { RunKey, WorkItem } from '../store/port.js';
import type { StepResult, StepRuntimes } from './step-runtime.js';
import type { Clock } from './clock.js';
import { runKeyString } from './run-record.js';

export interface WorkerPoolDeps {
  readonly clock: Clock;
  readonly runtimes: StepRuntimes;
  /**
   * Reports how an attempt went (a result) or that it wants to be polled again (`continue`); resolves once that is
   * committed (or given up on).
   */
  readonly report: (item: WorkItem, result: StepResult) => Promise<void>;
  /** Called when a slot frees up, so more work can be claimed. */
  readonly onIdle: () => void;
}

export interface WorkerPoolOptions {
  readonly size: number;
  readonly timeScale: number;
  readonly logDir?: string;
}

/**
 * Runs step attempts in this process, up to `size` at once. Slots are reserved when the engine leases a new step
 * to itself (the local fast path) and taken when the attempt starts; an attempt can be aborted (stop, kill,
 * timeout, or a lost lease) through its AbortController.
 */
export class WorkerPool {
  private busy = 0;
  private reservedSlots = 0;
  private readonly running = new Map<string, { item: WorkItem; controller: AbortController }>();
  private readonly reporting = new Map<string, WorkItem>();
  /** Items whose lease this process lost while running them: their results belong to whoever holds them now. */
  private readonly lost = new Set<number>();
  /**
   * After `close`: the attempts it aborted, and the items that came after it (never started). Their results are not
   * reported; the engine hands the items back to the store, still leased to this process until it does.
   */
  private readonly handedBack = new Map<number, WorkItem>();
  private closed = false;
  /** Running attempts and results on their way to the store, for `idle`. */
  private readonly settling = new Set<Promise<void>>();

  constructor(
    private readonly deps: WorkerPoolDeps,
    private readonly options: WorkerPoolOptions,
  ) {}

  get free(): number {
    return this.options.size - this.busy - this.reservedSlots;
  }

  get active(): number {
    return this.busy;
  }

  reserve(): boolean {
    if (this.free <= 0) return false;
    this.reservedSlots += 1;
    return true;
  }

  release(count: number): void {
    this.reservedSlots = Math.max(0, this.reservedSlots - count);
  }

  /**
   * Items this process holds, for lease extension: those running, and those whose result is still on its way into
   * the store (a result waiting behind a large batch or a reconnecting database must not lose its lease, or another
   * process would count a finished attempt as lost).
   */
  heldItems(): WorkItem[] {
    return [
      ...[...this.running.values()].map((r) => r.item),
      ...this.reporting.values(),
      ...[...this.handedBack.values()].filter((item) => !this.isRunning(item)),
    ];
  }

  /** Runs an item; `reserved` says whether a slot was reserved for it at commit time. */
  run(item: WorkItem, reserved: boolean): void {
    if (reserved) this.release(1);
    if (this.closed) {
      this.handedBack.set(item.id, item);
      return;
    }
    this.busy += 1;
    const id = attemptId(item, item.step_id!, item.attempt!);
    const controller = new AbortController();
    this.running.set(id, { item, controller });
    const settled = this.execute(item, controller.signal).then(async (result) => {
      this.running.delete(id);
      this.busy -= 1;
      // A success that comes in despite a stop's abort is kept: the work is done.
      if (result.state === 'done') this.handedBack.delete(item.id);
      if (this.lost.delete(item.id) || this.handedBack.has(item.id)) {
        // Aborted because the lease is gone: the item was taken over (the attempt counts as lost there) or deleted
        // by a stop decided elsewhere. Reporting "stopped" would stop a step nobody stopped. Or aborted because this
        // process stops: whatever the attempt says now (stopped, or a failure caused by the abort) is not the
        // step's outcome; it is handed back to run again elsewhere.
        this.deps.onIdle();
        return;
      }
      this.reporting.set(id, item);
      this.deps.onIdle();
      await this.deps.report(item, result).finally(() => this.reporting.delete(id));
    });
    const tracked = settled.catch((error: unknown) =>
      process.emitWarning(`baton engine: reporting a step result failed: ${String(error)}`),
    );
    this.settling.add(tracked);
    void tracked.finally(() => this.settling.delete(tracked));
  }

  abort(key: RunKey, stepId: string, attempt: number): void {
    this.running.get(attemptId(key, stepId, attempt))?.controller.abort();
  }

  /** Aborts the running attempts of items whose lease this process no longer holds; their results are dropped. */
  abortLost(ids: ReadonlySet<number>): void {
    for (const { item, controller } of this.running.values()) {
      if (!ids.has(item.id)) continue;
      this.lost.add(item.id);
      controller.abort();
    }
  }

  /**
   * For a stop: aborts every running attempt and starts no more. Their results are not reported (except a success
   * that comes in anyway): the attempts did not fail, they are handed back (`handedBackItems`) to run again in
   * another process.
   */
  close(): void {
    this.closed = true;
    for (const { item, controller } of this.running.values()) {
      this.handedBack.set(item.id, item);
      controller.abort();
    }
  }

  /** The items `close` took back from running attempts or kept from starting. */
  handedBackItems(): WorkItem[] {
    return [...this.handedBack.values()];
  }

  /** True while an attempt runs or a result is being reported. */
  get working(): boolean {
    return this.settling.size > 0;
  }

  /** Resolves once no attempt runs and every result has been reported (committed or given up on). */
  async idle(): Promise<void> {
    while (this.settling.size > 0) await Promise.all(this.settling);
  }

  private isRunning(item: WorkItem): boolean {
    return this.running.has(attemptId(item, item.step_id!, item.attempt!));
  }

  private async execute(item: WorkItem, signal: AbortSignal): Promise<StepResult> {
    const payload = item.payload as { step_type: StepType; params: JsonObject; start_time: number };
    const runtime = this.deps.runtimes[payload.step_type];
    if (!runtime) return { state: 'fatal_error', message: `step type ${payload.step_type} is not available` };
    const logDir = this.options.logDir;
    try {
      return await runtime.execute({
        workflow_id: item.workflow_id,
        instance_id: item.instance_id,
        run_id: item.run_id,
        step_id: item.step_id!,
        attempt: item.attempt!,
        type: payload.step_type,
        params: payload.params,
        start_time: payload.start_time,
        ...(logDir === undefined
          ? {}
          : {
              log_dir: `${logDir}/${item.workflow_id}/${item.instance_id}/${item.run_id}/${item.step_id}/${item.attempt}`,
            }),
        signal,
        now: () => this.deps.clock.now(),
        time_scale: this.options.timeScale,
      });
    } catch (error) {
      // An exception that escapes a runtime is the platform's failure, not the user's (STYLE "Errors").
      return {
        state: 'platform_error',
        message: `the ${payload.step_type} runtime failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
}

function attemptId(key: RunKey, stepId: string, attempt: number): string {
  return `${runKeyString(key)}/${stepId}/${attempt}`;
}
