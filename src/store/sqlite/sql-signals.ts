// The signal statements (port/signals.ts), prepared with the rest of `SQL`.

const SIGNAL_COLUMNS = 'i.name, i.seq_id, i.instance_id, i.params, i.payload, i.request_time, i.create_time';

/**
 * True when instance `i` meets every constraint of the JSON array @constraints (`[{p, o, s, n}]`: param, operator,
 * string or number value). A comparison with the other type's column is NULL, so a type mismatch never matches.
 */
const MEETS_ALL = `NOT EXISTS (
  SELECT 1 FROM json_each(@constraints) c WHERE NOT EXISTS (
    SELECT 1 FROM signal_param q
    WHERE q.name = i.name AND q.seq_id = i.seq_id AND q.param = c.value ->> 'p' AND CASE c.value ->> 'o'
      WHEN '=' THEN q.str_value = c.value ->> 's' OR q.num_value = c.value ->> 'n'
      WHEN '>' THEN q.str_value > c.value ->> 's' OR q.num_value > c.value ->> 'n'
      WHEN '>=' THEN q.str_value >= c.value ->> 's' OR q.num_value >= c.value ->> 'n'
      WHEN '<' THEN q.str_value < c.value ->> 's' OR q.num_value < c.value ->> 'n'
      WHEN '<=' THEN q.str_value <= c.value ->> 's' OR q.num_value <= c.value ->> 'n'
    END))`;

/** The earliest instance found by an `=` on one indexed column (`str_value` or `num_value`) that meets the rest. */
function findByEquality(column: 'str_value' | 'num_value'): string {
  return `SELECT ${SIGNAL_COLUMNS} FROM signal_param d
    JOIN signal_instance i ON i.name = d.name AND i.seq_id = d.seq_id
    WHERE d.name = @name AND d.param = @param AND d.${column} = @value AND d.seq_id > @after AND ${MEETS_ALL}
    ORDER BY d.seq_id LIMIT 1`;
}

export const SIGNAL_SQL = {
  ensureSignalName: 'INSERT INTO signal_name (name, last_seq) VALUES (?, 0) ON CONFLICT (name) DO NOTHING',
  signalLastSeq: 'SELECT last_seq FROM signal_name WHERE name = ?',
  bumpSignalSeq: 'UPDATE signal_name SET last_seq = last_seq + 1 WHERE name = ? RETURNING last_seq',
  signalByInstanceId: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i WHERE name = ? AND instance_id = ?`,
  insertSignal: `INSERT INTO signal_instance (name, seq_id, instance_id, params, payload, request_time, create_time)
    VALUES (@name, @seq_id, @instance_id, @params, @payload, @request_time, @create_time)`,
  insertSignalParam: `INSERT INTO signal_param (name, seq_id, param, str_value, num_value)
    VALUES (?, ?, ?, ?, ?)`,
  getSignal: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i WHERE name = ? AND seq_id = ?`,
  getLatestSignal: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i WHERE name = ? ORDER BY seq_id DESC LIMIT 1`,
  findSignalByString: findByEquality('str_value'),
  findSignalByNumber: findByEquality('num_value'),
  findSignalInOrder: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i
    WHERE i.name = @name AND i.seq_id > @after AND ${MEETS_ALL} ORDER BY i.seq_id LIMIT 1`,
  listSignalsDown: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i
    WHERE name = ? AND seq_id < ? ORDER BY seq_id DESC LIMIT ?`,
  listSignalsUp: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i
    WHERE name = ? AND seq_id > ? ORDER BY seq_id LIMIT ?`,
} as const;

const TRIGGER_COLUMNS = 'workflow_id, trigger_uuid, definition, checkpoints';

/** The signal trigger subscriptions (port/signal-triggers.ts). */
export const SIGNAL_TRIGGER_SQL = {
  dropSignalTriggers: `DELETE FROM signal_trigger
    WHERE workflow_id = ? AND trigger_uuid NOT IN (SELECT value FROM json_each(?))`,
  dropSignalTriggerNames: `DELETE FROM signal_trigger_name
    WHERE workflow_id = ? AND trigger_uuid NOT IN (SELECT value FROM json_each(?))`,
  insertSignalTrigger: `INSERT INTO signal_trigger (${TRIGGER_COLUMNS}) VALUES (?, ?, ?, ?)
    ON CONFLICT (workflow_id, trigger_uuid) DO NOTHING`,
  insertSignalTriggerName: `INSERT INTO signal_trigger_name (name, workflow_id, trigger_uuid) VALUES (?, ?, ?)
    ON CONFLICT DO NOTHING`,
  signalTriggersOf: `SELECT workflow_id, trigger_uuid FROM signal_trigger_name
    WHERE name = ? ORDER BY workflow_id, trigger_uuid`,
  getSignalTrigger: `SELECT ${TRIGGER_COLUMNS} FROM signal_trigger WHERE workflow_id = ? AND trigger_uuid = ?`,
  advanceSignalTrigger: `UPDATE signal_trigger SET checkpoints = json_patch(checkpoints, ?)
    WHERE workflow_id = ? AND trigger_uuid = ?`,
  listSignalTriggers: `SELECT ${TRIGGER_COLUMNS} FROM signal_trigger WHERE workflow_id = ? ORDER BY trigger_uuid`,
} as const;
