import { TIME_TRIGGER_COLUMNS } from '../records-time-triggers.js';

// The time-trigger statements (port/time-triggers.ts), prepared with the rest of `SQL`.

export const TIME_TRIGGER_SQL = {
  getTimeTrigger: `SELECT ${TIME_TRIGGER_COLUMNS} FROM time_trigger WHERE workflow_id = ?`,
  getTimeTriggers: `SELECT ${TIME_TRIGGER_COLUMNS} FROM time_trigger
    WHERE workflow_id IN (SELECT value FROM json_each(?))`,
  putTimeTrigger: `INSERT INTO time_trigger (${TIME_TRIGGER_COLUMNS})
    VALUES (@workflow_id, @trigger_uuid, @triggers, @next_fire_time, @last_error, 1, @update_time)
    ON CONFLICT (workflow_id) DO UPDATE SET trigger_uuid = excluded.trigger_uuid, triggers = excluded.triggers,
      next_fire_time = excluded.next_fire_time, last_error = excluded.last_error,
      version = time_trigger.version + 1, update_time = excluded.update_time
    RETURNING version`,
  deleteTimeTrigger: 'DELETE FROM time_trigger WHERE workflow_id = ?',
  advanceTimeTrigger: `UPDATE time_trigger SET triggers = @triggers, next_fire_time = @next_fire_time,
      last_error = coalesce(@last_error, last_error), version = version + 1, update_time = @update_time
    WHERE workflow_id = @workflow_id AND version = @expected_version AND trigger_uuid = @expected_trigger_uuid`,
} as const;
