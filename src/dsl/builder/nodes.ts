/**
 * The JSON shapes the builder produces for steps (REFERENCE §2.4, §4.4, §7.3, §7.4). Keys are Maestro's
 * snake_case keys, so what a user reads in the format reference is what they write in the builder options and what
 * ends up in the request.
 *
 * A step node carries two type parameters that exist only for the compiler: its id `I` and the ids of its
 * successors `N` (the keys of `transition.successors`). The step-list check in `graph-check.ts` reads them back.
 */
import type { ParamDef, Params } from './params.js';
import type { FailureMode, ParsableLong, SignalOperator, StepType, TagListJson } from './vocabulary.js';

export type FixedBackoffJson = {
  readonly type: 'FIXED_BACKOFF';
  readonly error_retry_backoff_in_secs?: ParsableLong;
  readonly platform_retry_backoff_in_secs?: ParsableLong;
  readonly timeout_retry_backoff_in_secs?: ParsableLong;
};

export type ExponentialBackoffJson = {
  readonly type: 'EXPONENTIAL_BACKOFF';
  readonly error_retry_backoff_in_secs?: ParsableLong;
  readonly error_retry_exponent?: ParsableLong;
  readonly error_retry_limit_in_secs?: ParsableLong;
  readonly platform_retry_backoff_in_secs?: ParsableLong;
  readonly platform_retry_exponent?: ParsableLong;
  readonly platform_retry_limit_in_secs?: ParsableLong;
  readonly timeout_retry_backoff_in_secs?: ParsableLong;
  readonly timeout_retry_exponent?: ParsableLong;
  readonly timeout_retry_limit_in_secs?: ParsableLong;
};

/** Unset fields take Maestro's defaults (REFERENCE §4.4). */
export type RetryPolicyJson = {
  readonly error_retry_limit?: ParsableLong;
  readonly platform_retry_limit?: ParsableLong;
  readonly timeout_retry_limit?: ParsableLong;
  readonly backoff?: FixedBackoffJson | ExponentialBackoffJson;
};

/** Signal params are matched as strings or longs only (REFERENCE §7.2–7.4). */
export type SignalParamDef = ParamDef<'STRING' | 'LONG'>;

/** A step waits until a signal matching these params has been announced (REFERENCE §7.3). */
export type SignalDependencyJson = {
  readonly name: string;
  readonly match_params?: {
    readonly [param: string]: { readonly param: SignalParamDef; readonly operator: SignalOperator };
  };
};

/** A signal the step announces when it finishes (REFERENCE §7.4). `name` is not allowed as a param key. */
export type SignalOutputJson = {
  readonly name: string;
  readonly params?: { readonly [param: string]: SignalParamDef; readonly name?: never };
  readonly payload?: Params;
};

/** Successor step id → SEL boolean condition; an absent transition makes the step a leaf. */
export type TransitionJson<N extends string> = { readonly successors: { readonly [K in N]: string } };

/** Fields every step kind has. */
export type CommonStepJson<I extends string, N extends string> = {
  readonly id: I;
  readonly name?: string;
  readonly description?: string;
  readonly transition?: TransitionJson<N>;
  readonly failure_mode?: FailureMode;
  readonly tags?: TagListJson;
  readonly timeout?: ParsableLong;
  readonly params?: Params;
  readonly signal_dependencies?: readonly SignalDependencyJson[];
  readonly signal_outputs?: readonly SignalOutputJson[];
};

export type TypedStepJson<I extends string, N extends string> = CommonStepJson<I, N> & {
  readonly type: StepType;
  readonly sub_type?: string;
  readonly sub_type_version?: string;
  readonly retry_policy?: RetryPolicyJson;
};

export type ForeachJson<I extends string, N extends string> = CommonStepJson<I, N> & {
  readonly concurrency?: number;
  readonly strict_ordering?: boolean;
  readonly steps: readonly StepNode[];
};

export type WhileJson<I extends string, N extends string> = CommonStepJson<I, N> & {
  readonly condition: string;
  readonly steps: readonly StepNode[];
};

export type SubworkflowJson<I extends string, N extends string> = CommonStepJson<I, N> & {
  readonly sync?: boolean;
  readonly explicit_params?: boolean;
};

export type TemplateJson<I extends string, N extends string> = CommonStepJson<I, N> & {
  readonly sub_type: string;
};

export type TypedStepNode<I extends string = string, N extends string = string> = {
  readonly step: TypedStepJson<I, N>;
};
export type ForeachNode<I extends string = string, N extends string = string> = {
  readonly foreach: ForeachJson<I, N>;
};
export type WhileNode<I extends string = string, N extends string = string> = {
  readonly while: WhileJson<I, N>;
};
export type SubworkflowNode<I extends string = string, N extends string = string> = {
  readonly subworkflow: SubworkflowJson<I, N>;
};
export type TemplateNode<I extends string = string, N extends string = string> = {
  readonly template: TemplateJson<I, N>;
};

/** One entry of a `steps` list: an object whose single key is the step's kind. */
export type StepNode<I extends string = string, N extends string = string> =
  TypedStepNode<I, N> | ForeachNode<I, N> | WhileNode<I, N> | SubworkflowNode<I, N> | TemplateNode<I, N>;
