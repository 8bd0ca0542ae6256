import { isJsonObject, type JsonValue } from '../model/json.js';
import type { ParamDefinition, ParamMap } from '../model/param.js';
import {
  checkSel,
  referencesOf,
  type SelLimitPreset,
  type SelLimits,
  type SelProgram,
} from '../sel/index.js';
import { parseSel, SelError } from '../sel/index.js';
import { paramIssue, ParamErrorCode, type ParamIssue } from './errors.js';
import { interpolationReferences } from './interpolate.js';

/** A param ready to evaluate: its parsed expression and the names it refers to. */
export interface PreparedParam {
  readonly name: string;
  readonly def: ParamDefinition;
  readonly program?: SelProgram;
  /** Bare identifiers the expression reads (must resolve), and interpolation references (must resolve). */
  readonly strictRefs: readonly string[];
  /** Names read through `params.get('x')` / `params['x']`: ordering only, absence is fine. */
  readonly softRefs: readonly string[];
  readonly issue?: ParamIssue;
}

/** A MAP literal of nested definitions (`{"a": {"type": "LONG", "value": 1}}`) rather than plain values. */
export function isNestedDefinitions(value: unknown): value is ParamMap {
  if (!isJsonObject(value as JsonValue)) return false;
  return Object.values(value as Record<string, unknown>).every(
    (d) => isJsonObject(d as JsonValue) && typeof (d as Record<string, unknown>)['type'] === 'string',
  );
}

/** Interpolation references of a literal value (STRING, STRING_ARRAY, STRING_MAP; nested MAP definitions). */
export function literalReferences(def: ParamDefinition): string[] {
  const v = def.value;
  switch (def.type) {
    case 'STRING':
      return typeof v === 'string' ? interpolationReferences(v) : [];
    case 'STRING_ARRAY':
      return Array.isArray(v)
        ? v.flatMap((x) => (typeof x === 'string' ? interpolationReferences(x) : []))
        : [];
    case 'STRING_MAP':
      return isJsonObject(v as JsonValue)
        ? Object.values(v as Record<string, unknown>).flatMap((x) =>
            typeof x === 'string' ? interpolationReferences(x) : [],
          )
        : [];
    case 'MAP': {
      if (!isNestedDefinitions(v)) return [];
      const inner = new Set(Object.keys(v));
      const refs = Object.values(v).flatMap((d) => definitionReferences(d).all);
      return refs.filter((r) => !inner.has(r));
    }
    case 'LONG':
    case 'DOUBLE':
    case 'BOOLEAN':
    case 'LONG_ARRAY':
    case 'DOUBLE_ARRAY':
    case 'BOOLEAN_ARRAY':
      return [];
  }
}

/** Every name a definition refers to, for dependency analysis; syntax errors yield no names. */
export function definitionReferences(def: ParamDefinition): { readonly all: string[] } {
  if (def.expression !== undefined) {
    const checked = checkSel(def.expression, { autoSemicolon: true });
    return { all: [...checked.references.variables, ...checked.references.params] };
  }
  return { all: literalReferences(def) };
}

/** Parses a param's expression once (Maestro's auto-semicolon) and lists its references. */
export function prepareParam(
  name: string,
  def: ParamDefinition,
  limits?: Partial<SelLimits> | SelLimitPreset,
): PreparedParam {
  if (def.expression === undefined)
    return { name, def, strictRefs: unique(literalReferences(def)), softRefs: [] };
  try {
    const { program, strictRefs, softRefs } = compiled(def.expression, limits);
    return { name, def, program, strictRefs, softRefs };
  } catch (err) {
    if (!(err instanceof SelError)) throw err;
    const at = err.line > 0 ? ` at line ${err.line}, column ${err.column}` : '';
    const issue = paramIssue(
      ParamErrorCode.EVALUATION_FAILED,
      name,
      `param '${name}' has a bad expression${at}: ${err.message}`,
    );
    return { name, def, strictRefs: [], softRefs: [], issue };
  }
}

/**
 * Parsed expressions by source text. The same expressions (system params, a workflow's own params) are evaluated
 * for every run, and a parsed SEL program is immutable, so parsing each once is safe and saves most of the cost of
 * starting a run. Bounded: cleared when full.
 */
const parsed = new Map<string, { program: SelProgram; strictRefs: string[]; softRefs: string[] }>();

function compiled(source: string, limits: Partial<SelLimits> | SelLimitPreset | undefined) {
  const key = limits === undefined ? source : `${JSON.stringify(limits)}\u0000${source}`;
  let hit = parsed.get(key);
  if (!hit) {
    const program = parseSel(source, { autoSemicolon: true, ...(limits === undefined ? {} : { limits }) });
    const refs = referencesOf(program);
    hit = { program, strictRefs: unique(refs.variables), softRefs: unique(refs.params) };
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(key, hit);
  }
  return hit;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/**
 * Evaluation order of a map of params: every param after the params of the same map it refers to. A reference to
 * the param itself points to the enclosing scope when `outside(name)` can resolve it (a step param `i` computed
 * from the loop's `i`), and is a cycle otherwise. Cycles are reported with their path (`a → b → a`); their params
 * are left out of the order.
 */
export function evaluationOrder(
  params: ReadonlyMap<string, PreparedParam>,
  outside: (name: string) => boolean,
): {
  readonly order: readonly string[];
  readonly issues: readonly ParamIssue[];
  readonly onCycle: ReadonlySet<string>;
} {
  const order: string[] = [];
  const onCycle = new Set<string>();
  const issues: ParamIssue[] = [];
  const state = new Map<string, 'active' | 'done' | 'cyclic'>();
  const stack: string[] = [];
  const edges = (p: PreparedParam): string[] =>
    [...p.strictRefs, ...p.softRefs].filter((r) => params.has(r) && !(r === p.name && outside(r)));

  const visit = (name: string): boolean => {
    const s = state.get(name);
    if (s === 'done') return true;
    if (s === 'cyclic') return false;
    if (s === 'active') {
      const path = [...stack.slice(stack.indexOf(name)), name];
      issues.push(
        paramIssue(
          ParamErrorCode.PARAM_CYCLE,
          name,
          `params refer to each other in a cycle: ${path.join(' → ')}`,
        ),
      );
      for (const p of path) {
        state.set(p, 'cyclic');
        onCycle.add(p);
      }
      return false;
    }
    state.set(name, 'active');
    stack.push(name);
    let ok = true;
    for (const dep of edges(params.get(name)!)) ok = visit(dep) && ok;
    stack.pop();
    if (state.get(name) === 'cyclic' || !ok) {
      state.set(name, 'cyclic');
      return false;
    }
    state.set(name, 'done');
    order.push(name);
    return true;
  };
  for (const name of params.keys()) visit(name);
  return { order, issues, onCycle };
}
