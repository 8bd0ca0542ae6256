import { DEFAULT_LIMITS } from '../model/limits.js';
import type { ParamDefinition, ParamMap } from '../model/param.js';
import {
  evaluateSel,
  parseSel,
  SelError,
  type Clock,
  type SelInput,
  type SelLimitPreset,
  type SelLimits,
  type SelResult,
} from '../sel/index.js';
import { coerceInput, coerceSelResult } from './coerce.js';
import { paramValueToSel } from './value-convert.js';
import { ParamError, paramIssue, ParamErrorCode, type ParamIssue } from './errors.js';
import { interpolate } from './interpolate.js';
import { modeOf } from './modes.js';
import { evaluationOrder, isNestedDefinitions, prepareParam, type PreparedParam } from './references.js';
import { paramsJsonSize } from './params-json.js';
import { createSelParams, type ParamContext } from './sel-params.js';
import {
  ParamSource,
  type EvaluatedParam,
  type EvaluatedParams,
  type ParamValue,
  type ParamValueMap,
  type SourcedParam,
} from './types.js';

export interface ParamEvaluatorDeps {
  readonly clock: Clock;
  /** Randomness for `Math.random` / `UUID.randomUUID` (default Math.random). */
  readonly random?: () => number;
}

export interface ParamEvaluatorOptions {
  /** SEL sandbox limits (default Maestro's production limits). */
  readonly limits?: Partial<SelLimits> | SelLimitPreset;
  /** Characters of JSON the params of one instance may take (default 750,000). */
  readonly paramsJsonChars?: number;
}

export interface EvaluateInput {
  readonly params: ParamMap;
  /** The enclosing scope (the workflow's params when evaluating a step's). */
  readonly outer?: EvaluatedParams;
  readonly context?: ParamContext;
}

export interface ParamEvaluator {
  /** Evaluates a map of params in dependency order. Throws ParamError with every problem found. */
  evaluate(input: EvaluateInput): EvaluatedParams;
  /** Evaluates one SEL expression (a condition, `baton eval`) over evaluated params. Throws SelError. */
  evaluateExpression(source: string, scope: EvaluateInput['outer'], context?: ParamContext): SelResult;
}

/** Bare identifiers in SEL read params through this map: resolved on demand, never copied up front. */
class ScopeVariables extends Map<string, SelInput> {
  constructor(private readonly resolveParam: (name: string) => EvaluatedParam | undefined) {
    super();
  }
  override get(name: string): SelInput | undefined {
    const p = this.resolveParam(name);
    return p === undefined ? undefined : paramValueToSel(p.type, p.value);
  }
  override has(name: string): boolean {
    return this.resolveParam(name) !== undefined;
  }
}

type Resolver = (name: string) => EvaluatedParam | undefined;

/**
 * Evaluates params (REFERENCE §3.3): literals are coerced to their type (strings interpolated), expressions run in
 * the SEL sandbox with the injected clock, in dependency order. Names resolve in the param's own map, then the
 * enclosing scope, then `step__param` of the steps in the context.
 *
 * ```ts
 * const evaluator = createParamEvaluator({ clock: { now: () => 0 } }, {});
 * evaluator.evaluate({ params: { a: { type: 'LONG', value: 1 }, b: { type: 'LONG', expression: 'a + 1' } } });
 * ```
 */
