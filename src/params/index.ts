/**
 * Params: the 10 types and their coercions, the 5 modes and their override rules, the merge order of workflow and
 * step params, the default system params, string interpolation, cross-step references, evaluation in dependency
 * order, and SEL's `params` extension over evaluated params (REFERENCE §3). Pure: time comes from an injected clock.
 */
export { ParamError, ParamErrorCode, paramIssue, type ParamIssue } from './errors.js';
export {
  ParamSource,
  type EvaluatedParam,
  type EvaluatedParams,
  type ParamScalar,
  type ParamValue,
  type ParamValueMap,
  type SourcedParam,
  type SourcedParamMap,
} from './types.js';
export { coerceInput, coerceSelResult } from './coerce.js';
export { formatParamValue, paramValueToJson, paramValueToSel, typeOfValue } from './value-convert.js';
export {
  checkOverride,
  checkRuntimeChange,
  DEFAULT_MODE,
  MODE_TRAITS,
  modeOf,
  type MergePhase,
  type ModeTraits,
} from './modes.js';
export {
  literalDefinition,
  mergeLayers,
  mergeRestartParams,
  mergeStepParams,
  mergeWorkflowParams,
  runParamsFromValues,
  type ParamLayer,
  type RestartMergeInput,
  type StepMergeInput,
  type WorkflowMergeInput,
} from './merge.js';
export { interpolate, interpolationReferences } from './interpolate.js';
export {
  definitionReferences,
  evaluationOrder,
  isNestedDefinitions,
  literalReferences,
} from './references.js';
export { evaluatedParamsToJson, paramsJsonSize, paramValues } from './params-json.js';
export {
  createParamEvaluator,
  type EvaluateInput,
  type ParamEvaluator,
  type ParamEvaluatorDeps,
  type ParamEvaluatorOptions,
} from './evaluate.js';
export {
  createSelParams,
  INSTANCE_FIELDS,
  type ParamContext,
  type SignalDependencyState,
  type StepState,
} from './sel-params.js';
export { DEFAULT_STEP_PARAM_NAMES, defaultWorkflowParams, type SystemParamOptions } from './system-params.js';
export { InitiatorType, instanceFields, type Initiator, type InstanceFieldsInput } from './instance.js';
export { defaultStepParams, defaultStepTypeParams } from './step-defaults.js';
export { isSecretParam, redactStep, redactWorkflow, REDACTED, secretParamNames } from './secrets.js';
