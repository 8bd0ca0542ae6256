import type { SignalInstance } from '../../model/signal.js';
import type {
  NewSignal,
  NewSignalTrigger,
  Page,
  PageRequest,
  SignalConstraint,
  SignalTriggerKey,
  SignalTriggerRecord,
  SignalTriggerTx,
  SignalTx,
  StoredSignal,
} from '../port.js';
import * as st from './tx-signal-triggers.js';
import { SqliteRelayTx } from './tx-relay.js';
import * as s from './tx-signals.js';

/** The signals' part of a SQLite transaction (port/signals.ts); extends the relay's, `SqliteTx` extends it. */
export abstract class SqliteSignalTx extends SqliteRelayTx implements SignalTx, SignalTriggerTx {
  async announceSignal(signal: NewSignal): Promise<StoredSignal> {
    return s.announceSignal(this.c(), signal);
  }
  async getSignal(name: string, seq: number | 'latest'): Promise<SignalInstance | undefined> {
    return s.getSignal(this.c(), name, seq);
  }
  async latestSignalSeq(name: string): Promise<number> {
    return s.latestSignalSeq(this.c(), name);
  }
  async lockSignalNames(names: readonly string[]): Promise<Record<string, number>> {
    return s.lockSignalNames(this.c(), names);
  }
  async findSignal(
    name: string,
    constraints: readonly SignalConstraint[],
    afterSeq: number,
  ): Promise<SignalInstance | undefined> {
    return s.findSignal(this.c(), name, constraints, afterSeq);
  }
  async listSignals(name: string, page: PageRequest<number>): Promise<Page<SignalInstance>> {
    return s.listSignals(this.c(), name, page);
  }

  async replaceSignalTriggers(workflowId: string, triggers: readonly NewSignalTrigger[]): Promise<void> {
    st.replaceSignalTriggers(this.c(), workflowId, triggers);
  }
  async signalTriggersOf(name: string): Promise<SignalTriggerKey[]> {
    return st.signalTriggersOf(this.c(), name);
  }
  async lockSignalTrigger(key: SignalTriggerKey): Promise<SignalTriggerRecord | undefined> {
    return st.lockSignalTrigger(this.c(), key);
  }
  async advanceSignalTrigger(
    key: SignalTriggerKey,
    checkpoints: Readonly<Record<string, number>>,
  ): Promise<void> {
    st.advanceSignalTrigger(this.c(), key, checkpoints);
  }
  async listSignalTriggers(workflowId: string): Promise<SignalTriggerRecord[]> {
    return st.listSignalTriggers(this.c(), workflowId);
  }
}
