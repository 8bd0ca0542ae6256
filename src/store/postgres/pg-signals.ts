import type { SignalInstance } from '../../model/signal.js';
import { END_ID, pageRead, toPage } from '../paging.js';
import type {
  NewSignal,
  NewSignalTrigger,
  Page,
  PageRequest,
  SignalConstraint,
  SignalTriggerKey,
  SignalTriggerRecord,
  StoredSignal,
} from '../port.js';
import {
  drivingConstraint,
  paramColumns,
  toSignal,
  toSignalTrigger,
  type SignalRow,
  type SignalTriggerRow,
} from '../records-signals.js';
import type { Query } from './query.js';

// Signals on PostgreSQL (port/signals.ts): a name's counter row is locked by `lockSignalNames` (ON CONFLICT DO
// UPDATE) until the transaction ends; a duplicate instance id is looked up under that lock, so it is never a race.

type Row = SignalRow & Record<string, unknown>;
type TriggerRow = SignalTriggerRow & Record<string, unknown>;

export async function announceSignal(q: Query, signal: NewSignal): Promise<StoredSignal> {
  await lockSignalNames(q, [signal.name]);
  const [stored] = (await q<Row>('signalByInstanceId', [signal.name, signal.instance_id])).rows;
  if (stored) return { status: 'DUPLICATED', signal: toSignal(stored) };
  const { names, strs, nums } = paramColumns(signal.params);
  const { name, instance_id, params, payload, request_time, create_time } = signal;
  const [row] = (
    await q<{ seq_id: number }>('insertSignal', [
      name,
      instance_id,
      JSON.stringify(params),
      JSON.stringify(payload),
      request_time,
      create_time,
      names,
      strs,
      nums,
    ])
  ).rows;
  return { status: 'CREATED', signal: { ...signal, seq_id: Number(row!.seq_id) } };
}

export async function getSignal(
  q: Query,
  name: string,
  seq: number | 'latest',
): Promise<SignalInstance | undefined> {
  const { rows } =
    seq === 'latest' ? await q<Row>('getLatestSignal', [name]) : await q<Row>('getSignal', [name, seq]);
  return rows[0] && toSignal(rows[0]);
}

export async function latestSignalSeq(q: Query, name: string): Promise<number> {
  const [row] = (await q<{ last_seq: number }>('signalLastSeq', [name])).rows;
  return row ? Number(row.last_seq) : 0;
}

export async function lockSignalNames(q: Query, names: readonly string[]): Promise<Record<string, number>> {
  if (names.length === 0) return {};
  const sorted = [...new Set(names)].sort();
  const { rows } = await q<{ name: string; last_seq: number }>('lockSignalNames', [sorted]);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.last_seq)]));
}

export async function findSignal(
  q: Query,
  name: string,
  constraints: readonly SignalConstraint[],
  afterSeq: number,
): Promise<SignalInstance | undefined> {
  const values = [
    name,
    afterSeq,
    constraints.map((c) => c.param),
    constraints.map((c) => c.operator),
    constraints.map((c) => (typeof c.value === 'string' ? c.value : null)),
    constraints.map((c) => (typeof c.value === 'number' ? c.value : null)),
  ];
  const driver = drivingConstraint(constraints);
  const { rows } =
    driver === undefined
      ? await q<Row>('findSignalInOrder', values)
      : await q<Row>(typeof driver.value === 'string' ? 'findSignalByString' : 'findSignalByNumber', [
          ...values,
          driver.param,
          driver.value,
        ]);
  return rows[0] && toSignal(rows[0]);
}

export async function listSignals(
  q: Query,
  name: string,
  page: PageRequest<number>,
): Promise<Page<SignalInstance>> {
  const read = pageRead(page);
  const { rows } = read.forward
    ? await q<Row>('listSignalsDown', [name, read.from ?? END_ID, read.fetch])
    : await q<Row>('listSignalsUp', [name, read.from ?? 0, read.fetch]);
  return toPage(rows.map(toSignal), read);
}

// -- signal trigger subscriptions (port/signal-triggers.ts) --------------------------------------------------------

export async function replaceSignalTriggers(
  q: Query,
  workflowId: string,
  triggers: readonly NewSignalTrigger[],
): Promise<void> {
  const uuids = triggers.map((t) => t.trigger_uuid);
  await q('dropSignalTriggers', [workflowId, uuids]);
  if (triggers.length === 0) return;
  await q('insertSignalTriggers', [
    workflowId,
    uuids,
    triggers.map((t) => JSON.stringify(t.definition)),
    triggers.map((t) => JSON.stringify(t.checkpoints)),
  ]);
}

export async function signalTriggersOf(q: Query, name: string): Promise<SignalTriggerKey[]> {
  return (await q<SignalTriggerKey & Record<string, unknown>>('signalTriggersOf', [name])).rows;
}

export async function lockSignalTrigger(
  q: Query,
  key: SignalTriggerKey,
): Promise<SignalTriggerRecord | undefined> {
  const [row] = (await q<TriggerRow>('lockSignalTrigger', [key.workflow_id, key.trigger_uuid])).rows;
  return row && toSignalTrigger(row);
}

export async function advanceSignalTrigger(
  q: Query,
  key: SignalTriggerKey,
  checkpoints: Readonly<Record<string, number>>,
): Promise<void> {
  await q('advanceSignalTrigger', [key.workflow_id, key.trigger_uuid, JSON.stringify(checkpoints)]);
}

export async function listSignalTriggers(q: Query, workflowId: string): Promise<SignalTriggerRecord[]> {
  return (await q<TriggerRow>('listSignalTriggers', [workflowId])).rows.map(toSignalTrigger);
}
