import { openEmbedded } from './embedded.js';
import { ExitCode, type Io } from './io.js';

export interface ServerCommandOptions {
  readonly db: string;
  readonly leaseMs?: string;
  readonly workers?: string;
}

/**
 * `baton server`: runs the engine (all roles) on a store until SIGINT or SIGTERM: it picks up queued runs, timers
 * and work abandoned by a process that died. Until the HTTP API lands, the server is headless.
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
  const embedded = await openEmbedded({
    db: options.db,
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(workers === undefined ? {} : { workers }),
  });
  embedded.engine.onRunChange(({ run }) => {
    if (run.end_time !== undefined)
      io.stdout(
        `${new Date().toISOString()} run ${run.workflow_id}/${run.instance_id}/${run.run_id} ${run.status}\n`,
      );
  });
  embedded.engine.start();
  io.stderr(
    `baton server: engine ${embedded.engine.owner} on ${options.db} (all roles; the HTTP API is not there yet)\n`,
  );
  await stopSignal;
  await embedded.close();
  return ExitCode.OK;
}
