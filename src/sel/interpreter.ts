import type { Expr, SelProgram, Stmt } from './ast.js';
import { assign, arrayInit, newArrayOf } from './assign.js';
import { SelError, withPosition } from './errors.js';
import { defaultValue, EvalState, NON_NULL, stamp, type EvaluateOptions } from './eval-state.js';
import { callMethod, construct, getField } from './lib/dispatch.js';
import { binary, longOp, mismatch } from './ops.js';
import { display } from './convert.js';
import { DECL_TYPES, ELEM_TYPES, lookupType } from './types.js';
import { typeOf, SelClass, VOID, type SelResult, type SelValue } from './values.js';

export type { EvaluateOptions } from './eval-state.js';

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;
type Completion = 0 | 1 | 2 | 3;
/** Statements and expressions; state and limit counters live in EvalState. */
class Interpreter extends EvalState {
  run(): SelResult {
    for (const s of this.program.body) {
      if (this.stmt(s) === RETURN) return this.ret;
    }
    return this.last;
  }

  private stmt(s: Stmt): Completion {
    this.visit(s);
    if (++this.depth > this.stackLimit) this.enter(s);
    const c = this.stmtInner(s);
    this.depth--;
    return c;
  }

  private stmtInner(s: Stmt): Completion {
    switch (s.kind) {
      case 'expr':
        this.last = this.expr(s.expr);
        return NORMAL;
      case 'decl':
        this.declare(s);
        this.last = VOID;
        return NORMAL;
      case 'block':
        for (const b of s.body) {
          const c = this.stmt(b);
          if (c !== NORMAL) return c;
        }
        return NORMAL;
      case 'if': {
        const branch = this.test(s.test) ? s.then : s.else;
        const c = branch === null ? NORMAL : this.stmt(branch);
        this.last = VOID;
        return c;
      }
      case 'while':
      case 'for':
        return this.loop(s);
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      case 'return':
        this.ret = s.value === null ? VOID : this.expr(s.value);
        return RETURN;
      case 'throw': {
        const v = this.expr(s.value);
        throw new SelError('THROWN', display(v), s.line, s.column);
      }
      case 'empty':
        return NORMAL;
    }
  }

  private loop(s: Stmt & { kind: 'while' | 'for' }): Completion {
    if (s.kind === 'for' && s.init !== null) this.stmt(s.init);
    const test = s.test;
    const update = s.kind === 'for' ? s.update : null;
    let n = 0;
    for (;;) {
      if (test !== null && !this.test(test)) break;
      if (++n >= this.limits.loop)
        throw new SelError(
          'LIMIT_LOOP',
          `Loop execution aborted as the iteration is over the loop limit ${this.limits.loop}`,
          s.line,
          s.column,
        );
      const c = this.stmt(s.body);
      if (c === BREAK) break;
      if (c === RETURN) return RETURN;
      if (update !== null) this.expr(update);
    }
    this.last = VOID;
    return NORMAL;
  }

  private test(e: Expr): boolean {
    const v = this.expr(e);
    if (typeof v !== 'boolean')
      throw new SelError(
        'CLASS_CAST',
        `class ${typeOf(v)} cannot be cast to class BOOLEAN`,
        e.line,
        e.column,
      );
    return v;
  }

  private declare(s: Stmt & { kind: 'decl' }): void {
    const type = s.type.array ? arrayTypeName(s.type.name) : lookupType(DECL_TYPES, s.type.name);
    if (type === undefined)
      throw new SelError(
        'UNSUPPORTED_CLASS',
        `SEL does not include class:  ${s.type.name}`,
        s.line,
        s.column,
      );
    let v: SelValue;
    if (s.init === null) v = defaultValue(type);
    else {
      v = this.expr(s.init);
      if (v === null ? NON_NULL.has(type) : typeOf(v) !== type)
        throw withPosition(mismatch(type, v) as SelError, s.line, s.column);
    }
    this.vals[s.slot] = v;
    this.types[s.slot] = type;
  }

  private sameDepth(e: Expr): SelValue {
    this.visit(e);
    return this.exprInner(e);
  }

  expr(e: Expr): SelValue {
    this.visit(e);
    // Literals cannot nest, so they skip the stack accounting.
    if (e.kind === 'literal') return e.value;
    if (++this.depth > this.stackLimit) this.enter(e);
    const v = this.exprInner(e);
    this.depth--;
    return v;
  }

