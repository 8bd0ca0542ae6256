import type { SignalInstance } from '../../model/signal.js';
import { END_ID, pageRead, toPage } from '../paging.js';
import type { NewSignal, Page, PageRequest, SignalConstraint, StoredSignal } from '../port.js';
import { drivingConstraint, paramColumns, toSignal, type SignalRow } from '../records-signals.js';
import type { TxContext } from './tx-context.js';

// Signals on SQLite. A transaction holds the database's write lock while it writes, so a name's counter row needs
// no lock of its own: announcing and registering interest are serialised by the store.

export function announceSignal(ctx: TxContext, signal: NewSignal): StoredSignal {
  const { stmts } = ctx;
  stmts.ensureSignalName.run(signal.name);
  const stored = stmts.signalByInstanceId.get(signal.name, signal.instance_id) as SignalRow | undefined;
  if (stored) return { status: 'DUPLICATED', signal: toSignal(stored) };
  const { last_seq: seq } = stmts.bumpSignalSeq.get(signal.name) as { last_seq: number };
  stmts.insertSignal.run({
    ...signal,
    seq_id: seq,
    params: JSON.stringify(signal.params),
    payload: JSON.stringify(signal.payload),
  });
  const { names, strs, nums } = paramColumns(signal.params);
  names.forEach((param, i) => stmts.insertSignalParam.run(signal.name, seq, param, strs[i], nums[i]));
  return { status: 'CREATED', signal: { ...signal, seq_id: seq } };
}

export function getSignal(ctx: TxContext, name: string, seq: number | 'latest'): SignalInstance | undefined {
  const row = (
    seq === 'latest' ? ctx.stmts.getLatestSignal.get(name) : ctx.stmts.getSignal.get(name, seq)
  ) as SignalRow | undefined;
  return row && toSignal(row);
}

export function latestSignalSeq(ctx: TxContext, name: string): number {
  const row = ctx.stmts.signalLastSeq.get(name) as { last_seq: number } | undefined;
  return row?.last_seq ?? 0;
}

export function lockSignalNames(ctx: TxContext, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of [...new Set(names)].sort()) {
    ctx.stmts.ensureSignalName.run(name);
    out[name] = latestSignalSeq(ctx, name);
  }
  return out;
}

export function findSignal(
  ctx: TxContext,
  name: string,
  constraints: readonly SignalConstraint[],
  afterSeq: number,
): SignalInstance | undefined {
  const json = JSON.stringify(
    constraints.map((c) => ({
      p: c.param,
      o: c.operator,
      s: typeof c.value === 'string' ? c.value : null,
      n: typeof c.value === 'number' ? c.value : null,
    })),
  );
  const args = { name, after: afterSeq, constraints: json };
  const driver = drivingConstraint(constraints);
  const row = (
    driver === undefined
      ? ctx.stmts.findSignalInOrder.get(args)
      : (typeof driver.value === 'string' ? ctx.stmts.findSignalByString : ctx.stmts.findSignalByNumber).get({
          ...args,
          param: driver.param,
          value: driver.value,
        })
  ) as SignalRow | undefined;
  return row && toSignal(row);
}

export function listSignals(ctx: TxContext, name: string, page: PageRequest<number>): Page<SignalInstance> {
  const read = pageRead(page);
  const rows = (
    read.forward
      ? ctx.stmts.listSignalsDown.all(name, read.from ?? END_ID, read.fetch)
      : ctx.stmts.listSignalsUp.all(name, read.from ?? 0, read.fetch)
  ) as SignalRow[];
  return toPage(rows.map(toSignal), read);
}
