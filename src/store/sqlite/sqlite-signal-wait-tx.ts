import type { RunKey, SignalUse, SignalWait, SignalWaitKey, SignalWaitTx } from '../port.js';
import {
  signalUseColumns,
  toSignalUse,
  toSignalWait,
  type SignalUseRow,
  type SignalWaitRow,
} from '../records-signal-waits.js';
import { SqliteSignalTx } from './sqlite-signal-tx.js';

/** Step waits and lineage on SQLite (port/signal-waits.ts); extends the signals' part, `SqliteTx` extends it. */
export abstract class SqliteSignalWaitTx extends SqliteSignalTx implements SignalWaitTx {
  async addSignalWaits(waits: readonly SignalWait[]): Promise<void> {
    const { upsertSignalWait } = this.c().stmts;
    for (const w of waits) upsertSignalWait.run({ ...w, constraints: JSON.stringify(w.constraints) });
  }

  async signalWaitsOn(name: string): Promise<SignalWait[]> {
    return (this.c().stmts.signalWaitsOn.all(name) as SignalWaitRow[]).map(toSignalWait);
  }

  async deleteSignalWaits(key: RunKey, stepId?: string, attempt?: number): Promise<number> {
    const { stmts } = this.c();
    const run = [key.workflow_id, key.instance_id, key.run_id] as const;
    if (stepId === undefined) return stmts.deleteRunSignalWaits.run(...run).changes;
    if (attempt === undefined) return stmts.deleteStepSignalWaits.run(...run, stepId).changes;
    return stmts.deleteAttemptSignalWaits.run(...run, stepId, attempt).changes;
  }

  async deleteSignalWaitsOf(waits: readonly SignalWaitKey[]): Promise<void> {
    const { deleteSignalWait } = this.c().stmts;
    for (const w of waits)
      deleteSignalWait.run(w.workflow_id, w.instance_id, w.run_id, w.step_id, w.dependency, w.attempt);
  }

  async recordSignalUses(uses: readonly SignalUse[]): Promise<void> {
    const { insertSignalUse } = this.c().stmts;
    for (const use of uses) insertSignalUse.run(signalUseColumns(use));
  }

  async signalUses(name: string, seq: number): Promise<SignalUse[]> {
    return (this.c().stmts.signalUses.all(name, seq) as SignalUseRow[]).map(toSignalUse);
  }
}
