// Runs one case of Maestro's SEL conformance data (shared/maestro/conformance/sel-cases.json) and says why it
// failed, or returns null when it passed. Kept apart from the test file so the property and unit tests can reuse it.
import {
  checkSel,
  display,
  evaluateSel,
  fromJson,
  parseSel,
  SelError,
  toJson,
  typeOf,
  type SelErrorCode,
  type SelInput,
  type SelLimits,
  type SelLimitPreset,
  type SelResult,
  type SelTypeHint,
} from '../../src/sel/index.js';

export interface SelCase {
  readonly id: string;
  readonly expr: string;
  readonly vars: Record<string, unknown>;
  readonly var_types?: Record<string, string>;
  readonly limits?: SelLimitPreset | Partial<SelLimits>;
  readonly mode?: 'validate';
  readonly maestro_wrapper?: boolean;
  readonly now_millis?: number;
  readonly nondeterministic?: boolean;
  readonly expect_pattern?: string;
  readonly expect?: unknown;
  readonly type?: string;
  readonly display?: string;
  readonly tolerance?: number;
  readonly error?: string;
  readonly error_message_contains?: string;
  readonly thrown_message?: string;
  readonly caller_vars_after?: Record<string, unknown>;
}

export const ERROR_KINDS: Readonly<Record<string, SelErrorCode>> = {
  'parse error': 'PARSE_ERROR',
  'type mismatch': 'TYPE_MISMATCH',
  'unsupported method': 'UNSUPPORTED_METHOD',
  'unsupported operation': 'UNSUPPORTED_OPERATION',
  'unsupported field': 'UNSUPPORTED_FIELD',
  'unsupported class': 'UNSUPPORTED_CLASS',
  'unsupported type': 'UNSUPPORTED_TYPE',
  'class cast': 'CLASS_CAST',
  'illegal argument': 'ILLEGAL_ARGUMENT',
  'illegal field value': 'ILLEGAL_FIELD_VALUE',
  'number format': 'NUMBER_FORMAT',
  arithmetic: 'ARITHMETIC',
  thrown: 'THROWN',
  'length limit': 'LIMIT_LENGTH',
  'loop limit': 'LIMIT_LOOP',
  'array limit': 'LIMIT_ARRAY',
  'memory limit': 'LIMIT_MEMORY',
  'stack limit': 'LIMIT_STACK',
  'visit limit': 'LIMIT_VISIT',
  'array index out of bounds': 'INDEX_OUT_OF_BOUNDS',
};

/** Java input types as the case data names them -> Baton's boxing hint (also the param type `baton eval` takes). */
export function hintFor(javaType: string | undefined): SelTypeHint | undefined {
  if (javaType === undefined) return undefined;
  if (/^(long|Long|int|Integer)\[\]$/.test(javaType)) return 'LONG_ARRAY';
  if (/^(double|Double|float|Float)\[\]$/.test(javaType)) return 'DOUBLE_ARRAY';
  if (/^(boolean|Boolean)\[\]$/.test(javaType)) return 'BOOLEAN_ARRAY';
  if (javaType === 'String[]') return 'STRING_ARRAY';
  if (/^(Double|Float)/.test(javaType)) return 'DOUBLE';
  return undefined;
}

function variables(c: SelCase): Record<string, SelInput> {
  const out: Record<string, SelInput> = {};
  for (const [k, v] of Object.entries(c.vars)) {
    const t = c.var_types?.[k];
    const value = t?.startsWith('Float') && typeof v === 'number' ? Math.fround(v) : v;
    const hint = hintFor(t);
    // Cases whose input a Java caller could not box (a List) are given as something Baton cannot box either.
    if (t?.includes('ArrayList')) {
      out[k] = new Set() as unknown as SelInput;
      continue;
    }
    out[k] = hint === undefined ? (value as SelInput) : fromJson(value as SelInput, hint);
  }
  return out;
}

export function sameJson(a: unknown, b: unknown): boolean {
  const norm = (x: unknown): unknown =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x)
            .sort(([p], [q]) => (p < q ? -1 : 1))
            .map(([k, v]) => [k, norm(v)]),
        )
      : Array.isArray(x)
        ? x.map(norm)
        : x;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

function checkValue(c: SelCase, r: SelResult): string | null {
  const type = typeOf(r);
  if (type !== c.type) return `type ${type} (${display(r)}), expected ${c.type}`;
  if (c.nondeterministic === true) {
    if (c.expect_pattern !== undefined && !new RegExp(c.expect_pattern).test(display(r)))
      return `${display(r)} does not match ${c.expect_pattern}`;
    return null;
  }
  if (c.tolerance !== undefined) {
    const got = toJson(r);
    const want = c.expect;
    const nums = (x: unknown): number[] => (Array.isArray(x) ? x.map(Number) : [Number(x)]);
    const [g, w] = [nums(got), nums(want)];
    if (g.length !== w.length || g.some((x, i) => Math.abs(x - (w[i] as number)) > (c.tolerance as number)))
      return `got ${display(r)}, expected ${JSON.stringify(want)}`;
    return null;
  }
  if (type === 'NULL' || c.display === undefined) {
    return sameJson(toJson(r), c.expect)
      ? null
      : `got ${JSON.stringify(toJson(r))}, expected ${JSON.stringify(c.expect)}`;
  }
  const shown = `${type}: ${display(r)}`;
  return shown === c.display ? null : `got '${shown}', expected '${c.display}'`;
}

function checkError(c: SelCase, err: unknown): string | null {
  if (!(err instanceof SelError)) return `non-SelError thrown: ${String(err)}`;
  const want = ERROR_KINDS[c.error as string];
  if (err.selCode !== want) return `error ${err.selCode} (${err.message}), expected ${want}`;
  if (c.thrown_message !== undefined && err.message !== c.thrown_message)
    return `thrown '${err.message}', expected '${c.thrown_message}'`;
  if (c.error_message_contains !== undefined && !err.message.includes(c.error_message_contains))
    return `message '${err.message}' lacks '${c.error_message_contains}'`;
  return null;
}

/** Null when the case passes, else why not. */
export function runCase(c: SelCase): string | null {
  const limits = c.limits;
  const parseOptions = {
    ...(limits === undefined ? {} : { limits }),
    autoSemicolon: c.maestro_wrapper === true,
  };
  if (c.mode === 'validate') {
    const res = checkSel(c.expr, parseOptions);
    if (c.error !== undefined) return res.ok ? 'validated, expected an error' : checkError(c, res.error);
    if (!res.ok) return `validation failed: ${res.error?.message ?? ''}`;
    return sameJson([...res.references.names].sort(), [...(c.expect as string[])].sort())
      ? null
      : `names ${JSON.stringify(res.references.names)}`;
  }
  const vars = variables(c);
  const before = JSON.stringify(c.vars);
  let result: SelResult;
  try {
    const program = parseSel(c.expr, parseOptions);
    result = evaluateSel(program, {
      variables: vars,
      ...(limits === undefined ? {} : { limits }),
      clock: { now: () => c.now_millis ?? 1_600_000_000_000 },
    });
  } catch (err) {
    if (c.error !== undefined) return checkError(c, err);
    return `failed: ${err instanceof SelError ? `${err.selCode} ${err.message}` : String(err)}`;
  }
  if (c.error !== undefined)
    return `returned ${typeOf(result)} ${display(result)}, expected error ${c.error}`;
  if (c.caller_vars_after !== undefined && JSON.stringify(c.vars) !== before)
    return 'caller variables were changed';
  return checkValue(c, result);
}
