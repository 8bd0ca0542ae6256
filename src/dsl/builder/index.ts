/**
 * Baton's TypeScript builder: write a workflow in code and get Maestro's JSON create request.
 * ```ts
 * import { workflow, step, long } from 'baton';
 * export default workflow('hello', {
 *   properties: { owner: 'me' },
 *   steps: [step('wait', 'Sleep', { params: { sleep_seconds: long(5) }, next: ['done'] }), step('done', 'NoOp')],
 * });
 * ```
 * See docs/builder.md. The builder checks what the compiler can see (successor ids, param literal types); the
 * validator checks the produced JSON.
 *
 * Types named `...Json` describe the wire JSON the builder writes; they differ from the model's types of the same
 * concept (which are expanded and normalised), so they carry a suffix and both can be exported from 'baton'.
 * The enumerations (StepType, ParamMode, ...) are the model's and are exported from there.
 */
export { workflow } from './workflow.js';
export type {
  BuiltWorkflow,
  WorkflowOptions,
  WorkflowRequestJson,
  WorkflowJson,
  PropertiesJson,
  OwnerJson,
  RunStrategyJson,
  TimeTriggerJson,
  SignalTriggerJson,
} from './workflow.js';
export { step, subworkflow, template } from './steps.js';
export type { CommonOptions, StepOptions, SubworkflowOptions } from './steps.js';
export { foreach, whileLoop } from './loops.js';
export type { ForeachOptions, WhileOptions } from './loops.js';
export {
  expr,
  string,
  long,
  double,
  boolean,
  stringMap,
  stringArray,
  longArray,
  doubleArray,
  booleanArray,
  map,
} from './params.js';
export type {
  Expr,
  ParamDef,
  Params,
  ParamOptions,
  ParamValues,
  ArrayParamType,
  ScalarParamType,
} from './params.js';
export type {
  StepNode,
  TypedStepNode,
  ForeachNode,
  WhileNode,
  SubworkflowNode,
  TemplateNode,
  RetryPolicyJson,
  FixedBackoffJson,
  ExponentialBackoffJson,
  SignalDependencyJson,
  SignalOutputJson,
  SignalParamDef,
  TransitionJson,
} from './nodes.js';
export type { Next, StepList, StepIdOf, SuccessorIdsOf } from './graph-check.js';
export type { TagJson, TagListJson } from './vocabulary.js';