export function createParamEvaluator(
  deps: ParamEvaluatorDeps,
  options: ParamEvaluatorOptions = {},
): ParamEvaluator {
  const sizeLimit = options.paramsJsonChars ?? DEFAULT_LIMITS.paramsJsonChars;
  const limits = options.limits;

  const outerResolver =
    (outer: EvaluatedParams | undefined, context: ParamContext | undefined): Resolver =>
    (name) => {
      const hit = outer?.get(name);
      if (hit !== undefined) return hit;
      const sep = name.indexOf('__');
      if (sep <= 0) return undefined;
      return context?.steps?.get(name.slice(0, sep))?.params.get(name.slice(sep + 2));
    };

  const runSel = (
    program: NonNullable<PreparedParam['program']>,
    resolve: Resolver,
    context: ParamContext | undefined,
  ): SelResult =>
    evaluateSel(program, {
      variables: new ScopeVariables(resolve),
      params: createSelParams({ resolve }, context),
      clock: deps.clock,
      ...(deps.random === undefined ? {} : { random: deps.random }),
      ...(limits === undefined ? {} : { limits }),
    });

  const evaluateMap = (
    params: ParamMap,
    outside: Resolver,
    context: ParamContext | undefined,
    prefix: string,
    issues: ParamIssue[],
  ): Map<string, EvaluatedParam> => {
    const now = deps.clock.now();
    const prepared = new Map<string, PreparedParam>();
    for (const [name, def] of Object.entries(params)) {
      if (def.value === undefined && def.expression === undefined) continue; // OPTIONAL / PROVIDED without a value
      const p = prepareParam(prefix + name, def, limits);
      if (p.issue) issues.push(p.issue);
      else prepared.set(name, { ...p, name });
    }
    const { order, issues: cycles, onCycle } = evaluationOrder(prepared, (n) => outside(n) !== undefined);
    issues.push(...cycles.map((c) => ({ ...c, param: prefix + c.param })));
    const done = new Map<string, EvaluatedParam>();
    const failed = new Set<string>();
    const resolve: Resolver = (n) => done.get(n) ?? outside(n);
    for (const name of order) {
      const p = prepared.get(name)!;
      const full = prefix + name;
      const self: Resolver = (n) => (n === name ? outside(n) : resolve(n));
      const blocked = [...p.strictRefs, ...p.softRefs].find(
        (r) => r !== name && prepared.has(r) && failed.has(r),
      );
      if (blocked !== undefined) {
        failed.add(name);
        continue; // the failure of `blocked` is already reported
      }
      const missing = p.strictRefs.find((r) => self(r) === undefined);
      if (missing !== undefined) {
        failed.add(name);
        if (p.program !== undefined) {
          issues.push(
            paramIssue(
              ParamErrorCode.UNKNOWN_REFERENCE,
              full,
              `param '${full}' refers to '${missing}', which is not a param in scope`,
            ),
          );
          continue;
        }
      }
      try {
        const value =
          p.program !== undefined
            ? coerceSelResult(full, p.def.type, runSel(p.program, self, context))
            : literalValue(full, p.def, self, context, issues);
        done.set(name, evaluated(name, p.def, value, now));
      } catch (err) {
        failed.add(name);
        issues.push(...asIssues(err, full));
      }
    }
    for (const name of prepared.keys()) {
      if (!done.has(name) && !failed.has(name) && !onCycle.has(name)) {
        issues.push(
          paramIssue(
            ParamErrorCode.REFERENCE_NOT_EVALUATED,
            prefix + name,
            `param '${prefix + name}' depends on a param in a cycle`,
          ),
        );
      }
    }
    // Definition order, not evaluation order.
    return new Map([...prepared.keys()].filter((n) => done.has(n)).map((n) => [n, done.get(n)!]));
  };

  const literalValue = (
    full: string,
    def: ParamDefinition,
    resolve: Resolver,
    context: ParamContext | undefined,
    issues: ParamIssue[],
  ): ParamValue => {
    const lookup = (n: string): ParamValue | undefined => resolve(n)?.value;
    const v = def.value;
    switch (def.type) {
      case 'STRING':
        return typeof v === 'string' ? interpolate(v, lookup, full) : coerceInput(full, def.type, v);
      case 'STRING_ARRAY':
        if (Array.isArray(v))
          return Object.freeze(
            v.map((x) =>
              typeof x === 'string'
                ? interpolate(x, lookup, full)
                : (coerceInput(full, 'STRING', x) as string),
            ),
          );
        return coerceInput(full, def.type, v);
      case 'STRING_MAP': {
        const base = coerceInput(full, def.type, v) as Readonly<Record<string, string>>;
        return Object.freeze(
          Object.fromEntries(Object.entries(base).map(([k, x]) => [k, interpolate(x, lookup, full)])),
        );
      }
      case 'MAP': {
        if (!isNestedDefinitions(v)) return coerceInput(full, def.type, v);
        const before = issues.length;
        const inner = evaluateMap(v, resolve, context, `${full}.`, issues);
        if (issues.length > before) throw new ParamError(issues.splice(before));
        const out: Record<string, ParamValue | null> = {};
        for (const [k, p] of inner) out[k] = p.value;
        return Object.freeze(out) as ParamValueMap;
      }
      case 'LONG':
      case 'DOUBLE':
      case 'BOOLEAN':
      case 'LONG_ARRAY':
      case 'DOUBLE_ARRAY':
      case 'BOOLEAN_ARRAY':
        return coerceInput(full, def.type, v);
    }
  };

  return {
    evaluate(input) {
      const issues: ParamIssue[] = [];
      const result = evaluateMap(
        input.params,
        outerResolver(input.outer, input.context),
        input.context,
        '',
        issues,
      );
      if (issues.length === 0) {
        const size = paramsJsonSize(result);
        if (size > sizeLimit) {
          issues.push(
            paramIssue(
              ParamErrorCode.PARAMS_TOO_LARGE,
              '',
              `evaluated params take ${size} characters of JSON; the limit is ${sizeLimit}`,
              ['params'],
            ),
          );
        }
      }
      if (issues.length > 0) throw new ParamError(issues);
      return result;
    },
    evaluateExpression(source, scope, context) {
      const program = parseSel(source, { autoSemicolon: true, ...(limits === undefined ? {} : { limits }) });
      return runSel(program, outerResolver(scope, context), context);
    },
  };
}

function evaluated(name: string, def: ParamDefinition, value: ParamValue, now: number): EvaluatedParam {
  const source = (def as Partial<SourcedParam>).source ?? ParamSource.DEFINITION;
  return Object.freeze({
    name,
    type: def.type,
    value,
    mode: modeOf(def),
    source,
    ...(def.internal_mode === undefined ? {} : { internal_mode: def.internal_mode }),
    definition: def,
    evaluated_time: now,
  });
}

function asIssues(err: unknown, param: string): ParamIssue[] {
  if (err instanceof ParamError) return [...err.issues];
  if (err instanceof SelError) {
    const at = err.line > 0 ? ` (line ${err.line}, column ${err.column} of its expression)` : '';
    const what =
      err.selCode === 'THROWN'
        ? `its expression threw "${err.message}"`
        : `its expression failed${at}: ${err.message}`;
    return [paramIssue(ParamErrorCode.EVALUATION_FAILED, param, `param '${param}': ${what}`)];
  }
  throw err;
}
