import type { BinaryOp } from './ast.js';
import { selError } from './errors.js';
import { typeOf, SelDateTime, SelDays, SelUuid, SelZone, type SelValue } from './values.js';
import { display, javaDouble } from './convert.js';

/**
 * Binary operators with netflix-sel's rules: the left operand's type decides. LONG op DOUBLE promotes, LONG or
 * DOUBLE op STRING turns the number into text first, STRING supports only `+ == !=`, NULL compares false.
 */
export function binary(op: BinaryOp, l: SelValue, r: SelValue): SelValue {
  switch (typeof l) {
    case 'bigint':
      if (typeof r === 'bigint') return longOp(op, l, r);
      if (typeof r === 'number') return doubleOp(op, Number(l), r);
      if (typeof r === 'string') return stringOp(op, l.toString(), r);
      if (r === null && (op === '==' || op === '!=')) return op === '!=';
      throw mismatch('LONG', r);
    case 'number':
      if (typeof r === 'number') return doubleOp(op, l, r);
      if (typeof r === 'bigint') return doubleOp(op, l, Number(r));
      if (typeof r === 'string') return stringOp(op, javaDouble(l), r);
      if (r === null) {
        if (op === '==' || op === '!=') return op === '!=';
        throw selError('UNSUPPORTED_OPERATION', `DOUBLE DO NOT support ${op} for rhs with NULL value`);
      }
      throw selError('CLASS_CAST', `class ${typeOf(r)} cannot be cast to class java.lang.Number`);
    case 'string':
      return stringOp(op, l, r);
    case 'boolean':
      if (r === null && (op === '==' || op === '!=')) return op === '!=';
      if (typeof r !== 'boolean') throw mismatch('BOOLEAN', r);
      switch (op) {
        case '&&':
          return l && r;
        case '||':
          return l || r;
        case '==':
          return l === r;
        case '!=':
          return l !== r;
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
        case '<':
        case '>':
        case '<=':
        case '>=':
          throw unsupportedOp('BOOLEAN', op);
      }
      break;
    case 'symbol':
    case 'undefined':
    case 'object':
    case 'function':
      break;
  }
  if (l === null) {
    switch (op) {
      case '==':
        return r === null;
      case '!=':
        return r !== null;
      case '<':
      case '>':
        return false;
      case '+':
        if (typeof r === 'string') return 'null' + r;
        throw mismatch('NULL', r);
      case '-':
      case '*':
      case '/':
      case '%':
      case '<=':
      case '>=':
      case '&&':
      case '||':
        throw unsupportedOp('NULL', op);
    }
  }
  if (op === '==' || op === '!=') return sameObject(l, r) === (op === '==');
  throw unsupportedOp(typeOf(l), op);
}

function sameObject(l: SelValue, r: SelValue): boolean {
  if (l === r) return true;
  if (l instanceof SelDateTime && r instanceof SelDateTime) return l.millis === r.millis && l.zone === r.zone;
  if (l instanceof SelZone && r instanceof SelZone) return l.id === r.id;
  if (l instanceof SelDays && r instanceof SelDays) return l.days === r.days;
  if (l instanceof SelUuid && r instanceof SelUuid) return l.text === r.text;
  return false;
}

export function mismatch(lhs: string, r: SelValue): Error {
  return selError('TYPE_MISMATCH', `Type mismatch, lhs type: ${lhs}, rhs object type: ${typeOf(r)}`);
}

function unsupportedOp(type: string, op: string): Error {
  return selError('UNSUPPORTED_OPERATION', `${type} DO NOT support expression operation ${op}`);
}

function stringOp(op: BinaryOp, l: string, r: SelValue): SelValue {
  if (op === '+') return l + display(r);
  if (op === '==' || op === '!=') {
    if (r === null) return op === '!=';
    if (typeof r !== 'string') throw mismatch('STRING', r);
    return (l === r) === (op === '==');
  }
  throw unsupportedOp('STRING', op);
}

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/** Java's 64-bit overflow: wrap only when out of range (asIntN allocates, the comparisons do not). */
function wrap(v: bigint): bigint {
  return v > LONG_MAX || v < LONG_MIN ? BigInt.asIntN(64, v) : v;
}

export function longOp(op: BinaryOp, l: bigint, r: bigint): SelValue {
  switch (op) {
    case '+':
      return wrap(l + r);
    case '-':
      return wrap(l - r);
    case '*':
      return wrap(l * r);
    case '/':
      if (r === 0n) throw selError('ARITHMETIC', '/ by zero');
      return BigInt.asIntN(64, l / r);
    case '%':
      if (r === 0n) throw selError('ARITHMETIC', '/ by zero');
      return l % r;
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    case '>=':
      return l >= r;
    case '&&':
    case '||':
      throw unsupportedOp('LONG', op);
  }
}

function doubleOp(op: BinaryOp, l: number, r: number): SelValue {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    case '>=':
      return l >= r;
    case '&&':
    case '||':
      throw unsupportedOp('DOUBLE', op);
  }
}

/** Compound assignment `x op= v` on a value of type `type`; returns the new value. */
export function compound(
  op: '+=' | '-=' | '*=' | '/=' | '%=',
  type: string,
  cur: SelValue,
  v: SelValue,
): SelValue {
  const bin = op.slice(0, 1) as BinaryOp;
  if (type === 'STRING') {
    if (op !== '+=')
      throw selError('UNSUPPORTED_OPERATION', `STRING DO NOT support assignment operation ${op}`);
    return display(cur) + display(v);
  }
  if (type === 'LONG') {
    if (typeof v !== 'bigint') throw mismatch('LONG', v);
    return longOp(bin, cur as bigint, v);
  }
  if (type === 'DOUBLE') {
    if (typeof v !== 'number') throw mismatch('DOUBLE', v);
    return doubleOp(bin, cur as number, v);
  }
  if (type === 'BOOLEAN')
    throw selError('UNSUPPORTED_OPERATION', `boolean/Boolean DO NOT support assignment operation ${op}`);
  throw selError('UNSUPPORTED_OPERATION', `${type} DO NOT support assignment operation ${op}`);
}
