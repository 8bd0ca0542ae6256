import type { PermitHold, PermitHolder, PermitRequest } from '../port.js';
import { holderId } from '../records.js';
import type { TxContext } from './tx-context.js';

/**
 * Permits: counted with the rows held, granted all-or-none, waiters let in first come, first served. The engine
 * releases and lets waiters in within one transaction, so a newcomer never takes a permit a waiter was due.
 */
function held(ctx: TxContext, key: string): number {
  return (ctx.stmts.countHeld.get(key) as { n: number } | undefined)?.n ?? 0;
}

export function acquirePermits(
  ctx: TxContext,
  holder: PermitHolder,
  permits: readonly PermitRequest[],
  now: number,
): boolean {
  releasePermits(ctx, [holder]); // asking again replaces what it held or its earlier place in line
  const granted = permits.every((p) => held(ctx, p.key) < p.limit);
  insertRows(ctx, holder, permits, granted, now);
  return granted;
}

export function permitState(
  ctx: TxContext,
  keys: readonly string[],
): Record<string, { held: number; waiting: boolean }> {
  const out: Record<string, { held: number; waiting: boolean }> = {};
  for (const key of keys)
    out[key] = { held: held(ctx, key), waiting: ctx.stmts.firstWaiting.get(key) !== undefined };
  return out;
}

export function queueForPermits(ctx: TxContext, holds: readonly PermitHold[], now: number): string[] {
  const released = releasePermits(
    ctx,
    holds.map((h) => h.holder),
  );
  for (const { holder, permits } of holds) insertRows(ctx, holder, permits, false, now);
  return released;
}

export function holdPermits(ctx: TxContext, holds: readonly PermitHold[], now: number): void {
  for (const { holder, permits } of holds) insertRows(ctx, holder, permits, true, now);
}

/** One row per key for the holder, held or waiting; held ones are counted at once. */
function insertRows(
  ctx: TxContext,
  holder: PermitHolder,
  permits: readonly PermitRequest[],
  granted: boolean,
  now: number,
): void {
  const id = holderId(holder);
  for (const p of permits) {
    ctx.stmts.insertPermit.run({
      permit_key: p.key,
      permit_limit: p.limit,
      holder: id,
      workflow_id: holder.workflow_id,
      instance_id: holder.instance_id,
      run_id: holder.run_id,
      step_id: holder.step_id,
      attempt: holder.attempt,
      granted: granted ? 1 : 0,
      since: now,
    });
    if (granted) ctx.stmts.addHeld.run(p.key, 1);
  }
}

/**
 * Returns every key the holders held or waited for: a waiter that leaves may have been holding up the line behind
 * it (first come, first served), so those keys need `grantWaiting` too.
 */
export function releasePermits(ctx: TxContext, holders: readonly PermitHolder[]): string[] {
  const touched = new Set<string>();
  for (const holder of holders) {
    const id = holderId(holder);
    const rows = ctx.stmts.holderKeys.all(id) as { permit_key: string; granted: number }[];
    ctx.stmts.deleteHolder.run(id);
    for (const row of rows) {
      if (row.granted) ctx.stmts.addHeld.run(row.permit_key, -1);
      touched.add(row.permit_key);
    }
  }
  return [...touched];
}

export function grantWaiting(ctx: TxContext, keys: readonly string[]): PermitHolder[] {
  const out: PermitHolder[] = [];
  for (const key of new Set(keys)) {
    for (;;) {
      const w = ctx.stmts.firstWaiting.get(key) as (PermitHolder & { holder: string }) | undefined;
      if (!w) break;
      const rows = ctx.stmts.holderRows.all(w.holder) as { permit_key: string; permit_limit: number }[];
      if (!rows.every((r) => held(ctx, r.permit_key) < r.permit_limit)) break; // first come, first served
      ctx.stmts.grantHolder.run(w.holder);
      for (const r of rows) ctx.stmts.addHeld.run(r.permit_key, 1);
      out.push({
        workflow_id: w.workflow_id,
        instance_id: w.instance_id,
        run_id: w.run_id,
        step_id: w.step_id,
        attempt: w.attempt,
      });
    }
  }
  return out;
}
