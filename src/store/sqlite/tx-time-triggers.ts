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

/** The named values the statements bind that a new row and an advance share. */
function boundRow(s: NewTimeTriggerState | TimeTriggerAdvance) {
  return {
    workflow_id: s.workflow_id,
    triggers: JSON.stringify(s.triggers),
    next_fire_time: s.next_fire_time ?? null,
    last_error: errorText(s.last_error),
    update_time: s.update_time,
  };
}

export function putTimeTrigger(ctx: TxContext, state: NewTimeTriggerState): TimeTriggerState {
  const bound = { ...boundRow(state), trigger_uuid: state.trigger_uuid };
  const { version } = ctx.stmts.putTimeTrigger.get(bound) as { version: number };
  return { ...state, version };
}

export function deleteTimeTrigger(ctx: TxContext, workflowId: string): boolean {
  return ctx.stmts.deleteTimeTrigger.run(workflowId).changes > 0;
}

export function advanceTimeTriggers(ctx: TxContext, updates: readonly TimeTriggerAdvance[]): string[] {
  const written: string[] = [];
  for (const u of updates) {
    const { changes } = ctx.stmts.advanceTimeTrigger.run({
      ...boundRow(u),
      expected_version: u.expected_version,
      expected_trigger_uuid: u.expected_trigger_uuid,
    });
    if (changes > 0) written.push(u.workflow_id);
  }
  return written;
}
