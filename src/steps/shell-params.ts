import type { JsonObject } from '../model/json.js';
import { isJsonObject } from '../model/json.js';

/** What a Shell step runs: a one-line `command` (`sh -c`) or a multi-line `script` (written to a file, `sh <file>`). */
export type ShellProgram =
  { readonly kind: 'command'; readonly text: string } | { readonly kind: 'script'; readonly text: string };

export interface ShellParams {
  readonly program: ShellProgram;
  /** Step params (see `envText`), then the `env` map on top; both already checked to be valid variable names. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export type ParamsResult =
  { readonly ok: true; readonly value: ShellParams } | { readonly ok: false; readonly message: string };

/** Params that configure the step itself, so they are not also exported as environment variables. */
const CONTROL_PARAMS = new Set(['command', 'script', 'env', 'cwd']);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/**
 * How a step param reads in the environment: text as is, numbers and booleans as `String()` writes them, arrays and
 * maps as JSON (as `${x}` interpolation writes them), so every value a command could interpolate can be passed as
 * data instead (docs/steps.md). A null param is left out.
 */
export function envText(value: JsonObject[string] | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Reads a Shell step's params. Every problem is reported at once, so a user fixes the definition in one pass.
 * Params whose names are not valid variable names are skipped silently (Maestro adds params such as `step_id`, but a
 * user param may be named `my-flag`); a bad key in the explicit `env` map is an error.
 */
export function readShellParams(params: JsonObject): ParamsResult {
  const problems: string[] = [];
  const command = readText(params, 'command', problems);
  const script = readText(params, 'script', problems);
  const badProgramType = problems.length > 0;
  const cwd = readText(params, 'cwd', problems);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (CONTROL_PARAMS.has(name) || !isEnvName(name)) continue;
    const text = envText(value);
    if (text !== undefined) env[name] = text;
  }
  readEnvMap(params['env'], env, problems);
  if (command !== undefined && script !== undefined)
    problems.push("give a Shell step either 'command' or 'script', not both");
  if (command === undefined && script === undefined && !badProgramType) {
    problems.push("a Shell step needs a 'command' or a 'script' param");
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  const program: ShellProgram =
    command !== undefined ? { kind: 'command', text: command } : { kind: 'script', text: script ?? '' };
  return { ok: true, value: { program, env, ...(cwd === undefined ? {} : { cwd }) } };
}

/** A missing, null or blank value counts as absent: an empty command that "succeeds" would hide a mistake. */
function readText(params: JsonObject, name: string, problems: string[]): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push(`'${name}' must be a string, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value.trim() === '' ? undefined : value;
}

function readEnvMap(
  value: JsonObject[string] | undefined,
  env: Record<string, string>,
  problems: string[],
): void {
  if (value === undefined || value === null) return;
  if (!isJsonObject(value)) {
    problems.push(`'env' must be a map of strings, got ${JSON.stringify(value)}`);
    return;
  }
  for (const [name, entry] of Object.entries(value)) {
    if (!isEnvName(name)) problems.push(`env: '${name}' is not a valid environment variable name`);
    else if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean')
      env[name] = String(entry);
    else problems.push(`env.${name} must be a string, got ${JSON.stringify(entry)}`);
  }
}
