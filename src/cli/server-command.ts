import { openBaton } from '../server/compose.js';
import { claimsOf, parseRoles, ROLES, type Role } from '../server/roles.js';
import { ExitCode, type Io } from './io.js';
import { redact } from '../server/open-store.js';

export interface ServerCommandOptions {
  readonly db: string;
  readonly leaseMs?: string;
  readonly workers?: string;
  readonly roles?: string;
  readonly timeScale?: string;
}

/** Roles whose part of Baton is not built yet: accepted, so deployments can name them now, and said so at start. */
const NOT_YET: Partial<Record<Role, string>> = {
  scheduler: 'time and signal triggers are not built yet',
  relay: 'outbox sinks are not built yet',
  api: 'the HTTP API is not built yet',
};

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
  const embedded = await openBaton({
    db: options.db,
    claims: claimsOf(parsed.roles),
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
  await stopSignal;
  await embedded.close();
  return ExitCode.OK;
}
