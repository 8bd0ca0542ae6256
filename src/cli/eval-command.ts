import { ParamType, canonical } from '../model/enums.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../model/json.js';
import type { ParamDefinition, ParamMap } from '../model/param.js';
import {
  createParamEvaluator,
  ParamError,
  runParamsFromValues,
  type EvaluatedParams,
} from '../params/index.js';
import {
  SEL_LIMIT_NAMES,
  SEL_LIMIT_PRESETS,
  SelError,
  selLimitsFromJson,
  toJson,
  typeOf,
  type Clock,
  type SelLimitPreset,
  type SelLimits,
} from '../sel/index.js';
import { selErrorInSource } from '../dsl/validate/expressions.js';
import { ExitCode, type Io } from './io.js';

export interface EvalOptions {
  readonly params?: string;
  readonly limits?: string;
  readonly now?: string;
}

interface EvalFailure {
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

class UsageError extends Error {}

/**
 * `baton eval EXPRESSION [--params JSON] [--limits JSON] [--now MILLIS]`: evaluates one SEL expression (the final
 * `;` is optional, as for param expressions) and prints `{"type": "LONG", "value": 17}`, or
 * `{"error": {"code", "message", "line", "column"}}` with exit code 2. `--params` takes plain values
 * (`{"x": 1}`) or Maestro param definitions (`{"x": {"type": "LONG", "expression": "y + 1"}}`), evaluated in
 * dependency order; `--now` fixes the clock SEL reads.
 */
export function evalCommand(
  io: Io,
  expression: string,
  options: EvalOptions,
  clock: Clock = { now: () => Date.now() },
): ExitCode {
  const fail = (error: EvalFailure): ExitCode => {
    io.stdout(`${JSON.stringify({ error })}\n`);
    return ExitCode.INVALID;
  };
  let counter = 0n;
  try {
    const now = options.now === undefined ? clock : fixedClock(options.now);
    const limits = options.limits === undefined ? undefined : parseLimits(options.limits);
    const evaluator = createParamEvaluator({ clock: now }, limits === undefined ? {} : { limits });
    const context = { instance: {}, nextUniqueId: () => ++counter };
    const scope: EvaluatedParams | undefined =
      options.params === undefined
        ? undefined
        : evaluator.evaluate({ params: paramsFromJson(options.params), context });
    const result = evaluator.evaluateExpression(expression, scope, context);
    io.stdout(`${JSON.stringify({ type: typeOf(result), value: toJson(result) })}\n`);
    return ExitCode.OK;
  } catch (err) {
    if (err instanceof SelError) return fail({ code: err.selCode, ...selErrorInSource(err, expression) });
    if (err instanceof ParamError) {
      const first = err.issues[0];
      return fail({ code: err.paramCode, message: err.message, ...(first ? { param: first.param } : {}) });
    }
    if (err instanceof UsageError) return fail({ code: 'INVALID_ARGUMENT', message: err.message });
    throw err;
  }
}

function fixedClock(text: string): Clock {
  const millis = Number(text);
  if (!Number.isSafeInteger(millis))
    throw new UsageError(`--now needs epoch milliseconds, not ${JSON.stringify(text)}`);
  return { now: () => millis };
}

function parseJson(text: string, flag: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new UsageError(`${flag} is not JSON: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

const PRESETS = Object.keys(SEL_LIMIT_PRESETS).join(', ');

/** `baton eval --help`'s line for --limits: the names and the presets. */
export const EVAL_LIMITS_HELP =
  `sandbox limits as JSON, e.g. '{"loop": 10, "timeout_ms": 5000}' (names: ${SEL_LIMIT_NAMES.join(', ')}), ` +
  `or a preset: ${PRESETS}`;

function parseLimits(text: string): Partial<SelLimits> | SelLimitPreset {
  if (Object.hasOwn(SEL_LIMIT_PRESETS, text)) return text as SelLimitPreset;
  const json = parseJson(text, '--limits');
  if (!isJsonObject(json))
    throw new UsageError(`--limits takes a JSON object such as {"loop": 10} or a preset (${PRESETS})`);
  const { limits, problems } = selLimitsFromJson(json);
  if (problems.length > 0) throw new UsageError(`--limits: ${problems.join('; ')}`);
  return limits;
}

/** The eval options that take a value; the first argument that is none of them or their values is the expression. */
const VALUE_OPTIONS = new Set(['--params', '--limits', '--now']);

/**
 * Makes the expression an operand even when it begins with `-` (`baton eval "-7 / 2"`), which the option parser
 * would take for an unknown option: the expression is moved after a `--`, the options stay in front. Arguments
 * that start with `--` and options after the expression are left to the parser (and its errors).
 */
export function protectExpression(args: readonly string[]): string[] {
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') return [...args];
    if (VALUE_OPTIONS.has(a)) {
      options.push(a, ...args.slice(i + 1, i + 2));
      i++;
    } else if (a.startsWith('--') || a === '-h') options.push(a);
    else
      return [...options, ...withoutExpression(args.slice(i + 1)), '--', a, ...operands(args.slice(i + 1))];
  }
  return options;
}

/** The options among the arguments after the expression (each with its value), ... */
function withoutExpression(rest: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (!a.startsWith('-') || a === '-') continue;
    out.push(a);
    if (VALUE_OPTIONS.has(a) && i + 1 < rest.length) out.push(rest[++i] as string);
  }
  return out;
}

/** ... and the other operands, left for the parser to report as one argument too many. */
function operands(rest: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-') || a === '-') out.push(a);
  }
  return out;
}

/** `{"x": 1}` values and `{"x": {"type": "LONG", "value": 1}}` definitions, mixed freely. */
function paramsFromJson(text: string): ParamMap {
  const json = parseJson(text, '--params');
  if (!isJsonObject(json))
    throw new UsageError('--params takes a JSON object of names to values or param definitions');
  const definitions: Record<string, ParamDefinition> = {};
  const values: Record<string, JsonValue> = {};
  for (const [name, v] of Object.entries(json)) {
    const def = asDefinition(v);
    if (def) definitions[name] = def;
    else values[name] = v;
  }
  return { ...runParamsFromValues(values), ...definitions };
}

function asDefinition(v: JsonValue): ParamDefinition | undefined {
  if (!isJsonObject(v)) return undefined;
  const type = canonical(ParamType, v['type']);
  if (type === undefined || !('value' in v || 'expression' in v)) return undefined;
  const rest = v as JsonObject & { expression?: string };
  return { ...(rest as unknown as ParamDefinition), type };
}
