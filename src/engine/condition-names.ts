import { parseSel, referencesOf, type SelLimits } from '../sel/index.js';
import { EvaluationError, type Scope } from './evaluator.js';

/** `line L, column C: ` for a known position (1-based), nothing for an unknown one (0). */
export function atPosition(line: number, column: number): string {
  return line > 0 ? `line ${line}, column ${column}: ` : '';
}

interface FreeNames {
  /** Bare names the expression reads before it assigns them (`step__param` included, `params` and classes not). */
  readonly names: readonly string[];
  readonly program: ReturnType<typeof parseSel>;
}

/** Conditions are few and evaluated often: their names are read once per expression text, up to this many. */
const CACHE_SIZE = 1000;

/**
 * The check that every bare name a transition condition reads resolves, before it runs. SEL reads a name nothing
 * defines as `null`, and `null > 10` is false, so without it a misspelt name (`count__row` for `count__rows`) would
 * quietly choose no successor. Maestro's rule for step params (REFERENCE §3.3: a referenced param must exist)
 * applied to conditions; names read through `params.get('x')` / `params['x']` may still be absent.
 */
export function createConditionNames(limits: Partial<SelLimits> | undefined) {
  const cache = new Map<string, FreeNames>();

  const freeNamesOf = (expression: string): FreeNames => {
    let free = cache.get(expression);
    if (!free) {
      const program = parseSel(expression, { autoSemicolon: true, ...(limits ? { limits } : {}) });
      free = { names: referencesOf(program).variables, program };
      if (cache.size >= CACHE_SIZE) cache.clear();
      cache.set(expression, free);
    }
    return free;
  };

  return {
    /**
     * Throws EvaluationError, with the position of the first read of the name, when a bare name the expression
     * reads is neither in `outer` (workflow and the step's own params) nor a `step__param` the scope has. A syntax
     * error is thrown as the SelError it is.
     */
    check(expression: string, inOuter: (name: string) => boolean, scope: Scope): void {
      const free = freeNamesOf(expression);
      for (const name of free.names) {
        const missing = inOuter(name) ? undefined : unknownReference(name, scope);
        if (missing === undefined) continue;
        const at = firstNameNode(free.program.body, name);
        throw new EvaluationError(`${atPosition(at?.line ?? 0, at?.column ?? 0)}${missing}`);
      }
    },
  };
}

/**
 * The earliest position of a `name` node called `name` in a parsed program. It walks the tree generically (every
 * node is a plain object with its position), so it stays right whatever node kinds SEL grows.
 */
function firstNameNode(node: unknown, name: string): { line: number; column: number } | undefined {
  let best: { line: number; column: number } | undefined;
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (n === null || typeof n !== 'object') return;
    const o = n as { kind?: unknown; name?: unknown; line?: unknown; column?: unknown };
    if (o.kind === 'name' && o.name === name && typeof o.line === 'number' && typeof o.column === 'number') {
      if (!best || o.line < best.line || (o.line === best.line && o.column < best.column))
        best = { line: o.line, column: o.column };
    }
    for (const v of Object.values(n)) visit(v);
  };
  visit(node);
  return best;
}

/**
 * Why a bare name in a condition resolves to nothing, or undefined when it does resolve: `step__param` names an
 * upstream step that finished (and that has the param), anything else a workflow param or one of the step's own.
 */
function unknownReference(name: string, scope: Scope): string | undefined {
  const sep = name.indexOf('__');
  if (sep <= 0) return `'${name}' is not a param of this step or of the workflow`;
  const stepId = name.slice(0, sep);
  const param = name.slice(sep + 2);
  const step = scope.steps.get(stepId);
  if (step === undefined)
    return `'${name}' reads step '${stepId}', which is not this step or an upstream step that finished`;
  if (Object.hasOwn(step, param)) return undefined;
  const known = Object.keys(step);
  return `'${name}' reads param '${param}' of step '${stepId}', which has no such param (it has ${
    known.length === 0 ? 'none' : known.map((k) => `'${k}'`).join(', ')
  })`;
}
