import type { JsonObject } from '../../model/json.js';
import type { SignalInstance, SignalParamValue } from '../../model/signal.js';
import type { Page, PageRequest } from './listings.js';

/**
 * Signals (REFERENCE §7.2): announced instances of a named signal, numbered per name from 1, with their params
 * indexed for matching. Each name has a counter row; locking it serialises the announcements of that name with
 * whoever registers interest in it (a trigger subscription, a step's wait), so a signal never slips between a
 * reader's "what is there" and its registration: the reader locks the name, reads the last seq, registers, and an
 * announcement of the name waits for that transaction to end.
 */
export interface SignalTx {
  /**
   * Stores a signal instance as the next of its name (`seq_id` = the name's last + 1), under the name's lock. An
   * `instance_id` already stored for the name is DUPLICATED: nothing is written and the stored instance comes back.
   */
  announceSignal(signal: NewSignal): Promise<StoredSignal>;
  /** One instance by its seq id, or the name's latest; undefined when there is none. */
  getSignal(name: string, seq: number | 'latest'): Promise<SignalInstance | undefined>;
  /** The name's last seq id (0 when it has none), without locking. */
  latestSignalSeq(name: string): Promise<number>;
  /**
   * Locks these names' counters until the transaction ends (creating them when needed; in sorted order, so two
   * lockers never wait for each other) and returns each name's last seq id (0 when it has none). Announcements of
   * these names wait until then.
   */
  lockSignalNames(names: readonly string[]): Promise<Record<string, number>>;
  /**
   * The earliest instance of `name` with `seq_id > afterSeq` whose params meet every constraint (with none: the
   * earliest of the name after `afterSeq`). A constraint only matches a param of its value's type: a string is
   * compared as text (by code point), a number numerically. Reads the param index, driven by the first `=`
   * constraint when there is one.
   */
  findSignal(
    name: string,
    constraints: readonly SignalConstraint[],
    afterSeq: number,
  ): Promise<SignalInstance | undefined>;
  /** A name's instances, newest first (position: `seq_id`). PK of signal_instance. */
  listSignals(name: string, page: PageRequest<number>): Promise<Page<SignalInstance>>;
}

export const SIGNAL_OPERATORS = ['=', '>', '>=', '<', '<='] as const;
export type SignalOperator = (typeof SIGNAL_OPERATORS)[number];

/** One condition on a signal's param: `param operator value`, e.g. `watermark >= 12345`. */
export interface SignalConstraint {
  readonly param: string;
  readonly operator: SignalOperator;
  readonly value: SignalParamValue;
}

/** A signal as the announce path stores it: validated, with its instance id and times settled. */
export interface NewSignal {
  readonly name: string;
  readonly instance_id: string;
  readonly params: Readonly<Record<string, SignalParamValue>>;
  readonly payload: JsonObject;
  readonly request_time: number;
  readonly create_time: number;
}

export interface StoredSignal {
  readonly status: 'CREATED' | 'DUPLICATED';
  readonly signal: SignalInstance;
}
