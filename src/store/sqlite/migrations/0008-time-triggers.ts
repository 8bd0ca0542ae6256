/**
 * Time-trigger state (port/time-triggers.ts): one row per workflow with subscribed time triggers. `triggers` is a
 * JSON array of {trigger, watermark}; `next_fire_time` is indexed for the views that list what fires next.
 */
export const MIGRATION_0008_TIME_TRIGGERS = `
CREATE TABLE time_trigger (
  workflow_id    TEXT    NOT NULL PRIMARY KEY,
  trigger_uuid   TEXT    NOT NULL,
  triggers       TEXT    NOT NULL,
  next_fire_time INTEGER,
  last_error     TEXT,
  version        INTEGER NOT NULL,
  update_time    INTEGER NOT NULL
) STRICT;
CREATE INDEX time_trigger_next ON time_trigger (next_fire_time);
`;
