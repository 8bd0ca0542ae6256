import type { NewTimeTriggerState, TimeTriggerAdvance, TimeTriggerState } from '../port.js';
import { errorText, toTimeTrigger, type TimeTriggerRow } from '../records-time-triggers.js';
import type { TxContext } from './tx-context.js';

export function getTimeTrigger(ctx: TxContext, workflowId: string): TimeTriggerState | undefined {
  const row = ctx.stmts.getTimeTrigger.get(workflowId) as TimeTriggerRow | undefined;
  return row && toTimeTrigger(row);
}

export function getTimeTriggers(ctx: TxContext, workflowIds: readonly string[]): TimeTriggerState[] {
  if (workflowIds.length === 0) return [];
  const rows = ctx.stmts.getTimeTriggers.all(JSON.stringify(workflowIds)) as TimeTriggerRow[];
  return rows.map(toTimeTrigger);
}

export function putTimeTrigger(ctx: TxContext, state: NewTimeTriggerState): TimeTriggerState {
  const { version } = ctx.stmts.putTimeTrigger.get({
    workflow_id: state.workflow_id,
    trigger_uuid: state.trigger_uuid,
    triggers: JSON.stringify(state.triggers),
    next_fire_time: state.next_fire_time ?? null,
    last_error: errorText(state.last_error),
    update_time: state.update_time,
  }) as { version: number };
  return { ...state, version };
}

export function deleteTimeTrigger(ctx: TxContext, workflowId: string): boolean {
  return ctx.stmts.deleteTimeTrigger.run(workflowId).changes > 0;
}

export function advanceTimeTriggers(ctx: TxContext, updates: readonly TimeTriggerAdvance[]): string[] {
  const written: string[] = [];
  for (const u of updates) {
    const { changes } = ctx.stmts.advanceTimeTrigger.run({
      workflow_id: u.workflow_id,
      expected_version: u.expected_version,
      triggers: JSON.stringify(u.triggers),
      next_fire_time: u.next_fire_time ?? null,
      last_error: errorText(u.last_error),
      update_time: u.update_time,
    });
    if (changes > 0) written.push(u.workflow_id);
  }
  return written;
}
