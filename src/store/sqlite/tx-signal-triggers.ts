import type { NewSignalTrigger, SignalTriggerKey, SignalTriggerRecord } from '../port.js';
import { toSignalTrigger, type SignalTriggerRow } from '../records-signals.js';
import type { TxContext } from './tx-context.js';

// Signal trigger subscriptions on SQLite: the database's write lock serialises matches, so locking a row is a read.

export function replaceSignalTriggers(
  ctx: TxContext,
  workflowId: string,
  triggers: readonly NewSignalTrigger[],
): void {
  const { stmts } = ctx;
  const kept = JSON.stringify(triggers.map((t) => t.trigger_uuid));
  stmts.dropSignalTriggers.run(workflowId, kept);
  stmts.dropSignalTriggerNames.run(workflowId, kept);
  for (const t of triggers) {
    const { trigger_uuid: uuid } = t;
    const added = stmts.insertSignalTrigger.run(
      workflowId,
      uuid,
      JSON.stringify(t.definition),
      JSON.stringify(t.checkpoints),
    );
    if (added.changes === 0) continue; // kept, with its checkpoints
    for (const name of Object.keys(t.checkpoints)) stmts.insertSignalTriggerName.run(name, workflowId, uuid);
  }
}

export function signalTriggersOf(ctx: TxContext, name: string): SignalTriggerKey[] {
  return ctx.stmts.signalTriggersOf.all(name) as SignalTriggerKey[];
}

export function lockSignalTrigger(ctx: TxContext, key: SignalTriggerKey): SignalTriggerRecord | undefined {
  const row = ctx.stmts.getSignalTrigger.get(key.workflow_id, key.trigger_uuid) as
    SignalTriggerRow | undefined;
  return row && toSignalTrigger(row);
}

export function advanceSignalTrigger(
  ctx: TxContext,
  key: SignalTriggerKey,
  checkpoints: Readonly<Record<string, number>>,
): void {
  ctx.stmts.advanceSignalTrigger.run(JSON.stringify(checkpoints), key.workflow_id, key.trigger_uuid);
}

export function listSignalTriggers(ctx: TxContext, workflowId: string): SignalTriggerRecord[] {
  return (ctx.stmts.listSignalTriggers.all(workflowId) as SignalTriggerRow[]).map(toSignalTrigger);
}
