import type { JsonObject } from '../model/json.js';
import type { SignalInstance, SignalParamValue } from '../model/signal.js';
import type { SignalConstraint, SignalTriggerRecord } from './port.js';

/** A signal instance row as both adapters read it (JSON as text on SQLite, parsed on PostgreSQL). */
export interface SignalRow {
  readonly name: string;
  readonly seq_id: number | string;
  readonly instance_id: string;
  readonly params: string | Record<string, SignalParamValue>;
  readonly payload: string | JsonObject;
  readonly request_time: number | string;
  readonly create_time: number | string;
}

export function toSignal(row: SignalRow): SignalInstance {
  return {
    name: row.name,
    seq_id: Number(row.seq_id),
    instance_id: row.instance_id,
    params:
      typeof row.params === 'string' ? (JSON.parse(row.params) as SignalInstance['params']) : row.params,
    payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as JsonObject) : row.payload,
    request_time: Number(row.request_time),
    create_time: Number(row.create_time),
  };
}

/**
 * Params (or constraints) as the columns of the param index: a string goes in `str_value`, a number in
 * `num_value`, the other is null, so a value only ever meets values of its own type.
 */
export interface ParamColumns {
  readonly names: string[];
  readonly strs: (string | null)[];
  readonly nums: (number | null)[];
}

export function paramColumns(params: Readonly<Record<string, SignalParamValue>>): ParamColumns {
  const entries = Object.entries(params);
  return {
    names: entries.map(([k]) => k),
    strs: entries.map(([, v]) => (typeof v === 'string' ? v : null)),
    nums: entries.map(([, v]) => (typeof v === 'number' ? v : null)),
  };
}

/** The constraint that drives a search through the param index: the first `=` one, if any. */
export function drivingConstraint(constraints: readonly SignalConstraint[]): SignalConstraint | undefined {
  return constraints.find((c) => c.operator === '=');
}

/** A subscription row as both adapters read it (JSON as text on SQLite, parsed on PostgreSQL). */
export interface SignalTriggerRow {
  readonly workflow_id: string;
  readonly trigger_uuid: string;
  readonly definition: string | JsonObject;
  readonly checkpoints: string | Record<string, number>;
}

export function toSignalTrigger(row: SignalTriggerRow): SignalTriggerRecord {
  const parse = <T>(v: string | T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return {
    workflow_id: row.workflow_id,
    trigger_uuid: row.trigger_uuid,
    definition: parse<JsonObject>(row.definition),
    checkpoints: parse<Record<string, number>>(row.checkpoints),
  };
}
