import type { Criticality, FailureMode, RunStrategyRule, StepKind, StepType } from './enums.js';
import type { JsonObject, JsonValue } from './json.js';
import type { ParamMap } from './param.js';
import type { ParsableLong, RetryPolicy } from './retry-policy.js';
import type { Tag } from './tag.js';
import type { SignalDependency, SignalOutput, SignalTrigger, TimeTrigger } from './trigger.js';

/**
 * The definition model: one canonical, validated, frozen form of Maestro's create request, whatever way it was
 * written (JSON, YAML, the YAML DSL or the TypeScript builder). Field names are the wire's snake_case names, so the
 * model and the JSON it writes are the same shape; shorthands (string owner, numeric run strategy, string tags,
 * wrapper objects for steps) are expanded and enum values are upper-cased. Unset fields stay unset: defaults are
 * applied by the code that reads them, so model → JSON → model is the identity.
 */

export interface User {
  readonly name: string;
  readonly extra?: JsonObject;
}

export interface RunStrategy {
  readonly rule: RunStrategyRule;
  readonly workflow_concurrency?: number;
}

export interface Properties {
  readonly owner?: User;
  readonly access_control?: JsonValue;
  readonly run_strategy?: RunStrategy;
  readonly step_concurrency?: number;
  readonly alerting?: JsonObject;
  readonly alerting_disabled?: boolean;
  readonly signal_trigger_disabled?: boolean;
  readonly time_trigger_disabled?: boolean;
  readonly description?: string;
  readonly tags?: readonly Tag[];
}

/** `{"successors": {"<stepId>": "<SEL condition>"}}`; insertion order is kept. */
export interface Transition {
  readonly successors: { readonly [stepId: string]: string };
  readonly predecessors?: readonly string[];
}

interface StepCommon {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly transition: Transition;
  readonly failure_mode?: FailureMode;
  readonly tags?: readonly Tag[];
  readonly timeout?: ParsableLong;
  readonly params?: ParamMap;
  readonly signal_dependencies?: readonly SignalDependency[];
  readonly signal_outputs?: readonly SignalOutput[];
}

export interface TypedStep extends StepCommon {
  readonly kind: 'step';
  /** Absent only when `sub_type` names a job template, which then fixes the type (resolved when the step runs). */
  readonly type?: StepType;
  readonly sub_type?: string;
  readonly sub_type_version?: string;
  readonly retry_policy?: RetryPolicy;
}

export interface ForeachStep extends StepCommon {
  readonly kind: 'foreach';
  readonly concurrency?: number;
  readonly strict_ordering?: boolean;
  readonly steps: readonly Step[];
}

export interface WhileStep extends StepCommon {
  readonly kind: 'while';
  readonly condition: string;
  readonly steps: readonly Step[];
}

export interface SubworkflowStep extends StepCommon {
  readonly kind: 'subworkflow';
  readonly sync?: boolean;
  readonly explicit_params?: boolean;
}

export interface TemplateStep extends StepCommon {
  readonly kind: 'template';
  readonly sub_type?: string;
}

export type Step = TypedStep | ForeachStep | WhileStep | SubworkflowStep | TemplateStep;

/** Compile-time check that every step kind has a model shape. */
export type StepOfKind = { readonly [K in StepKind]: Extract<Step, { kind: K }> };

export interface Workflow {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly tags?: readonly Tag[];
  readonly timeout?: ParsableLong;
  readonly time_triggers?: readonly TimeTrigger[];
  readonly signal_triggers?: readonly SignalTrigger[];
  readonly criticality?: Criticality;
  readonly instance_step_concurrency?: number;
  readonly params?: ParamMap;
  readonly steps: readonly Step[];
}

export interface GitInfo {
  readonly [key: string]: JsonValue;
}

/** `POST /api/v3/workflows`: a new immutable version of a workflow; unknown top-level keys are kept as metadata. */
export interface WorkflowCreateRequest {
  readonly properties?: Properties;
  readonly workflow: Workflow;
  readonly is_active?: boolean;
  readonly git_info?: GitInfo;
  readonly metadata?: JsonObject;
}

/** A named, versioned step preset: `sub_type: X` on a step loads template X (REFERENCE §2.4). */
export interface JobTemplate {
  readonly job_type: string;
  readonly step_type: StepType;
  readonly version: string;
  readonly description?: string;
  readonly tags?: readonly Tag[];
  readonly inherit_from?: JsonObject;
  readonly params?: ParamMap;
}

export interface JobTemplateCreateRequest {
  readonly definition: JobTemplate;
  readonly owner?: User;
  readonly git_info?: GitInfo;
  readonly metadata?: JsonObject;
}

export function isLoopStep(step: Step): step is ForeachStep | WhileStep {
  return step.kind === 'foreach' || step.kind === 'while';
}

/** Every step in a list, depth first, with the loop steps' bodies after the loop step itself. */
export function* allSteps(steps: readonly Step[]): Generator<Step> {
  for (const step of steps) {
    yield step;
    if (isLoopStep(step)) yield* allSteps(step.steps);
  }
}
