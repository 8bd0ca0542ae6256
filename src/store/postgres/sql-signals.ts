// The signal statements (port/signals.ts), named with the rest of `SQL`.

const SIGNAL_COLUMNS = 'i.name, i.seq_id, i.instance_id, i.params, i.payload, i.request_time, i.create_time';

/**
 * True when instance `i` meets every constraint given as four arrays $3..$6 (param, operator, string value, number
 * value; one of the values null). A comparison with the other type's column is NULL, so a type mismatch never
 * matches. `str_value` has collation "C": strings compare by code point.
 */
const MEETS_ALL = `NOT EXISTS (
  SELECT 1 FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[]) c(param, op, s, n) WHERE NOT EXISTS (
    SELECT 1 FROM signal_param q
    WHERE q.name = i.name AND q.seq_id = i.seq_id AND q.param = c.param AND CASE c.op
      WHEN '=' THEN q.str_value = c.s OR q.num_value = c.n
      WHEN '>' THEN q.str_value > c.s OR q.num_value > c.n
      WHEN '>=' THEN q.str_value >= c.s OR q.num_value >= c.n
      WHEN '<' THEN q.str_value < c.s OR q.num_value < c.n
      WHEN '<=' THEN q.str_value <= c.s OR q.num_value <= c.n
    END))`;

/** The earliest instance found by an `=` ($7 param, $8 value) on one indexed column that meets the rest. */
function findByEquality(column: 'str_value' | 'num_value', type: 'text' | 'bigint'): string {
  return `SELECT ${SIGNAL_COLUMNS} FROM signal_param d
    JOIN signal_instance i ON i.name = d.name AND i.seq_id = d.seq_id
    WHERE d.name = $1 AND d.param = $7 AND d.${column} = $8::${type} AND d.seq_id > $2::bigint AND ${MEETS_ALL}
    ORDER BY d.seq_id LIMIT 1`;
}

export const SIGNAL_SQL = {
  // ON CONFLICT DO UPDATE locks the row, as FOR UPDATE would, and creates it when it is new, in one round trip.
  lockSignalNames: `INSERT INTO signal_name (name, last_seq) SELECT n, 0 FROM unnest($1::text[]) n ORDER BY n
    ON CONFLICT (name) DO UPDATE SET last_seq = signal_name.last_seq RETURNING name, last_seq`,
  signalLastSeq: 'SELECT last_seq FROM signal_name WHERE name = $1',
  signalByInstanceId: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i WHERE name = $1 AND instance_id = $2`,
  insertSignal: `WITH s AS (UPDATE signal_name SET last_seq = last_seq + 1 WHERE name = $1 RETURNING last_seq),
    i AS (INSERT INTO signal_instance (name, seq_id, instance_id, params, payload, request_time, create_time)
      SELECT $1, last_seq, $2, $3::jsonb, $4::jsonb, $5, $6 FROM s RETURNING seq_id),
    p AS (INSERT INTO signal_param (name, seq_id, param, str_value, num_value)
      SELECT $1, i.seq_id, u.param, u.s, u.n FROM i, unnest($7::text[], $8::text[], $9::bigint[]) u(param, s, n))
    SELECT seq_id FROM i`,
  getSignal: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i WHERE name = $1 AND seq_id = $2`,
  getLatestSignal: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i
    WHERE name = $1 ORDER BY seq_id DESC LIMIT 1`,
  findSignalByString: findByEquality('str_value', 'text'),
  findSignalByNumber: findByEquality('num_value', 'bigint'),
  findSignalInOrder: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i
    WHERE i.name = $1 AND i.seq_id > $2::bigint AND ${MEETS_ALL} ORDER BY i.seq_id LIMIT 1`,
  listSignalsDown: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i
    WHERE name = $1 AND seq_id < $2::bigint ORDER BY seq_id DESC LIMIT $3`,
  listSignalsUp: `SELECT ${SIGNAL_COLUMNS} FROM signal_instance i
    WHERE name = $1 AND seq_id > $2::bigint ORDER BY seq_id LIMIT $3`,
} as const;

const TRIGGER_COLUMNS = 'workflow_id, trigger_uuid, definition, checkpoints';

/** The signal trigger subscriptions (port/signal-triggers.ts). */
export const SIGNAL_TRIGGER_SQL = {
  dropSignalTriggers: `WITH gone AS (
      DELETE FROM signal_trigger WHERE workflow_id = $1 AND NOT trigger_uuid = ANY($2::text[]) RETURNING trigger_uuid)
    DELETE FROM signal_trigger_name WHERE workflow_id = $1 AND trigger_uuid IN (SELECT trigger_uuid FROM gone)`,
  insertSignalTriggers: `WITH t AS (
      INSERT INTO signal_trigger (${TRIGGER_COLUMNS})
      SELECT $1, u, d, c FROM unnest($2::text[], $3::jsonb[], $4::jsonb[]) x(u, d, c)
      ON CONFLICT (workflow_id, trigger_uuid) DO NOTHING RETURNING trigger_uuid, checkpoints)
    INSERT INTO signal_trigger_name (name, workflow_id, trigger_uuid)
    SELECT k, $1, trigger_uuid FROM t, jsonb_object_keys(t.checkpoints) k ON CONFLICT DO NOTHING`,
  signalTriggersOf: `SELECT workflow_id, trigger_uuid FROM signal_trigger_name
    WHERE name = $1 ORDER BY workflow_id, trigger_uuid`,
  lockSignalTrigger: `SELECT ${TRIGGER_COLUMNS} FROM signal_trigger
    WHERE workflow_id = $1 AND trigger_uuid = $2 FOR UPDATE`,
  advanceSignalTrigger: `UPDATE signal_trigger SET checkpoints = checkpoints || $3::jsonb
    WHERE workflow_id = $1 AND trigger_uuid = $2`,
  listSignalTriggers: `SELECT ${TRIGGER_COLUMNS} FROM signal_trigger WHERE workflow_id = $1 ORDER BY trigger_uuid`,
} as const;
