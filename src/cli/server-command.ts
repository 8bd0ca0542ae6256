import { maxIterationsProblem } from './max-iterations.js';
import type { FastifyInstance } from 'fastify';
import type { EventsConfig } from '../events/index.js';
import type { ApiOptions } from '../server/api-deps.js';
import { buildApi } from '../server/app.js';
import { authOptionsFromEnv } from '../server/auth.js';
import { openBaton, type Baton } from '../server/compose.js';
import { redact } from '../server/open-store.js';
import { loggerOptions, readLogLevel, type LogLevel } from '../server/logger.js';
import { claimsOf, parseRoles, ROLES, type Role } from '../server/roles.js';
import { readExamples, runExamples } from './examples.js';
import { parseCatchUp } from '../triggers/catch-up.js';
import { readEventsFile, startRelayRole } from './relay-role.js';
import { startSourcesRole } from './sources-role.js';
import { ExitCode, type Io } from './io.js';

export interface ServerCommandOptions {
  readonly db: string;
  readonly host: string;
  readonly port: string;
  readonly leaseMs?: string;
  readonly workers?: string;
  readonly maxIterations?: string;
  readonly roles?: string;
  readonly timeScale?: string;
  /** A folder of definitions to push and start once (what `npm start` does with `examples/`). */
  readonly examples?: string;
  /** The events file: the relay role's sinks, the scheduler's and the api's signal sources (default: $BATON_EVENTS). */
  readonly events?: string;
  /** The API's log level (default: $BATON_LOG_LEVEL, else info). */
  readonly logLevel?: string;
  /** Missed fire times: latest, all or none (default: $BATON_TRIGGER_CATCH_UP, else latest). */
  readonly triggerCatchUp?: string;
}

type Numbers = {
  leaseMs?: number;
  workers?: number;
  timeScale?: number;
  loopIterations?: number;
  port: number;
};

/** Reads the numeric options; undefined after printing what is wrong. */
function readNumbers(io: Io, options: ServerCommandOptions): Numbers | undefined {
  const fail = (text: string): undefined => {
    io.stderr(`baton server: ${text}\n`);
    return undefined;
  };
  const n = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const leaseMs = n(options.leaseMs);
  const workers = n(options.workers);
  const timeScale = n(options.timeScale);
  const loopIterations = n(options.maxIterations);
  const port = Number(options.port);
  if (leaseMs !== undefined && !(Number.isInteger(leaseMs) && leaseMs >= 100))
    return fail(`--lease-ms must be a whole number of at least 100, not '${options.leaseMs}'`);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
    return fail(`--workers must be a whole number of at least 1, not '${options.workers}'`);
  if (timeScale !== undefined && !(timeScale > 0 && timeScale <= 1000))
    return fail(`--time-scale must be a number above 0, not '${options.timeScale}'`);
  const iterations = maxIterationsProblem(options.maxIterations);
  if (iterations) return fail(iterations);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
    return fail(`--port must be a port number from 0 to 65535, not '${options.port}'`);
  return {
    port,
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(workers === undefined ? {} : { workers }),
    ...(timeScale === undefined ? {} : { timeScale }),
    ...(loopIterations === undefined ? {} : { loopIterations }),
  };
}

/**
 * `baton server`: runs the chosen roles on a store until SIGINT or SIGTERM. `engine` claims timers and admissions
 * of queued runs (it decides); `worker` claims step attempts and runs them; `api` serves Maestro's REST API. Any
 * number of processes with any roles may share one PostgreSQL store.
 */
