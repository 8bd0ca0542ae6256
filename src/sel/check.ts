import type { Expr, Pos, SelProgram, Stmt } from './ast.js';
import { DECL_TYPES, ELEM_TYPES, lookupType } from './types.js';
import { STATIC_CLASSES } from './values.js';

/** What an expression refers to, found without running it (for the definition validator). */
export interface SelReferences {
  /**
   * Maestro-compatible list: free variable names in first-use order, plus 'params' when `params` is used
   * (Maestro's validate() returns exactly this).
   */
  readonly names: readonly string[];
  /** Free variables read before the script assigns them (includes `step__param` identifiers). */
  readonly variables: readonly string[];
  /** Literal names read through `params.get('x')`, `params['x']`, `params.containsKey('x')`. */
  readonly params: readonly string[];
  /** Cross-step references: `step__param` identifiers and `params.getFromStep('step', 'param')`. */
  readonly steps: readonly { readonly step: string; readonly param: string }[];
  /** True when `params` is used with a non-literal name or an instance-only method (signals, foreach...). */
  readonly dynamicParams: boolean;
  /** Class names SEL does not have, in declarations, `new T(...)` and `new T[...]`, with their positions. */
  readonly unknownClasses: readonly {
    readonly name: string;
    readonly line: number;
    readonly column: number;
  }[];
}

// Classes `new` can build; other declarable types (DateTimeZone...) come from factories, not constructors.
const CONSTRUCTIBLE = new Set(['String', 'Map', 'HashMap', 'LinkedHashMap', 'DateTime']);

/** Walks a parsed program in source order; a name is free if it is read before any declaration/assignment. */
export function collectReferences(program: SelProgram): SelReferences {
  const defined = new Set<string>();
  const vars: string[] = [];
  const params: string[] = [];
  const steps: { step: string; param: string }[] = [];
  let usesParams = false;
  let dynamic = false;
  const unknown: { name: string; line: number; column: number }[] = [];
  const knownType = (table: Readonly<Record<string, string>>, name: string, at: Pos): void => {
    if (lookupType(table, name) === undefined) unknown.push({ name, line: at.line, column: at.column });
  };
  const seenVar = new Set<string>();
  const seenStep = new Set<string>();

  const addStep = (step: string, param: string): void => {
    const key = `${step}\u0000${param}`;
    if (!seenStep.has(key)) {
      seenStep.add(key);
      steps.push({ step, param });
    }
  };
  const read = (name: string): void => {
    if (name === 'params') {
      usesParams = true;
      return;
    }
    if (Object.hasOwn(STATIC_CLASSES, name) || defined.has(name) || seenVar.has(name)) return;
    seenVar.add(name);
    vars.push(name);
    const sep = name.indexOf('__');
    if (sep > 0 && sep + 2 < name.length) addStep(name.slice(0, sep), name.slice(sep + 2));
  };
  const literal = (e: Expr | undefined): string | undefined =>
    e !== undefined && e.kind === 'literal' && typeof e.value === 'string' ? e.value : undefined;
  const isParams = (e: Expr): boolean => e.kind === 'name' && e.name === 'params' && !defined.has('params');

  const expr = (e: Expr): void => {
    switch (e.kind) {
      case 'literal':
        return;
      case 'name':
        return read(e.name);
      case 'unary':
        return expr(e.operand);
      case 'binary':
        expr(e.left);
        return expr(e.right);
      case 'ternary':
        expr(e.test);
        expr(e.then);
        return expr(e.else);
      case 'field':
        return expr(e.target);
      case 'call': {
        if (isParams(e.target)) {
          const a = literal(e.args[0]);
          const b = literal(e.args[1]);
          if ((e.name === 'get' || e.name === 'containsKey') && a !== undefined) params.push(a);
          else if (e.name === 'getFromStep' && a !== undefined && b !== undefined) addStep(a, b);
          else dynamic = true;
        }
        expr(e.target);
        for (const a of e.args) expr(a);
        return;
      }
      case 'index': {
        const key = literal(e.index);
        if (isParams(e.target)) {
          if (key !== undefined) params.push(key);
          else dynamic = true;
        }
        expr(e.target);
        return expr(e.index);
      }
      case 'new':
        if (!CONSTRUCTIBLE.has(e.type)) unknown.push({ name: e.type, line: e.line, column: e.column });
        for (const a of e.args) expr(a);
        return;
      case 'newArray':
        knownType(ELEM_TYPES, e.type, e);
        return expr(e.size);
      case 'arrayInit':
        knownType(ELEM_TYPES, e.type, e);
        for (const a of e.items) expr(a);
        return;
      case 'assign':
        expr(e.value);
        if (e.target.kind === 'name') {
          if (e.op !== '=') read(e.target.name);
          defined.add(e.target.name);
        } else expr(e.target);
        return;
    }
  };

  const stmt = (s: Stmt): void => {
    switch (s.kind) {
      case 'expr':
        return expr(s.expr);
      case 'decl':
        knownType(s.type.array ? ELEM_TYPES : DECL_TYPES, s.type.name, s);
        if (s.init !== null) expr(s.init);
        defined.add(s.name);
        return;
      case 'block':
        for (const b of s.body) stmt(b);
        return;
      case 'if':
        expr(s.test);
        stmt(s.then);
        if (s.else !== null) stmt(s.else);
        return;
      case 'while':
        expr(s.test);
        return stmt(s.body);
      case 'for':
        if (s.init !== null) stmt(s.init);
        if (s.test !== null) expr(s.test);
        stmt(s.body);
        if (s.update !== null) expr(s.update);
        return;
      case 'return':
        if (s.value !== null) expr(s.value);
        return;
      case 'throw':
        return expr(s.value);
      case 'break':
      case 'continue':
      case 'empty':
        return;
    }
  };

  for (const s of program.body) stmt(s);
  const uniqueParams = [...new Set(params)];
  return {
    names: usesParams ? [...vars, 'params'] : vars,
    variables: vars,
    params: uniqueParams,
    steps,
    dynamicParams: dynamic,
    unknownClasses: unknown,
  };
}
