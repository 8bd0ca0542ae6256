import type { JsonObject } from '../model/json.js';
import type { SignalTrigger } from '../model/trigger.js';
import type { NewSignalTrigger, StoreTx } from '../store/port.js';
import { sortedJson, stableUuid } from '../signals/stable-uuid.js';

/** A signal trigger's uuid: a function of its definition, so the same trigger in a new version keeps its place. */
export function signalTriggerUuid(trigger: SignalTrigger): string {
  return stableUuid('signal-trigger', sortedJson(trigger));
}

/** The signal triggers a workflow has now: its active version's, unless none is active or they are disabled. */
async function activeSignalTriggers(tx: StoreTx, workflowId: string): Promise<readonly SignalTrigger[]> {
  const workflow = await tx.getWorkflow(workflowId);
  if (!workflow || workflow.active_version_id === 0 || workflow.properties.signal_trigger_disabled) return [];
  const version = await tx.getWorkflowVersion(workflowId, workflow.active_version_id);
  return version?.definition.workflow.signal_triggers ?? [];
}

/**
 * Brings a workflow's signal trigger subscriptions in line with what it has now, in the transaction that changed
 * it (`TriggerHooks.workflowChanged`): a trigger that stays keeps its checkpoints; a new one starts at each signal's
 * latest seq id, read under the name's lock so that a signal announced meanwhile is either before the checkpoint
 * or matched once this commits (only signals announced after the subscription count, REFERENCE §7.2); the rest go.
 * Identical triggers in one workflow are one subscription.
 */
export async function syncSignalTriggers(tx: StoreTx, workflowId: string): Promise<void> {
  const triggers = await activeSignalTriggers(tx, workflowId);
  const names = triggers.flatMap((t) => Object.keys(t.definitions));
  const latest = await tx.lockSignalNames(names);
  const rows = new Map<string, NewSignalTrigger>();
  for (const trigger of triggers) {
    const uuid = signalTriggerUuid(trigger);
    const checkpoints = Object.fromEntries(Object.keys(trigger.definitions).map((n) => [n, latest[n] ?? 0]));
    rows.set(uuid, { trigger_uuid: uuid, definition: trigger as unknown as JsonObject, checkpoints });
  }
  await tx.replaceSignalTriggers(workflowId, [...rows.values()]);
}
