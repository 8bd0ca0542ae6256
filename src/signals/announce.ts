import type { AnnouncedSignal, SignalAnnouncement, SignalAnnouncer } from '../model/signal.js';
import type { NewWorkItem, Store, StoreTx } from '../store/port.js';
import { releaseWaits } from './step-waits.js';
import { validateAnnouncement } from './validation.js';
import { sortedJson, stableUuid } from './stable-uuid.js';

/**
 * The instance id of an announcement without a request id: a function of its name and params (keys sorted), so the
 * same signal announced twice (a source redelivering a message, a CLI retried) is stored once.
 */
export function derivedInstanceId(name: string, params: Readonly<Record<string, unknown>> = {}): string {
  return stableUuid('signal', sortedJson({ name, params }));
}

/** The scheduler's work item for a stored signal: match it against the triggers (and waits) that name it. */
export function signalItem(name: string, seqId: number, now: number): NewWorkItem {
  return {
    kind: 'signal',
    workflow_id: '',
    instance_id: 0,
    run_id: 0,
    payload: { name, seq_id: seqId },
    run_at: now,
    dedup_key: `signal:${seqId}:${name}`,
  };
}

/**
 * Stores an announcement in `tx` (validated first: a bad one throws `ValidationError` and stores nothing) and, when
 * it is new, the work item that has the scheduler match it, in the same transaction: a signal is never stored
 * without being matched, nor matched without being stored. For callers that announce inside a transaction of
 * their own (a step's signal outputs).
 */
export async function announceIn(
  tx: StoreTx,
  input: SignalAnnouncement | unknown,
  now: number,
): Promise<AnnouncedSignal> {
  const a = validateAnnouncement(input);
  const params = a.params ?? {};
  const stored = await tx.announceSignal({
    name: a.name,
    instance_id: a.request_id ?? derivedInstanceId(a.name, params),
    params,
    payload: a.payload,
    request_time: a.request_time ?? now,
    create_time: now,
  });
  if (stored.status === 'CREATED') {
    // The steps it releases are woken in this transaction (it holds the name's lock, as their registration does);
    // the triggers naming it are matched by the scheduler, from its item.
    const woken = await releaseWaits(tx, stored.signal, now);
    await tx.enqueue([...woken, signalItem(a.name, stored.signal.seq_id, now)]);
  }
  return stored;
}

/**
 * The `SignalAnnouncer` every signal path shares (API, CLI, signal sources): one transaction per announcement,
 * resolved once committed. The enqueued item wakes the schedulers through the store's `onWork` (in process, or
 * LISTEN/NOTIFY on PostgreSQL).
 */
export function createSignalAnnouncer(deps: {
  readonly store: Store;
  readonly clock: { now(): number };
}): SignalAnnouncer {
  return {
    announce: async (announcement) => {
      // Validated before the transaction too, so a bad announcement costs no round trip.
      validateAnnouncement(announcement);
      return deps.store.transact((tx) => announceIn(tx, announcement, deps.clock.now()));
    },
  };
}
