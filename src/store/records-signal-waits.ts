import type { SignalConstraint, SignalUse, SignalWait } from './port.js';

/** A `signal_wait` row as both adapters read it (JSON as text on SQLite, parsed on PostgreSQL). */
export interface SignalWaitRow {
  readonly workflow_id: string;
  readonly instance_id: number | string;
  readonly run_id: number | string;
  readonly step_id: string;
  readonly dependency: number;
  readonly attempt: number;
  readonly name: string;
  readonly constraints: string | SignalConstraint[];
  readonly create_time: number | string;
}

export function toSignalWait(row: SignalWaitRow): SignalWait {
  return {
    workflow_id: row.workflow_id,
    instance_id: Number(row.instance_id),
    run_id: Number(row.run_id),
    step_id: row.step_id,
    attempt: Number(row.attempt),
    dependency: Number(row.dependency),
    name: row.name,
    constraints:
      typeof row.constraints === 'string'
        ? (JSON.parse(row.constraints) as SignalConstraint[])
        : row.constraints,
    create_time: Number(row.create_time),
  };
}

/** A `signal_use` row: a use without a step keeps '' / 0 / -1 in the key's step columns (no nulls in a key). */
export interface SignalUseRow {
  readonly name: string;
  readonly seq_id: number | string;
  readonly use: string;
  readonly workflow_id: string;
  readonly instance_id: number | string;
  readonly run_id: number | string;
  readonly step_id: string;
  readonly attempt: number;
  readonly dependency: number;
  readonly create_time: number | string;
}

export function toSignalUse(row: SignalUseRow): SignalUse {
  const base = {
    name: row.name,
    seq_id: Number(row.seq_id),
    use: row.use as SignalUse['use'],
    workflow_id: row.workflow_id,
    instance_id: Number(row.instance_id),
    run_id: Number(row.run_id),
    create_time: Number(row.create_time),
  };
  return row.step_id === ''
    ? base
    : { ...base, step_id: row.step_id, attempt: Number(row.attempt), dependency: Number(row.dependency) };
}

/** A use as the columns of its row. */
export function signalUseColumns(use: SignalUse): SignalUseRow {
  return {
    name: use.name,
    seq_id: use.seq_id,
    use: use.use,
    workflow_id: use.workflow_id,
    instance_id: use.instance_id,
    run_id: use.run_id,
    step_id: use.step_id ?? '',
    attempt: use.attempt ?? 0,
    dependency: use.dependency ?? -1,
    create_time: use.create_time,
  };
}