  private exprInner(e: Expr): SelValue {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'name':
        return this.types[e.slot] !== undefined
          ? (this.vals[e.slot] as SelValue)
          : this.resolve(e.name, e.slot);
      case 'binary': {
        // netflix-sel evaluates both operands of && and || (no short-circuit); Baton keeps that.
        // The left operand of a chain (a + b + c) stays at this depth: Maestro's operand stack does not grow
        // with chain length, and the parser already caps chains at MAX_PARSE_DEPTH.
        const l = e.left.kind === 'binary' ? this.sameDepth(e.left) : this.expr(e.left);
        const r = this.expr(e.right);
        if (typeof l === 'bigint' && typeof r === 'bigint' && e.op !== '/' && e.op !== '%')
          return longOp(e.op, l, r);
        try {
          const v = binary(e.op, l, r);
          if (typeof v === 'string' && e.op === '+') this.charge(32 + 2 * v.length);
          return v;
        } catch (err) {
          throw stamp(err, e);
        }
      }
      case 'unary':
        return this.unary(e.op, this.expr(e.operand), e);
      case 'ternary':
        return this.test(e.test) ? this.expr(e.then) : this.expr(e.else);
      case 'field': {
        const target = this.expr(e.target);
        try {
          return getField(target, e.name);
        } catch (err) {
          throw stamp(err, e);
        }
      }
      case 'call': {
        const target = this.expr(e.target);
        const args = e.args.map((a) => this.expr(a));
        try {
          return callMethod(this, target, e.name, args);
        } catch (err) {
          // The caller's params implementation may throw its own errors; they pass through untouched.
          if (target instanceof SelClass && target.name === 'params') throw stamp(err, e);
          throw stamp(libraryFailure(err, `${e.name}${args.length}`), e);
        }
      }
      case 'index':
        return this.index(e);
      case 'new': {
        const args = e.args.map((a) => this.expr(a));
        try {
          return construct(this, e.type, args);
        } catch (err) {
          throw stamp(libraryFailure(err, `${e.type} constructor`), e);
        }
      }
      case 'newArray':
        return newArrayOf(this, e);
      case 'arrayInit':
        return arrayInit(this, e);
      case 'assign':
        return assign(this, e);
    }
  }

  private unary(op: '!' | '-' | '+', v: SelValue, e: Expr): SelValue {
    if (op === '!' && typeof v === 'boolean') return !v;
    if (op === '-' && typeof v === 'bigint') return BigInt.asIntN(64, -v);
    if (op === '-' && typeof v === 'number') return -v;
    if (op === '+' && (typeof v === 'bigint' || typeof v === 'number')) return v;
    throw new SelError(
      'UNSUPPORTED_OPERATION',
      `${typeOf(v)} DO NOT support unary operation ${op}`,
      e.line,
      e.column,
    );
  }

  private index(e: Expr & { kind: 'index' }): SelValue {
    const target = this.expr(e.target);
    const idx = this.expr(e.index);
    if (typeof idx === 'string') {
      // Only `params['x']` supports string indexing; on anything else Maestro fails with a ClassCastException.
      if (target instanceof SelClass && target.name === 'params') {
        try {
          return this.box(this.params.get(idx));
        } catch (err) {
          throw stamp(err, e);
        }
      }
      throw new SelError(
        'CLASS_CAST',
        `class ${typeOf(target)} cannot be cast to class PRESET_PARAMS`,
        e.line,
        e.column,
      );
    }
    const arr = this.arrayAt(target, idx, e);
    return arr.items[Number(idx)] as SelValue;
  }
}

function arrayTypeName(name: string): string | undefined {
  const elem = lookupType(ELEM_TYPES, name);
  return elem === undefined ? undefined : `${elem}_ARRAY`;
}

/** Runs a parsed program; see `evaluateSel` in index.ts for the public contract. */
/**
 * An unexpected exception from library code (a bug, or the date library refusing a value) becomes a SelError,
 * like Maestro's "Failed calling method", so a script can never crash its caller. Engine RangeErrors (string
 * or stack too large) are left for `interpret` to turn into limit errors.
 */
function libraryFailure(err: unknown, what: string): unknown {
  if (err instanceof SelError || err instanceof RangeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SelError('ILLEGAL_ARGUMENT', `Failed calling method ${what}: ${message}`, 0, 0, { cause: err });
}

// One idle interpreter per program: evaluating a parsed program again reuses it instead of allocating.
const pool = new WeakMap<SelProgram, Interpreter>();

export function interpret(program: SelProgram, opts: EvaluateOptions): SelResult {
  let it = pool.get(program);
  if (it === undefined || it.busy) {
    // A nested evaluation (a params callback evaluating the same program) gets its own instance.
    it = new Interpreter(program);
    if (!pool.has(program)) pool.set(program, it);
  }
  it.reset(opts);
  try {
    return it.run();
  } catch (err) {
    if (err instanceof SelError) throw err;
    // A JS engine limit reached despite our own counters (huge strings, a deep stack with raised limits).
    if (err instanceof RangeError) {
      const stack = /call stack/i.test(err.message);
      throw new SelError(
        stack ? 'LIMIT_STACK' : 'LIMIT_MEMORY',
        `SEL evaluation aborted: ${err.message}`,
        0,
        0,
        {
          cause: err,
        },
      );
    }
    throw err;
  } finally {
    it.release();
  }
}
