import type { JsonObject } from '../../model/json.js';
import type { TimeTriggerState } from '../../store/port.js';
import { nextDue } from '../../triggers/fire-times.js';

/**
 * A workflow's time triggers as the scheduler sees them: the subscription's uuid, when the next fire is due, and per
 * trigger its last handled fire time (`last_trigger_timestamp`, Maestro's watermark) and its own next fire (fuzzy
 * delay included). Absent for a workflow whose active version has no time triggers, or is inactive or disabled.
 */
export function timeTriggerView(state: TimeTriggerState): JsonObject {
  return {
    trigger_uuid: state.trigger_uuid,
    ...(state.next_fire_time === undefined ? {} : { next_fire_time: state.next_fire_time }),
    triggers: state.triggers.map((t) => {
      const next = nextDue(state.workflow_id, [t]);
      return {
        time_trigger: { ...t.trigger },
        last_trigger_timestamp: t.watermark,
        ...(next === undefined ? {} : { next_fire_time: next }),
      };
    }),
    ...(state.last_error ? { last_error: { ...state.last_error } } : {}),
  };
}
