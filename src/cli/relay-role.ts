import type { Clock } from '../engine/clock.js';
import { loadEventsConfig, startRelay, type EventsConfig, type Relay } from '../events/index.js';
import { ValidationError } from '../model/errors.js';
import type { Store } from '../store/port.js';
import type { Io } from './io.js';

/**
 * The events file of `baton server` (`--events` or `BATON_EVENTS`): the relay's sinks and the signal sources, read
 * before anything starts (a bad file stops the server with every problem listed). No file: nothing to publish to
 * and no source (said once it started).
 */
export function readEventsFile(io: Io, file: string | undefined): { config?: EventsConfig; error?: true } {
  if (file === undefined || file === '') return {};
  try {
    return { config: loadEventsConfig(file, process.env) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    io.stderr(`baton server: ${error.message}\n`);
    return { error: true };
  }
}

/** Starts the relay when the role has a sinks file; else says why it has nothing to run. */
export function startRelayRole(
  io: Io,
  { store, clock }: { store: Store; clock: Clock },
  owner: string,
  role: { config?: EventsConfig },
): Relay | undefined {
  const { config } = role;
  if (config?.sinks === undefined) {
    const why =
      config === undefined ? 'give a sinks file: --events FILE or BATON_EVENTS' : 'its file lists no sinks';
    io.stderr(`baton server: role relay has nothing to publish to (${why})\n`);
    return undefined;
  }
  io.stderr(
    `baton server: relay publishing to ${config.sinks.map((s) => `${s.name} (${s.type})`).join(', ')}\n`,
  );
  return startRelay(
    { store, clock, log: (line) => io.stderr(`${new Date().toISOString()} ${line}\n`) },
    { config, owner },
  );
}
