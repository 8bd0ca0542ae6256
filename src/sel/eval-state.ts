import type { Expr, SelProgram, Stmt } from './ast.js';
import { SelError, selError, withPosition } from './errors.js';
import { lookupVariable, variablesParams, type SelParams, type SelVariables } from './lib/params.js';
import { DEFAULT_SEL_LIMITS, resolveLimits, type SelLimitPreset, type SelLimits } from './limits.js';
import type { Clock, Runtime } from './runtime.js';
import {
  typeOf,
  SelArray,
  SelClass,
  SelMap,
  STATIC_CLASSES,
  type StaticClassName,
  VOID,
  type SelElemType,
  type SelResult,
  type SelScalar,
  type SelValue,
} from './values.js';
import { fromJson, type SelInput } from './convert.js';

export interface EvaluateOptions {
  /** Input variables, visible by bare name and through the default `params`. */
  readonly variables?: SelVariables;
  /** The `params` extension; defaults to one backed by `variables`. */
  readonly params?: SelParams;
  readonly clock?: Clock;
  readonly limits?: Partial<SelLimits> | SelLimitPreset;
  /** Source of randomness for Math.random and UUID.randomUUID (default Math.random). */
  readonly random?: () => number;
  /** Monotonic milliseconds for the time limit (default Date.now). */
  readonly timer?: () => number;
}

const NO_VARS: SelVariables = Object.freeze({});
const SYSTEM_CLOCK: Clock = { now: () => Date.now() };
let lastLimitsIn: EvaluateOptions['limits'];
let lastLimitsOut: SelLimits = DEFAULT_SEL_LIMITS;

/** Callers usually pass the same (readonly) limits object every time; resolve it once. */
function cachedLimits(limits: EvaluateOptions['limits']): SelLimits {
  if (limits === undefined) return DEFAULT_SEL_LIMITS;
  if (limits !== lastLimitsIn) {
    lastLimitsOut = resolveLimits(limits);
    lastLimitsIn = limits;
  }
  return lastLimitsOut;
}

const STATIC_INSTANCES = new Map<string, SelClass>();

function staticClass(name: string): SelClass {
  let c = STATIC_INSTANCES.get(name);
  if (c === undefined) {
    c = new SelClass(name as StaticClassName);
    STATIC_INSTANCES.set(name, c);
  }
  return c;
}

/** Types whose variables cannot hold NULL (Java primitives/boxes that SEL keeps non-null). */
export const NON_NULL: ReadonlySet<string> = new Set(['LONG', 'DOUBLE', 'BOOLEAN']);

/**
 * The state of one evaluation: variable slots, the counters behind the limits, and the Runtime the library sees.
 * The interpreter proper (statements, expressions) extends it.
 */
export abstract class EvalState implements Runtime {
  // Instances are pooled per program (see interpreter.ts): `reset` starts an evaluation, `release` ends it.
  limits: SelLimits = DEFAULT_SEL_LIMITS;
  clock: Clock = SYSTEM_CLOCK;
  random: () => number = Math.random;
  private paramsImpl: SelParams | undefined = undefined;
  protected vars: SelVariables = NO_VARS;
  readonly vals: SelValue[];
  readonly types: (string | undefined)[];
  private timer: () => number = Date.now;
  // Set at the first time check (after 1024 visits), so a short evaluation never reads the clock.
  private deadline = -1;
  protected visits = 0;
  protected memory = 0;
  depth = 0;
  protected last: SelResult = VOID;
  protected ret: SelResult = VOID;
  busy = false;
  // Hot limits copied out of `limits` so the per-node checks read one field.
  protected visitLimit = DEFAULT_SEL_LIMITS.visit;
  stackLimit = DEFAULT_SEL_LIMITS.stack;
  // The static class (String, Util, params...) each name slot refers to, if any; fixed per program.
  private readonly statics: readonly (SelClass | undefined)[];

  constructor(protected readonly program: SelProgram) {
    const n = program.names.length;
    this.vals = new Array<SelValue>(n).fill(null);
    this.types = new Array<string | undefined>(n).fill(undefined);
    this.statics = program.names.map((name) =>
      Object.hasOwn(STATIC_CLASSES, name) ? staticClass(name) : undefined,
    );
  }

  reset(opts: EvaluateOptions): void {
    this.busy = true;
    this.limits = cachedLimits(opts.limits);
    this.visitLimit = this.limits.visit;
    this.stackLimit = this.limits.stack;
    this.vars = opts.variables ?? NO_VARS;
    this.paramsImpl = opts.params;
    this.clock = opts.clock ?? SYSTEM_CLOCK;
    this.random = opts.random ?? Math.random;
    this.timer = opts.timer ?? Date.now;
    this.deadline = -1;
    this.visits = 0;
    this.memory = 0;
    this.depth = 0;
    this.last = VOID;
    this.ret = VOID;
  }

