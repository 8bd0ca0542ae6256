import type { TimeTrigger } from '../model/trigger.js';
import type { NewWorkItem, StoreTx, TriggerWatermark } from '../store/port.js';
import { nextDue, triggerKey } from './fire-times.js';
import { timeTriggerUuid } from './ids.js';

/** The key of a workflow's one `trigger` work item. */
export const triggerDedupKey = (workflowId: string): string => `time-trigger:${workflowId}`;

/** The durable timer of a workflow's time triggers: due at its next fire. */
export function triggerItem(workflowId: string, runAt: number): NewWorkItem {
  return {
    kind: 'trigger',
    workflow_id: workflowId,
    instance_id: 0,
    run_id: 0,
    payload: {},
    run_at: runAt,
    dedup_key: triggerDedupKey(workflowId),
  };
}

/**
 * Brings a workflow's time-trigger state in line with what is active, in the transaction of the change that moved it
 * (a version created, activated, deactivated, a deletion started, a properties change): the active version's time
 * triggers fire unless `time_trigger_disabled`; none fire for an inactive, disabled or deleted workflow. Triggers
 * that did not change keep their watermarks (no fire is lost or repeated across a new version); a new or changed
 * trigger fires only times after `now`. Call it after the change, with the same tx.
 */
export async function syncTimeTriggers(tx: StoreTx, workflowId: string, now: number): Promise<void> {
  const wanted = await activeTimeTriggers(tx, workflowId);
  const current = await tx.getTimeTrigger(workflowId);
  if (wanted.length === 0) {
    if (!current) return;
    await tx.deleteTimeTrigger(workflowId);
    // A leased item is left to its holder, which finds no state and lets it go.
    await tx.deleteRunItems({ workflow_id: workflowId, instance_id: 0, run_id: 0 }, ['trigger']);
    return;
  }
  const uuid = timeTriggerUuid(wanted);
  if (current?.trigger_uuid === uuid) return;
  const kept = new Map(current?.triggers.map((t) => [triggerKey(t.trigger), t.watermark]));
  const triggers: TriggerWatermark[] = wanted.map((trigger) => ({
    trigger,
    watermark: kept.get(triggerKey(trigger)) ?? now,
  }));
  const next = nextDue(workflowId, triggers);
  await tx.putTimeTrigger({
    workflow_id: workflowId,
    trigger_uuid: uuid,
    triggers,
    ...(next === undefined ? {} : { next_fire_time: next }),
    update_time: now,
  });
  if (next !== undefined) await tx.enqueue([triggerItem(workflowId, next)]);
}

async function activeTimeTriggers(tx: StoreTx, workflowId: string): Promise<readonly TimeTrigger[]> {
  const workflow = await tx.getWorkflow(workflowId);
  if (!workflow || workflow.active_version_id === 0 || workflow.properties.time_trigger_disabled) return [];
  const version = await tx.getWorkflowVersion(workflowId, workflow.active_version_id);
  return version?.definition.workflow.time_triggers ?? [];
}