export async function serverCommand(
  io: Io,
  options: ServerCommandOptions,
  stopSignal: Promise<unknown>,
): Promise<ExitCode> {
  const numbers = readNumbers(io, options);
  if (!numbers) return ExitCode.INVALID;
  const parsed = parseRoles(options.roles ?? ROLES.join(','));
  if ('error' in parsed) {
    io.stderr(`baton server: ${parsed.error}\n`);
    return ExitCode.INVALID;
  }
  let logLevel: LogLevel;
  try {
    logLevel = readLogLevel(options.logLevel);
  } catch (error) {
    io.stderr(`baton server: ${(error as Error).message}\n`);
    return ExitCode.INVALID;
  }
  const auth = authOptionsFromEnv(process.env);
  if ('error' in auth) {
    io.stderr(`baton server: ${auth.error}\n`);
    return ExitCode.INVALID;
  }
  const catchUpText = options.triggerCatchUp ?? process.env['BATON_TRIGGER_CATCH_UP'];
  const catchUp = catchUpText === undefined ? undefined : parseCatchUp(catchUpText);
  if (catchUp && 'error' in catchUp) {
    io.stderr(`baton server: --trigger-catch-up: ${catchUp.error}\n`);
    return ExitCode.INVALID;
  }
  const examples = options.examples === undefined ? undefined : readExamples(io, options.examples);
  if (options.examples !== undefined && !examples) return ExitCode.INVALID;
  const events = parsed.roles.some((r) => r === 'relay' || r === 'scheduler' || r === 'api')
    ? readEventsFile(io, options.events ?? process.env['BATON_EVENTS'])
    : {};
  if (events.error) return ExitCode.INVALID;
  const baton = await openBaton({
    db: options.db,
    claims: claimsOf(parsed.roles),
    ...(catchUp === undefined ? {} : { catchUp: catchUp.catchUp }),
    ...(numbers.leaseMs === undefined ? {} : { leaseMs: numbers.leaseMs }),
    ...(numbers.workers === undefined ? {} : { workers: numbers.workers }),
    ...(numbers.timeScale === undefined ? {} : { timeScale: numbers.timeScale }),
    ...(numbers.loopIterations === undefined ? {} : { loopIterations: numbers.loopIterations }),
  });
  // One line per run as it ends; the examples' runs have their own lines (their steps as they change).
  const shown = new Set(examples?.map((w) => w.workflow.id));
  baton.engine.onRunChange(({ run }) => {
    if (run.end_time !== undefined && !shown.has(run.workflow_id))
      io.stdout(
        `${new Date().toISOString()} run ${run.workflow_id}/${run.instance_id}/${run.run_id} ${run.status}\n`,
      );
  });
  baton.engine.start();
  let app: FastifyInstance | undefined;
  if (parsed.roles.includes('api')) {
    app = await listen(io, baton, options.host, numbers.port, {
      logger: loggerOptions(logLevel),
      logDir: baton.logDir,
      auth,
      ...(events.config?.sources === undefined
        ? {}
        : { sources: { config: events.config.sources, announcer: baton.signals } }),
    });
    if (!app) {
      await baton.close();
      return ExitCode.FAILED;
    }
  }
  io.stderr(
    `baton server: ${baton.engine.owner} on ${redact(options.db)}, roles ${parsed.roles.join(',')}, ` +
      `step logs in ${baton.logDir}\n`,
  );
  const background = startBackgroundRoles(io, baton, parsed.roles, events.config);
  if (examples) {
    io.stdout(
      `baton: running ${examples.length} workflows from ${options.examples} on ${redact(options.db)}\n`,
    );
    runExamples(io, baton.engine, examples).then(
      () => io.stdout(`The examples have ended; Baton goes on serving until Ctrl-C.\n`),
      (error: unknown) => io.stderr(`baton server: the examples could not run: ${String(error)}\n`),
    );
  }
  await stopSignal;
  await background.stop();
  await app?.close();
  await baton.close();
  return ExitCode.OK;
}

/**
 * The roles that run beside the engine: the relay (events out) and the scheduler's signal sources (signals in).
 * `stop` ends the sources first (their messages in hand settled), then the relay.
 */
function startBackgroundRoles(
  io: Io,
  baton: Baton,
  roles: readonly Role[],
  config: EventsConfig | undefined,
): { stop(): Promise<void> } {
  const owner = baton.engine.owner;
  const relaying = roles.includes('relay')
    ? startRelayRole(io, baton, owner, { ...(config ? { config } : {}) })
    : undefined;
  const sources = roles.includes('scheduler') ? startSourcesRole(io, baton, owner, config) : undefined;
  return {
    async stop() {
      await sources?.stop();
      await relaying?.stop();
    },
  };
}

/** Serves the API; undefined (after one line saying why) when the address cannot be used. */
async function listen(
  io: Io,
  baton: Baton,
  host: string,
  port: number,
  apiOptions: ApiOptions,
): Promise<FastifyInstance | undefined> {
  const app = await buildApi({ engine: baton.engine, store: baton.store, clock: baton.clock }, apiOptions);
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is in use (another baton server?); choose another with --port or BATON_PORT`
        : `cannot listen on ${host}:${port}: ${(error as Error).message}`;
    io.stderr(`baton server: ${why}\n`);
    await app.close();
    return undefined;
  }
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  io.stdout(
    `Baton is serving http://${shown}:${actual} (API /api/v3, docs /api/docs; authentication ${apiOptions.auth?.mode ?? 'off'})\n`,
  );
  return app;
}
