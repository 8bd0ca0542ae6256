import type { TimeTrigger } from '../model/trigger.js';
import type { JsonValue } from '../model/json.js';

/** Who started an instance (REFERENCE Appendix B). MANUAL/TIME/SIGNAL are user-restartable; the rest are inline. */
export const InitiatorType = {
  MANUAL: 'MANUAL',
  TIME: 'TIME',
  SIGNAL: 'SIGNAL',
  SUBWORKFLOW: 'SUBWORKFLOW',
  FOREACH: 'FOREACH',
  WHILE: 'WHILE',
  TEMPLATE: 'TEMPLATE',
} as const;
export type InitiatorType = (typeof InitiatorType)[keyof typeof InitiatorType];

export interface Initiator {
  readonly type: InitiatorType;
  /** MANUAL: who started it. */
  readonly user?: string;
  /** TIME: the trigger's time zone and scheduled time (epoch ms). */
  readonly timezone?: string;
  readonly trigger_time?: number;
  readonly trigger_uuid?: string;
}

export interface InstanceFieldsInput {
  readonly workflowId: string;
  readonly instanceId?: number;
  readonly runId?: number;
  readonly owner?: string;
  readonly initiator?: Initiator;
  readonly runPolicy?: string;
  readonly timeTriggers?: readonly TimeTrigger[];
  readonly step?: {
    readonly id: string;
    readonly instanceId?: number;
    readonly uuid?: string;
    readonly attemptId?: number;
    readonly typeInfo?: JsonValue;
    readonly errorRetries?: number;
  };
}

/** The fields `params.getFromInstance(key)` answers, from what the engine knows of the instance and step. */
export function instanceFields(input: InstanceFieldsInput): Readonly<Record<string, JsonValue>> {
  const out: Record<string, JsonValue> = { workflow_id: input.workflowId };
  const set = (key: string, v: JsonValue | undefined): void => {
    if (v !== undefined) out[key] = v;
  };
  set('workflow_instance_id', input.instanceId);
  set('workflow_run_id', input.runId);
  set('owner', input.owner);
  set('RUN_POLICY', input.runPolicy);
  set('INITIATOR_TYPE', input.initiator?.type);
  set('INITIATOR_TIMEZONE', input.initiator?.timezone);
  if (input.initiator?.type === 'MANUAL') set('INITIATOR_RUNNER_NAME', input.initiator.user);
  const first = input.timeTriggers?.[0];
  if (first !== undefined) set('FIRST_TIME_TRIGGER_TIMEZONE', first.timezone ?? 'UTC');
  const step = input.step;
  if (step !== undefined) {
    set('step_id', step.id);
    set('step_instance_id', step.instanceId);
    set('step_instance_uuid', step.uuid);
    set('step_attempt_id', step.attemptId);
    set('step_type_info', step.typeInfo);
    set('MAESTRO_STEP_ERROR_RETRIES', step.errorRetries);
  }
  return Object.freeze(out);
}
