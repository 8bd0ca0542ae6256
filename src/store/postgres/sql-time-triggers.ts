import { TIME_TRIGGER_COLUMNS } from '../records-time-triggers.js';

// The time-trigger statements (port/time-triggers.ts), named with the rest of `SQL`.

export const TIME_TRIGGER_SQL = {
  getTimeTrigger: `SELECT ${TIME_TRIGGER_COLUMNS} FROM time_trigger WHERE workflow_id = $1`,
  getTimeTriggers: `SELECT ${TIME_TRIGGER_COLUMNS} FROM time_trigger WHERE workflow_id = ANY($1::text[])`,
  putTimeTrigger: `INSERT INTO time_trigger (${TIME_TRIGGER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, 1, $6)
    ON CONFLICT (workflow_id) DO UPDATE SET trigger_uuid = excluded.trigger_uuid, triggers = excluded.triggers,
      next_fire_time = excluded.next_fire_time, last_error = excluded.last_error,
      version = time_trigger.version + 1, update_time = excluded.update_time
    RETURNING version`,
  deleteTimeTrigger: 'DELETE FROM time_trigger WHERE workflow_id = $1',
  // Many rows in one statement; each written only where its version is still the one read (compare-and-set).
  advanceTimeTriggers: `UPDATE time_trigger AS t SET triggers = u.triggers, next_fire_time = u.next_fire_time,
      last_error = coalesce(u.last_error, t.last_error), version = t.version + 1, update_time = u.update_time
    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[])
      AS u (workflow_id, expected_version, triggers, next_fire_time, last_error, update_time, trigger_uuid)
    WHERE t.workflow_id = u.workflow_id AND t.version = u.expected_version AND t.trigger_uuid = u.trigger_uuid
    RETURNING t.workflow_id`,
} as const;
