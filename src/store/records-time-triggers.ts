import type { TimeTriggerState, TriggerFireError, TriggerWatermark } from './port.js';

/** A time_trigger row as both adapters read it (PostgreSQL's BIGINT columns arrive as text). */
export interface TimeTriggerRow {
  readonly workflow_id: string;
  readonly trigger_uuid: string;
  readonly triggers: string;
  readonly next_fire_time: number | string | null;
  readonly last_error: string | null;
  readonly version: number | string;
  readonly update_time: number | string;
}

export const TIME_TRIGGER_COLUMNS =
  'workflow_id, trigger_uuid, triggers, next_fire_time, last_error, version, update_time';

export function toTimeTrigger(row: TimeTriggerRow): TimeTriggerState {
  return {
    workflow_id: row.workflow_id,
    trigger_uuid: row.trigger_uuid,
    triggers: JSON.parse(row.triggers) as TriggerWatermark[],
    ...(row.next_fire_time === null ? {} : { next_fire_time: Number(row.next_fire_time) }),
    ...(row.last_error === null ? {} : { last_error: JSON.parse(row.last_error) as TriggerFireError }),
    version: Number(row.version),
    update_time: Number(row.update_time),
  };
}

/** The stored form of an optional fire error. */
export function errorText(error: TriggerFireError | undefined): string | null {
  return error === undefined ? null : JSON.stringify(error);
}
