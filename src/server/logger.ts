import type { FastifyServerOptions } from 'fastify';
import { ValidationError } from '../model/errors.js';

/** pino's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * What is never written to the log: the authorization header (wherever a request's headers are logged) and any
 * `token` field up to four levels deep (pino's redaction takes fixed paths, so deeper ones are not covered).
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'request.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  'req.headers.cookie',
  'headers.cookie',
  'token',
  '*.token',
  '*.*.token',
  '*.*.*.token',
];

/**
 * The log level of `baton server`: `--log-level`, else `BATON_LOG_LEVEL`, else `info`. An unknown level is an error
 * that names where it came from and the levels there are.
 */
export function readLogLevel(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const [given, where] =
    flag !== undefined ? [flag, '--log-level'] : [env['BATON_LOG_LEVEL'], 'BATON_LOG_LEVEL'];
  if (given === undefined || given === '') return 'info';
  const level = given.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new ValidationError(
    `${where}: '${given}' is not a log level; use one of ${LOG_LEVELS.join(', ')}`,
    [],
  );
}

/**
 * Fastify's logger for `baton server` (`buildApi(deps, { logger: loggerOptions(level) })`): JSON lines on stderr
 * (stdout keeps the server's lines for people: its URL, runs as they end) with a numeric `level`, a time and the
 * request id, secrets redacted (`REDACTED_PATHS`). `destination` replaces stderr (tests read it).
 *
 * @example
 *   const app = await buildApi(deps, { logger: loggerOptions(readLogLevel(options.logLevel)), logDir: baton.logDir });
 */
export function loggerOptions(
  level: LogLevel,
  destination?: { write(line: string): void },
): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    stream: destination ?? process.stderr,
  };
}
