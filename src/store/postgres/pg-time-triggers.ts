import type { NewTimeTriggerState, TimeTriggerAdvance, TimeTriggerState } from '../port.js';
import { errorText, toTimeTrigger, type TimeTriggerRow } from '../records-time-triggers.js';
import type { Query } from './query.js';

// Time-trigger state on PostgreSQL (port/time-triggers.ts): the row's version is the compare-and-set, so no lock is
// held between reading a row and advancing it.

type Row = TimeTriggerRow & Record<string, unknown>;

export async function getTimeTrigger(q: Query, workflowId: string): Promise<TimeTriggerState | undefined> {
  const [row] = (await q<Row>('getTimeTrigger', [workflowId])).rows;
  return row && toTimeTrigger(row);
}

export async function getTimeTriggers(q: Query, workflowIds: readonly string[]): Promise<TimeTriggerState[]> {
  if (workflowIds.length === 0) return [];
  return (await q<Row>('getTimeTriggers', [workflowIds])).rows.map(toTimeTrigger);
}

export async function putTimeTrigger(q: Query, state: NewTimeTriggerState): Promise<TimeTriggerState> {
  const [row] = (
    await q<{ version: string }>('putTimeTrigger', [
      state.workflow_id,
      state.trigger_uuid,
      JSON.stringify(state.triggers),
      state.next_fire_time ?? null,
      errorText(state.last_error),
      state.update_time,
    ])
  ).rows;
  return { ...state, version: Number(row!.version) };
}

export async function deleteTimeTrigger(q: Query, workflowId: string): Promise<boolean> {
  return (await q('deleteTimeTrigger', [workflowId])).count > 0;
}

export async function advanceTimeTriggers(
  q: Query,
  updates: readonly TimeTriggerAdvance[],
): Promise<string[]> {
  if (updates.length === 0) return [];
  const { rows } = await q<{ workflow_id: string }>('advanceTimeTriggers', [
    updates.map((u) => u.workflow_id),
    updates.map((u) => u.expected_version),
    updates.map((u) => JSON.stringify(u.triggers)),
    updates.map((u) => u.next_fire_time ?? null),
    updates.map((u) => errorText(u.last_error)),
    updates.map((u) => u.update_time),
    updates.map((u) => u.expected_trigger_uuid),
  ]);
  return rows.map((r) => r.workflow_id);
}
