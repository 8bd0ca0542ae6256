import { createApiClient, type ApiClient } from '../../client/api-client.js';
import { ApiError, BadAnswerError, ServerUnreachableError } from '../../client/errors.js';
import { normalizeBaseUrl } from '../../client/http.js';
import type { Json, ParamDefinition } from '../../client/types.js';
import { ExitCode, type Io } from '../io.js';
import { parseParams } from '../run-command.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** Options every client command takes. */
export interface ConnectionOptions {
  readonly url?: string;
  readonly json?: boolean;
}

/** What a client command gets: its output, the API, and whether to print JSON. */
export interface ClientContext {
  readonly io: Io;
  readonly api: ApiClient;
  readonly json: boolean;
  /** The command's name, for messages (`baton stop: ...`). */
  readonly name: string;
  /** Prints a value as the API's JSON (indented on a terminal). */
  printJson(value: unknown): void;
}

/** A command's failure that is the user's to fix (exit 2), said in one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs one client command: builds the API client from `--url` (else $BATON_URL, else 127.0.0.1:8080), $BATON_TOKEN
 * and $BATON_USER (else $USER), and turns every failure into one message and its exit code (docs/cli.md):
 * 2 for bad input and 4xx answers (501 included: the server does not do that yet, asking again will not help),
 * 3 when the server could not be reached or answered 5xx.
 */
export async function runClient(
  io: Io,
  name: string,
  options: ConnectionOptions,
  body: (ctx: ClientContext) => Promise<ExitCode>,
): Promise<ExitCode> {
  const env = process.env;
  const url = options.url ?? (env['BATON_URL'] || DEFAULT_URL);
  try {
    normalizeBaseUrl(url);
  } catch (error) {
    io.stderr(`baton ${name}: --url ${(error as Error).message}\n`);
    return ExitCode.INVALID;
  }
  const token = env['BATON_TOKEN'];
  const user = env['BATON_USER'] || env['USER'];
  const api = createApiClient({ url, ...(token ? { token } : {}), ...(user ? { user } : {}) });
  const ctx: ClientContext = {
    io,
    api,
    json: options.json === true,
    name,
    printJson: (value) => io.stdout(`${JSON.stringify(value, null, io.isTTY ? 2 : undefined)}\n`),
  };
  try {
    return await body(ctx);
  } catch (error) {
    return reportFailure(io, name, error);
  }
}

/** One line (and, for an API error, one more per listed error) on stderr, and the exit code of the failure. */
export function reportFailure(io: Io, name: string, error: unknown): ExitCode {
  const prefix = `baton ${name}:`;
  if (error instanceof UsageError) {
    io.stderr(`${prefix} ${error.message}\n`);
    return ExitCode.INVALID;
  }
  if (error instanceof ServerUnreachableError) {
    io.stderr(`${prefix} ${error.message}\n`);
    return ExitCode.UNAVAILABLE;
  }
  if (error instanceof ApiError) {
    io.stderr(`${prefix} ${error.message} (HTTP ${error.status} ${error.body.status})\n`);
    for (const detail of error.errors.length > 1 ? error.errors : [])
      io.stderr(`  ${detail.field ? `${detail.field}: ` : ''}${detail.message} [${detail.code}]\n`);
    return error.status >= 500 && error.status !== 501 ? ExitCode.UNAVAILABLE : ExitCode.INVALID;
  }
  if (error instanceof BadAnswerError) {
    io.stderr(`${prefix} ${error.message}\n`);
    return ExitCode.UNAVAILABLE;
  }
  throw error;
}

/** A positive whole number from the command line (an instance, run or attempt id; a limit). */
export function wholeNumber(what: string, text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${what} must be a whole number from 1, not '${text}'`);
  return n;
}

/** Repeatable options collect their values. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `--param NAME=VALUE` as Maestro's run param definitions: the value is read as JSON when it parses, and its type
 * follows from it (5 → LONG, 1.5 → DOUBLE, true → BOOLEAN, [1,2] → LONG_ARRAY, {"k":"v"} → STRING_MAP, text → STRING).
 */
export function runParamsOf(pairs: readonly string[]): Record<string, ParamDefinition> | undefined {
  if (pairs.length === 0) return undefined;
  const values = parseParams(pairs);
  if (typeof values === 'string') throw new UsageError(values);
  const out: Record<string, ParamDefinition> = {};
  for (const [name, value] of Object.entries(values))
    out[name] = { type: typeOf(value as Json), value: value as Json };
  return out;
}

function typeOf(value: Json): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'LONG' : 'DOUBLE';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'string' || value === null) return 'STRING';
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === 'number'))
      return value.every((v) => Number.isInteger(v)) ? 'LONG_ARRAY' : 'DOUBLE_ARRAY';
    if (value.length > 0 && value.every((v) => typeof v === 'boolean')) return 'BOOLEAN_ARRAY';
    return 'STRING_ARRAY';
  }
  return Object.values(value).every((v) => typeof v === 'string') ? 'STRING_MAP' : 'MAP';
}
