import type { AssignOp, Expr } from './ast.js';
import { SelError, selError, withPosition } from './errors.js';
import { defaultValue, NON_NULL, stamp, type EvalState } from './eval-state.js';
import { compound, longOp, mismatch } from './ops.js';
import { DECL_TYPES, ELEM_TYPES, lookupType } from './types.js';
import { typeOf, type SelElemType, type SelScalar, type SelValue } from './values.js';

// Array creation and assignment, split from the interpreter to keep files small; `ev` is the running evaluation.

export function newArrayOf(ev: EvalState, e: Expr & { kind: 'newArray' }): SelValue {
  const elem = elemType(ev, e.type, e);
  const size = ev.expr(e.size);
  if (typeof size !== 'bigint')
    throw new SelError('CLASS_CAST', `Array size must be LONG, not ${typeOf(size)}`, e.line, e.column);
  if (size < 0n) throw new SelError('ILLEGAL_ARGUMENT', `Negative array size: ${size}`, e.line, e.column);
  if (size >= BigInt(ev.limits.array))
    throw new SelError(
      'LIMIT_ARRAY',
      `New array size is over the limit: ${ev.limits.array} vs length: ${size}`,
      e.line,
      e.column,
    );
  const fill = defaultValue(elem) as SelScalar;
  try {
    return ev.newArray(elem, new Array<SelScalar>(Number(size)).fill(fill));
  } catch (err) {
    throw stamp(err, e);
  }
}

export function arrayInit(ev: EvalState, e: Expr & { kind: 'arrayInit' }): SelValue {
  const elem = elemType(ev, e.type, e);
  // Maestro pushes a type marker, the element type and every element onto its operand stack.
  ev.enter(e, 2 + e.items.length);
  const items = e.items.map((x) => {
    const v = ev.expr(x);
    const c = elem === 'DOUBLE' && typeof v === 'bigint' ? Number(v) : v;
    if (c === null ? elem !== 'STRING' : typeOf(c) !== elem)
      throw withPosition(mismatch(elem, c) as SelError, x.line, x.column);
    return c as SelScalar;
  });
  try {
    return ev.newArray(elem, items);
  } catch (err) {
    throw stamp(err, e);
  }
}

function elemType(ev: EvalState, name: string, e: Expr): SelElemType {
  const elem = lookupType(ELEM_TYPES, name) as SelElemType | undefined;
  if (elem !== undefined) return elem;
  const t = lookupType(DECL_TYPES, name);
  if (t !== undefined)
    throw new SelError(
      'UNSUPPORTED_OPERATION',
      `SEL DO NOT support creating an array with the element type ${t}`,
      e.line,
      e.column,
    );
  throw new SelError('UNSUPPORTED_CLASS', `SEL does not include class:  ${name}`, e.line, e.column);
}

const FAST_LONG: Readonly<Partial<Record<AssignOp, '=' | '+' | '-' | '*'>>> = {
  '=': '=',
  '+=': '+',
  '-=': '-',
  '*=': '*',
};

export function assign(ev: EvalState, e: Expr & { kind: 'assign' }): SelValue {
  const t = e.target;
  if (t.kind === 'name') {
    const v = ev.expr(e.value);
    let type = ev.types[t.slot];
    if (type === 'LONG' && typeof v === 'bigint') {
      // Hot path of loop counters and accumulators: LONG op= LONG without the generic checks.
      const bin = FAST_LONG[e.op];
      if (bin !== undefined) {
        const next = bin === '=' ? v : (longOp(bin, ev.vals[t.slot] as bigint, v) as bigint);
        ev.vals[t.slot] = next;
        return next;
      }
    }
    if (type === undefined && e.op !== '=') {
      ev.resolve(t.name, t.slot);
      type = ev.types[t.slot];
    }
    try {
      const next = combine(ev, e.op, type, type === undefined ? null : (ev.vals[t.slot] as SelValue), v);
      ev.vals[t.slot] = next;
      if (type === undefined || type === 'NULL') ev.types[t.slot] = typeOf(next);
      return next;
    } catch (err) {
      throw stamp(err, e);
    }
  }
  if (t.kind !== 'index') throw new SelError('PARSE_ERROR', 'Invalid assignment target', e.line, e.column);
  const target = ev.expr(t.target);
  const idx = ev.expr(t.index);
  const v = ev.expr(e.value);
  if (typeof idx === 'string')
    throw new SelError(
      'UNSUPPORTED_OPERATION',
      `${typeOf(target)} DO NOT support assignment by key`,
      e.line,
      e.column,
    );
  const arr = ev.arrayAt(target, idx, t);
  const i = Number(idx);
  try {
    const c = arr.elem === 'DOUBLE' && typeof v === 'bigint' && e.op === '=' ? Number(v) : v;
    const next = combine(ev, e.op, arr.elem, arr.items[i] as SelValue, c);
    arr.items[i] = next as SelScalar;
    return next;
  } catch (err) {
    throw stamp(err, e);
  }
}

/** `=` keeps the variable's type fixed (NULL only for reference types); `op=` follows `compound`. */
function combine(
  ev: EvalState,
  op: AssignOp,
  type: string | undefined,
  cur: SelValue,
  v: SelValue,
): SelValue {
  if (op !== '=') {
    if (type === undefined)
      throw selError('UNSUPPORTED_OPERATION', `NULL DO NOT support assignment operation ${op}`);
    const next = compound(op, type, cur, v);
    if (typeof next === 'string') ev.charge(32 + 2 * next.length);
    return next;
  }
  if (type === undefined || type === 'NULL') return v;
  if (v === null ? NON_NULL.has(type) : typeOf(v) !== type) throw mismatch(type, v);
  return v;
}
