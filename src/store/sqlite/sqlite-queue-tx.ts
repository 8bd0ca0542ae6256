import type { JsonObject } from '../../model/json.js';
import type {
  BatchQueueWrites,
  ClaimScope,
  NewWorkItem,
  QueueTx,
  RunKey,
  WorkItem,
  WorkItemKind,
} from '../port.js';
import { SqliteSignalWaitTx } from './sqlite-signal-wait-tx.js';
import * as q from './tx-queue.js';

/** The work queue on SQLite (port/queue.ts); extends the step waits' part, `SqliteTx` extends it. */
export abstract class SqliteQueueTx extends SqliteSignalWaitTx implements QueueTx {
  async enqueue(items: readonly NewWorkItem[]): Promise<WorkItem[]> {
    return q.enqueue(this.c(), items);
  }
  async claim(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    kinds?: readonly WorkItemKind[],
    scope?: ClaimScope,
  ): Promise<WorkItem[]> {
    return q.claim(this.c(), owner, now, leaseMs, limit, kinds, scope);
  }
  async extendLeases(owner: string, ids: readonly number[], leaseUntil: number): Promise<number[]> {
    return q.extendLeases(this.c(), owner, ids, leaseUntil);
  }
  async releaseLeases(owner: string): Promise<number> {
    return q.releaseLeases(this.c(), owner);
  }
  async ack(ids: readonly number[], owner?: string): Promise<void> {
    q.ack(this.c(), ids, owner);
  }
  async reschedule(id: number, runAt: number, payload?: JsonObject, owner?: string): Promise<void> {
    q.reschedule(this.c(), id, runAt, payload, owner);
  }
  async rescheduleItems(
    items: readonly { readonly id: number; readonly run_at: number }[],
    owner?: string,
  ): Promise<void> {
    const ctx = this.c();
    for (const item of items) q.reschedule(ctx, item.id, item.run_at, undefined, owner);
  }
  async deleteStepItems(key: RunKey, stepId: string, attempt: number): Promise<number> {
    return q.deleteStepItems(this.c(), key, stepId, attempt);
  }
  async deleteRunItems(key: RunKey, kinds?: readonly WorkItemKind[]): Promise<number> {
    return q.deleteRunItems(this.c(), key, kinds);
  }
  async nextRunAt(now: number, scope?: ClaimScope): Promise<number | undefined> {
    return q.nextRunAt(this.c(), now, scope);
  }

  async writeBatch(writes: BatchQueueWrites): Promise<WorkItem[]> {
    const ctx = this.c();
    q.ack(ctx, writes.ack, writes.owner);
    for (const key of writes.ended ?? []) q.deleteRunItems(ctx, key);
    q.appendOutbox(ctx, writes.outbox);
    return q.enqueue(ctx, writes.items);
  }
}
