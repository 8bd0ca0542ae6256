import type { RunKey, SignalUse, SignalWait, SignalWaitKey, SignalWaitTx } from '../port.js';
import {
  signalUseColumns,
  toSignalUse,
  toSignalWait,
  type SignalUseRow,
  type SignalWaitRow,
} from '../records-signal-waits.js';
import { PgSignalTx } from './pg-signal-tx.js';

type WaitRow = SignalWaitRow & Record<string, unknown>;
type UseRow = SignalUseRow & Record<string, unknown>;

/** Step waits and lineage on PostgreSQL (port/signal-waits.ts); extends the signals' part, `PgTx` extends it. */
export abstract class PgSignalWaitTx extends PgSignalTx implements SignalWaitTx {
  async addSignalWaits(waits: readonly SignalWait[]): Promise<void> {
    if (waits.length > 0) await this.query('upsertSignalWaits', [JSON.stringify(waits)]);
  }

  async signalWaitsOn(name: string): Promise<SignalWait[]> {
    return (await this.query<WaitRow>('signalWaitsOn', [name])).rows.map(toSignalWait);
  }

  async deleteSignalWaits(key: RunKey, stepId?: string, attempt?: number): Promise<number> {
    const { count } = await this.query('deleteRunSignalWaits', [
      key.workflow_id,
      key.instance_id,
      key.run_id,
      stepId ?? null,
      attempt ?? null,
    ]);
    return count;
  }

  async deleteSignalWaitsOf(waits: readonly SignalWaitKey[]): Promise<void> {
    if (waits.length === 0) return;
    const keys = waits.map(({ workflow_id, instance_id, run_id, step_id, dependency, attempt }) => ({
      workflow_id,
      instance_id,
      run_id,
      step_id,
      dependency,
      attempt,
    }));
    await this.query('deleteSignalWaitsOf', [JSON.stringify(keys)]);
  }

  async recordSignalUses(uses: readonly SignalUse[]): Promise<void> {
    if (uses.length > 0) await this.query('insertSignalUses', [JSON.stringify(uses.map(signalUseColumns))]);
  }

  async signalUses(name: string, seq: number): Promise<SignalUse[]> {
    return (await this.query<UseRow>('signalUses', [name, seq])).rows.map(toSignalUse);
  }
}
