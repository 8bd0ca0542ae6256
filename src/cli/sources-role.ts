import type { EventsConfig } from '../events/index.js';
import { startSources, type Sources } from '../events/sources/sources.js';
import type { Baton } from '../server/compose.js';
import type { Io } from './io.js';

/**
 * The signal sources of the `scheduler` role: subscribes to every broker source of the events file (webhook
 * sources are served by the api role). No file or no broker source: says so once and runs nothing.
 */
export function startSourcesRole(
  io: Io,
  baton: Pick<Baton, 'store' | 'clock' | 'signals'>,
  owner: string,
  config: EventsConfig | undefined,
): Sources | undefined {
  const brokers = (config?.sources ?? []).filter((s) => s.type !== 'webhook');
  if (brokers.length === 0) {
    io.stderr('baton server: role scheduler subscribes to no signal source (none in the events file)\n');
    return undefined;
  }
  io.stderr(`baton server: signals from ${brokers.map((s) => `${s.name} (${s.type})`).join(', ')}\n`);
  const retry = config?.retry;
  return startSources(
    {
      store: baton.store,
      clock: baton.clock,
      announcer: baton.signals,
      log: (line) => io.stderr(`${new Date().toISOString()} ${line}\n`),
    },
    {
      sources: brokers,
      owner,
      retry: {
        ...(retry?.initial_ms === undefined ? {} : { initialMs: retry.initial_ms }),
        ...(retry?.max_ms === undefined ? {} : { maxMs: retry.max_ms }),
      },
    },
  );
}
