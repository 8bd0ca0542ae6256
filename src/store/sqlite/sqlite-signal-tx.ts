import type { SignalInstance } from '../../model/signal.js';
import type { NewSignal, Page, PageRequest, SignalConstraint, SignalTx, StoredSignal } from '../port.js';
import { SqliteRelayTx } from './tx-relay.js';
import * as s from './tx-signals.js';

/** The signals' part of a SQLite transaction (port/signals.ts); extends the relay's, `SqliteTx` extends it. */
export abstract class SqliteSignalTx extends SqliteRelayTx implements SignalTx {
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
}