  /** Drops every reference to this evaluation's values, so a pooled instance holds no caller data. */
  release(): void {
    // Plain loops: Array.prototype.fill has a fixed cost that dominates on the usual handful of slots.
    const { vals, types } = this;
    for (let i = 0; i < vals.length; i++) {
      vals[i] = null;
      types[i] = undefined;
    }
    this.vars = NO_VARS;
    this.paramsImpl = undefined;
    this.last = VOID;
    this.ret = VOID;
    this.busy = false;
  }

  abstract expr(e: Expr): SelValue;

  /** The caller's `params`, or one over the variables, made only when a script uses it. */
  get params(): SelParams {
    this.paramsImpl ??= variablesParams(this.vars);
    return this.paramsImpl;
  }

  charge(bytes: number): void {
    this.memory += bytes;
    if (this.memory > this.limits.memory)
      throw selError(
        'LIMIT_MEMORY',
        `SEL evaluation aborted as it takes too much memory (in byte) over the limit ${this.limits.memory}`,
      );
  }

  newArray(elem: SelElemType, items: SelScalar[]): SelArray {
    this.checkArraySize(items.length);
    let bytes = 32 + 32 * items.length;
    if (elem === 'STRING') for (const s of items) bytes += typeof s === 'string' ? 2 * s.length : 0;
    this.charge(bytes);
    return new SelArray(elem, items);
  }

  box(v: SelInput): SelValue {
    // Fast path for the commonest input, a small integer.
    if (typeof v === 'number' && Number.isSafeInteger(v)) {
      this.charge(32);
      return BigInt(v);
    }
    const b = fromJson(v);
    this.charge(typeof b === 'string' ? 32 + 2 * b.length : 32);
    return b;
  }

  checkArraySize(n: number): void {
    if (n >= this.limits.array)
      throw selError('LIMIT_ARRAY', `New array size is over the limit: ${this.limits.array} vs length: ${n}`);
  }

  /** Counts one node visit; the slow part (limit exceeded, or every 1024th visit's time check) is out of line. */
  visit(at: Stmt | Expr): void {
    if (++this.visits > this.visitLimit || (this.visits & 1023) === 0) this.visitSlow(at);
  }

  private visitSlow(at: Stmt | Expr): void {
    if (this.visits > this.limits.visit)
      throw new SelError(
        'LIMIT_VISIT',
        `SEL evaluation aborted as it takes too many operations over the limit ${this.limits.visit}`,
        at.line,
        at.column,
      );
    if ((this.visits & 1023) === 0) this.checkTime(at);
  }

  private checkTime(at: Stmt | Expr): void {
    try {
      this.timeLeftMs();
    } catch (err) {
      throw withPosition(err as SelError, at.line, at.column);
    }
  }

  timeLeftMs(): number {
    const now = this.timer();
    if (this.deadline < 0) this.deadline = now + this.limits.timeMs;
    const left = this.deadline - now;
    if (left < 0)
      throw selError(
        'LIMIT_TIME',
        `SEL evaluation aborted as it takes longer than the time limit ${this.limits.timeMs} ms`,
      );
    return left;
  }

  enter(at: Stmt | Expr, extra = 0): void {
    if (this.depth + extra > this.stackLimit)
      throw new SelError(
        'LIMIT_STACK',
        `SEL evaluation aborted as its stack is over the limit ${this.limits.stack}`,
        at.line,
        at.column,
      );
  }

  resolve(name: string, slot: number): SelValue {
    const cls = this.statics[slot];
    if (cls !== undefined) return cls;
    const input = lookupVariable(this.vars, name);
    if (input === undefined) return null;
    // Boxed once per evaluation and then kept as a local, so later assignments are type-checked against it.
    const v = this.box(input);
    this.vals[slot] = v;
    this.types[slot] = typeOf(v);
    return v;
  }

  arrayAt(target: SelValue, idx: SelValue, e: Expr): SelArray {
    if (!(target instanceof SelArray) || typeof idx !== 'bigint')
      throw new SelError(
        'CLASS_CAST',
        `class ${typeOf(target)} cannot be cast to an array indexed by ${typeOf(idx)}`,
        e.line,
        e.column,
      );
    if (idx < 0n || idx >= BigInt(target.items.length))
      throw new SelError(
        'INDEX_OUT_OF_BOUNDS',
        `Index ${idx} out of bounds for length ${target.items.length}`,
        e.line,
        e.column,
      );
    return target;
  }
}

export function defaultValue(type: string): SelValue {
  switch (type) {
    case 'LONG':
      return 0n;
    case 'DOUBLE':
      return 0;
    case 'BOOLEAN':
      return false;
    case 'MAP':
      return new SelMap(new Map(), true);
    default:
      return null;
  }
}

export function stamp(err: unknown, at: Expr): unknown {
  return err instanceof SelError ? withPosition(err, at.line, at.column) : err;
}
