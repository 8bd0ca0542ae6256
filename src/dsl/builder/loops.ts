/**
 * Loop steps (REFERENCE §6). A loop's body is its own step list: its transitions may only point at steps of that
 * body, so the body is checked here, and the loop node itself joins the enclosing list with its own `next`.
 * Loop variables go in `loop_params`; the factory writes them as Maestro's `params.loop_params` MAP.
 */
import { type Next, type NextIds, type StepList } from './graph-check.js';
import { compact, frozenCopy } from './json-util.js';
import type { CommonStepJson, ForeachNode, StepNode, WhileNode } from './nodes.js';
import { type ArrayParamType, type ParamDef, type Params, type ScalarParamType, map } from './params.js';
import { type CommonOptions, headFields, tailFields, withoutKeys } from './steps.js';

/** `loop_params` is written by the factory from its own option, never passed as a plain param. */
type LoopStepParams = Params & { readonly loop_params?: never };

export type ForeachOptions<X extends Next, S extends readonly StepNode[]> = CommonOptions<
  X,
  LoopStepParams
> & {
  /** One array per loop variable; the iterations are the cross product of the arrays. */
  readonly loop_params: { readonly [name: string]: ParamDef<ArrayParamType> };
  /** How many iterations run at once (at most 500; unset = the system default). */
  readonly concurrency?: number;
  /** Keep the window of running iterations contiguous, so they finish roughly in order. */
  readonly strict_ordering?: boolean;
  readonly steps: StepList<S>;
};

/**
 * Runs its steps once per combination of loop values, each iteration seeing the values as params:
 * `foreach('each-day', { loop_params: { day: longArray(expr('Util.dateIntsBetween(20240101, 20240108, 1)')) },
 * steps: [step('load', 'Sql', ...)] })`.
 */
export function foreach<
  const I extends string,
  const S extends readonly StepNode[],
  const X extends Next = never,
>(id: I, options: ForeachOptions<X, S>): ForeachNode<I, NextIds<X>> {
  const body = compact({
    ...headFields(id, options),
    concurrency: options.concurrency,
    strict_ordering: options.strict_ordering,
    ...tailFields(options, loopParams(options.loop_params, options.params)),
    steps: frozenCopy(options.steps as readonly StepNode[]),
  });
  return Object.freeze({ foreach: body as CommonStepJson<I, NextIds<X>> & { steps: readonly StepNode[] } });
}

export type WhileOptions<X extends Next, S extends readonly StepNode[]> = CommonOptions<X, LoopStepParams> & {
  /** SEL boolean evaluated before each iteration with the loop params in scope; false ends the loop. */
  readonly condition: string;
  /**
   * Initial values of the loop variables. After each iteration, a step param of the same name in the body
   * becomes the variable's next value.
   */
  readonly loop_params: { readonly [name: string]: ParamDef<ScalarParamType> };
  readonly steps: StepList<S>;
};

/**
 * Runs its steps again and again, one iteration at a time, while `condition` holds:
 * `whileLoop('poll', { condition: 'i < 5', loop_params: { i: long(0) }, steps: [...] })`.
 * Named `whileLoop` because `while` is a reserved word; the JSON kind is `while`.
 */
export function whileLoop<
  const I extends string,
  const S extends readonly StepNode[],
  const X extends Next = never,
>(id: I, options: WhileOptions<X, S>): WhileNode<I, NextIds<X>> {
  const body = compact({
    ...headFields(id, options),
    condition: options.condition,
    ...tailFields(options, loopParams(options.loop_params, options.params)),
    steps: frozenCopy(options.steps as readonly StepNode[]),
  });
  return Object.freeze({
    while: body as CommonStepJson<I, NextIds<X>> & { condition: string; steps: readonly StepNode[] },
  });
}

function loopParams(loop: Params, params: Params | undefined): Params {
  return { loop_params: map(loop), ...withoutKeys(params, ['loop_params']) };
}
