import type { JsonValue } from '../model/json.js';
import type { ListingTx } from './port/listings.js';
import type { MetricsTx } from './port/metrics.js';
import type { OutboxTx } from './port/outbox.js';
import type { PermitTx } from './port/permits.js';
import type { QueueTx } from './port/queue.js';
import type { RelayTx } from './port/relay.js';
import type { RunTx } from './port/runs.js';
import type { TimeTriggerTx } from './port/time-triggers.js';
import type { SignalTriggerTx } from './port/signal-triggers.js';
import type { SignalTx } from './port/signals.js';
import type { SourceTx } from './port/sources.js';
import type { SignalWaitTx } from './port/signal-waits.js';
import type { TokenTx } from './port/tokens.js';
import type { WorkflowChangeTx } from './port/workflow-changes.js';
import type { WorkflowTx } from './port/workflows.js';

/**
 * The Store port: everything the engine persists, behind one interface that the SQLite and PostgreSQL adapters
 * implement and one conformance suite checks (test/store/). All writes happen inside `transact`, so a transition's
 * state, the work it creates, its timers and its outbox events commit together or not at all (ARCHITECTURE
 * invariant 2). Methods are async so the same engine code drives a synchronous driver (better-sqlite3) and a
 * networked one (pg).
 */
export interface Store {
  /**
   * Runs `fn` in one transaction. If `fn` throws, nothing it wrote is kept. A `ConflictError` thrown by an
   * optimistic update (a lost race) may be retried by the caller with fresh state. A networked store may run `fn`
   * more than once (a serialization failure, a connection lost before commit): only the run that commits counts, so
   * `fn` keeps no effects outside the tx from an earlier run. Inside `fn`, use the tx it is given: calling
   * `transact` again from inside it waits for itself on the embedded store (one connection).
   */
  transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Wakes `listener` soon after any transaction (from any process sharing the store, where supported) adds work. */
  onWork(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * What one transaction can read and write, by area; each area's contract is in its own file under `port/`. A new
 * store capability is a method in one of them (or a new area here) plus conformance cases, then each adapter.
 */
export interface StoreTx
  extends
    WorkflowTx,
    RunTx,
    PermitTx,
    QueueTx,
    OutboxTx,
    ListingTx,
    WorkflowChangeTx,
    RelayTx,
    MetricsTx,
    TokenTx,
    TimeTriggerTx,
    SignalTx,
    SignalTriggerTx,
    SourceTx,
    SignalWaitTx {}

export * from './port/workflows.js';
export * from './port/runs.js';
export * from './port/permits.js';
export * from './port/queue.js';
export * from './port/outbox.js';
export * from './port/tokens.js';
export * from './port/listings.js';
export * from './port/workflow-changes.js';
export * from './port/relay.js';
export * from './port/metrics.js';
export * from './port/time-triggers.js';
export * from './port/signals.js';
export * from './port/signal-triggers.js';
export * from './port/sources.js';
export * from './port/signal-waits.js';
export type { JsonValue };
