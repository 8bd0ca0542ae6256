/**
 * Leaf step factories: `step` (a typed step such as NoOp, Sleep, Shell), `subworkflow` and `template`. Every
 * factory has the shape `kind(id, what, options?)` and returns the JSON node for the `steps` list, typed with its
 * literal id and successor ids so the enclosing list can check its transitions.
 */
import { type Next, type NextIds, transitionOf } from './graph-check.js';
import { compact, frozenCopy } from './json-util.js';
import type {
  CommonStepJson,
  RetryPolicyJson,
  SignalDependencyJson,
  SignalOutputJson,
  SubworkflowNode,
  TemplateNode,
  TypedStepNode,
} from './nodes.js';
import { type Expr, type Params, copyParams, string } from './params.js';
import type { FailureMode, ParsableLong, StepType, TagListJson } from './vocabulary.js';

/** Options every step kind accepts. Keys are the JSON keys, except `next`, which becomes `transition`. */
export type CommonOptions<X extends Next, P extends Params = Params> = {
  readonly name?: string;
  readonly description?: string;
  readonly next?: X;
  readonly failure_mode?: FailureMode;
  readonly tags?: TagListJson;
  /** Seconds, or a duration such as `"2 hours"`; may use `${param}` with a workflow param. */
  readonly timeout?: ParsableLong;
  readonly params?: P;
  readonly signal_dependencies?: readonly SignalDependencyJson[];
  readonly signal_outputs?: readonly SignalOutputJson[];
};

export type StepOptions<X extends Next> = CommonOptions<X> & {
  /** The job template this step runs, e.g. `"shell"` (REFERENCE §2.4, job templates). */
  readonly sub_type?: string;
  readonly sub_type_version?: string;
  readonly retry_policy?: RetryPolicyJson;
};

/**
 * The common fields, split around the kind-specific ones so every kind writes keys in the same order:
 * identity first, then what the step is, then how it connects and behaves.
 */
export function headFields<I extends string>(id: I, options: CommonOptions<Next> | undefined) {
  return { id, name: options?.name, description: options?.description };
}

export function tailFields(options: CommonOptions<Next> | undefined, params: Params | undefined) {
  return {
    transition: transitionOf(options?.next),
    failure_mode: options?.failure_mode,
    tags: options?.tags === undefined ? undefined : frozenCopy(options.tags),
    timeout: options?.timeout,
    params: params === undefined ? undefined : copyParams(params),
    signal_dependencies: frozenCopy(options?.signal_dependencies),
    signal_outputs: frozenCopy(options?.signal_outputs),
  };
}

/**
 * A typed step: `step('extract', 'Shell', { params: { command: string('./extract.sh') }, next: ['load'] })`.
 * `next` lists the steps that follow (or maps each to a SEL condition); they must be in the same step list.
 */
export function step<const I extends string, const X extends Next = never>(
  id: I,
  type: StepType,
  options?: StepOptions<X>,
): TypedStepNode<I, NextIds<X>> {
  const body = compact({
    ...headFields(id, options),
    type,
    sub_type: options?.sub_type,
    sub_type_version: options?.sub_type_version,
    ...tailFields(options, options?.params),
    retry_policy: frozenCopy(options?.retry_policy),
  });
  return Object.freeze({ step: body as CommonStepJson<I, NextIds<X>> & { type: StepType } });
}

/** `subworkflow_id` and `subworkflow_version` are set from the factory's arguments, not as free params. */
type SubworkflowParams = Params & { readonly subworkflow_id?: never; readonly subworkflow_version?: never };

export type SubworkflowOptions<X extends Next> = CommonOptions<X, SubworkflowParams> & {
  /** `"active"` (Maestro's default), `"latest"`, `"default"` or a version number. */
  readonly version?: string | number | Expr;
  /** Wait for the child to finish (default true); false = fire and forget. */
  readonly sync?: boolean;
  /** Pass only the listed params down instead of all workflow params (default false). */
  readonly explicit_params?: boolean;
};

const TARGET_KEYS = ['subworkflow_id', 'subworkflow_version'] as const;

/** Drops reserved keys a plain-JS caller might pass anyway, so the factory's own values always win. */
export function withoutKeys(params: Params | undefined, keys: readonly string[]): Params {
  return Object.fromEntries(Object.entries(params ?? {}).filter(([key]) => !keys.includes(key)));
}

/**
 * Runs another workflow as a step: `subworkflow('run-child', 'child-wf', { version: 'latest', params })`.
 * Params other than the target become the child run's params.
 */
export function subworkflow<const I extends string, const X extends Next = never>(
  id: I,
  subworkflowId: string | Expr,
  options?: SubworkflowOptions<X>,
): SubworkflowNode<I, NextIds<X>> {
  const version = options?.version;
  const params: Params = {
    subworkflow_id: string(subworkflowId),
    ...(version === undefined
      ? {}
      : { subworkflow_version: string(typeof version === 'number' ? String(version) : version) }),
    ...withoutKeys(options?.params, TARGET_KEYS),
  };
  const body = compact({
    ...headFields(id, options),
    sync: options?.sync,
    explicit_params: options?.explicit_params,
    ...tailFields(options, params),
  });
  return Object.freeze({ subworkflow: body as CommonStepJson<I, NextIds<X>> });
}

/** A template step (REFERENCE §2.4): a placeholder naming a job template, with no runtime of its own. */
export function template<const I extends string, const X extends Next = never>(
  id: I,
  subType: string,
  options?: CommonOptions<X>,
): TemplateNode<I, NextIds<X>> {
  const body = compact({
    ...headFields(id, options),
    sub_type: subType,
    ...tailFields(options, options?.params),
  });
  return Object.freeze({ template: body as CommonStepJson<I, NextIds<X>> & { sub_type: string } });
}
