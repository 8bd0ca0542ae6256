import type { EngineOptions } from '../engine/engine.js';
import { openEmbedded } from './embedded.js';
import { ExitCode, type Io } from './io.js';
import { redact } from './open-store.js';
import { relayRole, startRelayRole } from './relay-role.js';

export interface ServerCommandOptions {
  readonly db: string;
  readonly leaseMs?: string;
  readonly workers?: string;
  readonly roles?: string;
  readonly timeScale?: string;
  /** The sinks file of the relay role (default: $BATON_EVENTS). */
  readonly events?: string;
}

/** The roles of `baton server --roles`, and what each claims from the store. */
export const ROLES = ['engine', 'worker', 'scheduler', 'relay', 'api'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose part of Baton is not built yet: accepted, so deployments can name them now, and said so at start. */
const NOT_YET: Partial<Record<Role, string>> = {
  scheduler: 'time and signal triggers are not built yet',
  api: 'the HTTP API is not built yet',
};

export function parseRoles(text: string): { roles: Role[] } | { error: string } {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !(ROLES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    return {
      error: `--roles takes a comma-separated list of ${ROLES.join(', ')}; '${unknown[0] ?? text}' is not one`,
    };
  }
  return { roles: [...new Set(names as Role[])] };
}

/**
 * `baton server`: runs the chosen roles on a store until SIGINT or SIGTERM. `engine` claims timers and admissions
 * of queued runs (it decides); `worker` claims step attempts and runs them (and records their results). Any number
 * of processes with any roles may share one PostgreSQL store.
 */
export async function serverCommand(
  io: Io,
  options: ServerCommandOptions,
  stopSignal: Promise<unknown>,
): Promise<ExitCode> {
  const leaseMs = options.leaseMs === undefined ? undefined : Number(options.leaseMs);
  const workers = options.workers === undefined ? undefined : Number(options.workers);
  if (leaseMs !== undefined && !(Number.isInteger(leaseMs) && leaseMs >= 100)) {
    io.stderr(`baton server: --lease-ms must be a whole number of at least 100, not '${options.leaseMs}'\n`);
    return ExitCode.INVALID;
  }
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) {
    io.stderr(`baton server: --workers must be a whole number of at least 1, not '${options.workers}'\n`);
    return ExitCode.INVALID;
  }
  const timeScale = options.timeScale === undefined ? undefined : Number(options.timeScale);
  if (timeScale !== undefined && !(timeScale > 0 && timeScale <= 1000)) {
    io.stderr(`baton server: --time-scale must be a number above 0, not '${options.timeScale}'\n`);
    return ExitCode.INVALID;
  }
  const parsed = parseRoles(options.roles ?? ROLES.join(','));
  if ('error' in parsed) {
    io.stderr(`baton server: ${parsed.error}\n`);
    return ExitCode.INVALID;
  }
  const relay = parsed.roles.includes('relay')
    ? relayRole(io, options.events ?? process.env['BATON_EVENTS'])
    : undefined;
  if (relay?.error) return ExitCode.INVALID;
  const claims: NonNullable<EngineOptions['claims']>[number][] = [];
  if (parsed.roles.includes('engine')) claims.push('decide');
  if (parsed.roles.includes('worker')) claims.push('run');
  const embedded = await openEmbedded({
    db: options.db,
    claims,
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(workers === undefined ? {} : { workers }),
    ...(timeScale === undefined ? {} : { timeScale }),
  });
  embedded.engine.onRunChange(({ run }) => {
    if (run.end_time !== undefined)
      io.stdout(
        `${new Date().toISOString()} run ${run.workflow_id}/${run.instance_id}/${run.run_id} ${run.status}\n`,
      );
  });
  embedded.engine.start();
  io.stderr(
    `baton server: ${embedded.engine.owner} on ${redact(options.db)}, roles ${parsed.roles.join(',')}, ` +
      `step logs in ${embedded.logDir}\n`,
  );
  for (const role of parsed.roles) {
    const why = NOT_YET[role];
    if (why !== undefined) io.stderr(`baton server: role ${role} has nothing to run yet (${why})\n`);
  }
  const relaying = relay && startRelayRole(io, embedded.store, embedded.engine.owner, relay);
  await stopSignal;
  await relaying?.stop();
  await embedded.close();
  return ExitCode.OK;
}
