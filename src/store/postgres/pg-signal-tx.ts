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
import { PgRelayTx } from './pg-relay.js';
import * as s from './pg-signals.js';

/** The signals' part of a PostgreSQL transaction (port/signals.ts); extends the relay's, `PgTx` extends it. */
export abstract class PgSignalTx extends PgRelayTx implements SignalTx, SignalTriggerTx {
  announceSignal = (signal: NewSignal): Promise<StoredSignal> => s.announceSignal(this.query, signal);
  getSignal = (name: string, seq: number | 'latest'): Promise<SignalInstance | undefined> =>
    s.getSignal(this.query, name, seq);
  latestSignalSeq = (name: string): Promise<number> => s.latestSignalSeq(this.query, name);
  lockSignalNames = (names: readonly string[]): Promise<Record<string, number>> =>
    s.lockSignalNames(this.query, names);
  findSignal = (
    name: string,
    constraints: readonly SignalConstraint[],
    afterSeq: number,
  ): Promise<SignalInstance | undefined> => s.findSignal(this.query, name, constraints, afterSeq);
  listSignals = (name: string, page: PageRequest<number>): Promise<Page<SignalInstance>> =>
    s.listSignals(this.query, name, page);

  replaceSignalTriggers = (workflowId: string, triggers: readonly NewSignalTrigger[]): Promise<void> =>
    s.replaceSignalTriggers(this.query, workflowId, triggers);
  signalTriggersOf = (name: string): Promise<SignalTriggerKey[]> => s.signalTriggersOf(this.query, name);
  lockSignalTrigger = (key: SignalTriggerKey): Promise<SignalTriggerRecord | undefined> =>
    s.lockSignalTrigger(this.query, key);
  advanceSignalTrigger = (
    key: SignalTriggerKey,
    checkpoints: Readonly<Record<string, number>>,
  ): Promise<void> => s.advanceSignalTrigger(this.query, key, checkpoints);
  listSignalTriggers = (workflowId: string): Promise<SignalTriggerRecord[]> =>
    s.listSignalTriggers(this.query, workflowId);
}
