import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Claim } from './claimer.js';
import type { StepType } from '../model/enums.js';
import type { InstanceKey, Store } from '../store/port.js';
import type { Clock } from './clock.js';
import type { Evaluator } from './evaluator.js';
import type { StepRuntimes } from './step-runtime.js';
import type { TriggerHooks } from './trigger-hooks.js';

/** What an engine is built from (`createEngine(deps, options)`). */
export interface EngineDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly runtimes: StepRuntimes;
  readonly evaluator: Evaluator;
  /** Step types this process runs; others fail as "not available". Defaults to every runtime given. */
  readonly available?: (type: StepType) => boolean;
  /** Trigger subscriptions and scheduler work (src/triggers); absent: no triggers, no `schedule` claim. */
  readonly triggers?: TriggerHooks;
}

export interface EngineOptions {
  /** Names this process in leases; unique per process start. */
  readonly owner?: string;
  /** Step attempts run at once in this process. */
  readonly workers?: number;
  /** How long a claimed item stays leased without a heartbeat. */
  readonly leaseMs?: number;
  readonly timeScale?: number;
  readonly maxBatch?: number;
  /** Iterations a foreach may have at most: Maestro's 25,000 unless raised (`--max-iterations`). */
  readonly loopIterations?: number;
  readonly logDir?: string;
  /**
   * What this process claims from the store: `decide` (timers, admissions of queued runs) and/or `run` (step
   * attempts, on its workers) and/or `schedule` (due time triggers and signals to match: needs `deps.triggers`);
   * `CLAIM_OF_KIND` says which claim takes each kind of work item. Results of the attempts a process runs are
   * applied by that process either way. Default: `decide` and `run`, and `schedule` when `deps.triggers` is given.
   */
  readonly claims?: readonly Claim[];
  /**
   * How often an idle process looks in the store for work that others added, in case a wake-up was lost (other
   * processes also wake it through the store's `onWork`). 0 turns polling off.
   */
  readonly pollMs?: number;
  /**
   * Claims only the work of these instances and of the ones this engine starts or restarts itself: their step
   * attempts and timers, and admissions of their workflows (the port's `ClaimScope`). Runs of other instances that
   * it admits get no local worker either. `baton run` uses it to run its own run and nobody else's. Absent: all work.
   */
  readonly scope?: readonly InstanceKey[];
}

/** An engine's options with their defaults filled in. */
export type ResolvedEngineOptions = Required<Omit<EngineOptions, 'logDir' | 'scope' | 'loopIterations'>> &
  Pick<EngineOptions, 'logDir'>;

/** The defaults: 64 workers, 30 s leases, batches of 512, and `schedule` claimed when the engine has triggers. */
export function resolveEngineOptions(options: EngineOptions, hasTriggers: boolean): ResolvedEngineOptions {
  return {
    owner: options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    workers: options.workers ?? 64,
    leaseMs: options.leaseMs ?? 30_000,
    timeScale: options.timeScale ?? 1,
    maxBatch: options.maxBatch ?? 512,
    claims: options.claims ?? (hasTriggers ? ['decide', 'run', 'schedule'] : ['decide', 'run']),
    pollMs: options.pollMs ?? 1000,
    ...(options.logDir === undefined ? {} : { logDir: options.logDir }),
  };
}
