import type { JsonObject } from '../../model/json.js';
import type { Clock } from '../../sel/index.js';
import type { ClaimScope, NewWorkItem, QueueTx, RunKey, WorkItem, WorkItemKind } from '../port.js';
import * as w from './pg-queue.js';
import { PgSignalWaitTx } from './pg-signal-wait-tx.js';

/** The work queue on PostgreSQL (port/queue.ts, but `writeBatch`); extends the step waits' part, `PgTx` extends it. */
export abstract class PgQueueTx extends PgSignalWaitTx implements Omit<QueueTx, 'writeBatch'> {
  protected abstract readonly clock: Clock;
  /** Set when the transaction added claimable work, so the commit wakes `onWork` listeners. */
  abstract workAdded: boolean;

  async enqueue(items: readonly NewWorkItem[]): Promise<WorkItem[]> {
    const added = await w.enqueue(this.query, items, this.clock.now());
    if (added.some((item) => item.lease_owner === undefined)) this.workAdded = true;
    return added;
  }

  async claim(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    kinds?: readonly WorkItemKind[],
    scope?: ClaimScope,
  ): Promise<WorkItem[]> {
    return w.claim(this.query, owner, now, leaseMs, limit, kinds, scope);
  }

  async extendLeases(owner: string, ids: readonly number[], leaseUntil: number): Promise<number[]> {
    return w.extendLeases(this.query, owner, ids, leaseUntil);
  }

  async releaseLeases(owner: string): Promise<number> {
    const released = (await this.query('releaseLeases', [owner])).count;
    if (released > 0) this.workAdded = true;
    return released;
  }

  async ack(ids: readonly number[], owner?: string): Promise<void> {
    if (ids.length === 0) return;
    if (owner === undefined) await this.query('ack', [[...ids]]);
    else await this.query('ackOwned', [[...ids], owner]);
  }

  async reschedule(id: number, runAt: number, payload?: JsonObject, owner?: string): Promise<void> {
    const text = payload === undefined ? null : JSON.stringify(payload);
    if ((await this.query('reschedule', [runAt, text, id, owner ?? null])).count > 0) this.workAdded = true;
  }

  async rescheduleItems(
    items: readonly { readonly id: number; readonly run_at: number }[],
    owner?: string,
  ): Promise<void> {
    if (items.length === 0) return;
    const { count } = await this.query('rescheduleItems', [
      items.map((i) => i.id),
      items.map((i) => i.run_at),
      owner ?? null,
    ]);
    if (count > 0) this.workAdded = true;
  }

  async deleteStepItems(key: RunKey, stepId: string, attempt: number): Promise<number> {
    return w.deleteStepItems(this.query, key, stepId, attempt);
  }

  async deleteRunItems(key: RunKey, kinds?: readonly WorkItemKind[]): Promise<number> {
    return w.deleteRunItems(this.query, key, kinds);
  }

  async nextRunAt(now: number, scope?: ClaimScope): Promise<number | undefined> {
    return w.nextRunAt(this.query, now, scope);
  }
}
