import type { JsonObject } from './json.js';

/**
 * A signal param's value: a STRING or a LONG (REFERENCE §7.2). A LONG is a safe integer; only params are matched by
 * triggers and dependencies, the payload is carried along for people and steps to read.
 */
export type SignalParamValue = string | number;

/** A signal as it is announced: by the API, the CLI, a step's `signal_outputs` or a message from a signal source. */
export interface SignalAnnouncement {
  readonly name: string;
  readonly params?: Readonly<Record<string, SignalParamValue>>;
  readonly payload?: JsonObject;
  /**
   * The signal instance's id, which makes announcing idempotent: a second announcement with an id already stored
   * for the name is DUPLICATED, not a second signal. Absent: derived from the name and the params (sorted by key).
   */
  readonly request_id?: string;
  /** When the announcer says the signal happened (epoch ms); absent: the time it is stored. */
  readonly request_time?: number;
}

/** A stored signal instance. `seq_id` counts the announcements of one name from 1. */
export interface SignalInstance {
  readonly name: string;
  readonly seq_id: number;
  readonly instance_id: string;
  readonly params: Readonly<Record<string, SignalParamValue>>;
  readonly payload: JsonObject;
  readonly request_time: number;
  readonly create_time: number;
}

export interface AnnouncedSignal {
  readonly status: 'CREATED' | 'DUPLICATED';
  readonly signal: SignalInstance;
}

/**
 * The one path by which a signal enters Baton: it validates the announcement (a bad one throws `ValidationError`
 * and stores nothing), stores it exactly once and wakes what waits for it. It resolves after the signal is
 * committed, so a source acknowledges its message only then.
 */
export interface SignalAnnouncer {
  announce(announcement: SignalAnnouncement): Promise<AnnouncedSignal>;
}
