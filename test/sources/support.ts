import { FakeClock } from '../../src/engine/clock.js';
import { ValidationError } from '../../src/model/errors.js';
import type {
  AnnouncedSignal,
  SignalAnnouncement,
  SignalAnnouncer,
  SignalInstance,
} from '../../src/model/signal.js';
import type { IntakeDeps } from '../../src/events/sources/intake.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { Store } from '../../src/store/port.js';
import { pollUntil } from '../support/deadline.js';

/**
 * A real announcer for the source suites, kept in a Map: it validates the name, stores each signal once per
 * request id (absent: the name and the sorted params) and answers DUPLICATED for one it has. Tests can make it
 * fail for now (`failNext`), fail after it stored (`loseAnswerNext`: the commit happened, the answer was lost), or
 * hold an announcement until released (`hold`), to see when a source acknowledges.
 */
export class MapAnnouncer implements SignalAnnouncer {
  readonly signals = new Map<string, SignalInstance>();
  calls = 0;
  private failures = 0;
  private lostAnswers = 0;
  private gate: Promise<void> | undefined;

  constructor(private readonly clock: FakeClock) {}

  failNext(times = 1): void {
    this.failures += times;
  }

  loseAnswerNext(): void {
    this.lostAnswers += 1;
  }

  /** Announcements wait until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  get names(): string[] {
    return [...this.signals.values()].map((s) => s.name);
  }

  async announce(a: SignalAnnouncement): Promise<AnnouncedSignal> {
    this.calls += 1;
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('the store is down');
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(a.name))
      throw new ValidationError('invalid signal', [
        { code: 'invalid', path: ['name'], message: `'${a.name}' is not a signal name` },
      ]);
    const params = a.params ?? {};
    const id = a.request_id ?? JSON.stringify(Object.entries(params).sort(([x], [y]) => x.localeCompare(y)));
    const key = `${a.name}\u0000${id}`;
    const found = this.signals.get(key);
    const answer: AnnouncedSignal = found
      ? { status: 'DUPLICATED', signal: found }
      : { status: 'CREATED', signal: this.store(key, a, id) };
    if (this.lostAnswers > 0) {
      this.lostAnswers -= 1;
      throw new Error('the connection dropped before the commit was confirmed');
    }
    return answer;
  }

  private store(key: string, a: SignalAnnouncement, id: string): SignalInstance {
    const seq = [...this.signals.values()].filter((s) => s.name === a.name).length + 1;
    const now = this.clock.now();
    const signal: SignalInstance = {
      name: a.name,
      seq_id: seq,
      instance_id: id,
      params: a.params ?? {},
      payload: a.payload ?? {},
      request_time: a.request_time ?? now,
      create_time: now,
    };
    this.signals.set(key, signal);
    return signal;
  }
}

export interface SourceWorld {
  readonly clock: FakeClock;
  readonly store: Store;
  readonly announcer: MapAnnouncer;
  readonly deps: IntakeDeps;
  readonly log: string[];
}

export async function openSourceWorld(): Promise<SourceWorld> {
  const clock = new FakeClock();
  const store = await openSqliteStore({ clock }, { path: ':memory:' });
  const announcer = new MapAnnouncer(clock);
  const log: string[] = [];
  return { clock, store, announcer, log, deps: { store, clock, announcer, log: (line) => log.push(line) } };
}

/** Moves the fake clock once a source is pausing on it (its backoff timer is set), so the move cannot come early. */
export async function advanceBackoff(world: SourceWorld, ms: number): Promise<void> {
  await pollUntil(async () => world.clock.pendingTimers > 0, 'a source pausing for its backoff');
  world.clock.advance(ms);
}

export const parkedOf = (world: SourceWorld, source: string) =>
  world.store.transact((tx) => tx.listParkedMessages(source, 0, 100));

/** The mapping the suites use: `{"table": "...", "date": 20261207, "id": "..."}` → signal `table_landed`. */
export const LANDED_MAPPING = {
  name: 'table_landed',
  params: { table: '/table', date: '/date' },
} as const;
