import type { StepKind, StepType } from '../model/enums.js';
import { DEFAULTS } from '../model/limits.js';
import type { ParamDefinition, ParamMap } from '../model/param.js';

// The params the system gives steps before their own definition is merged in (REFERENCE §2.4): every step's
// identity (RESERVED: the engine fills it in), and each step type's defaults, with REQUIRED params a definition or
// job template must supply. Values not known here stay OPTIONAL without a value, so they are simply absent.

const optional = (type: ParamDefinition['type']): ParamDefinition => ({ type, internal_mode: 'OPTIONAL' });
const required = (type: ParamDefinition['type']): ParamDefinition => ({ type, internal_mode: 'REQUIRED' });
const reserved = (type: ParamDefinition['type']): ParamDefinition => ({ type, internal_mode: 'RESERVED' });

/** Params every step has: `workflow_instance_id`, `step_instance_uuid`, `step_attempt_id`, `step_id`. */
export function defaultStepParams(): ParamMap {
  return Object.freeze({
    workflow_instance_id: reserved('LONG'),
    step_instance_uuid: reserved('STRING'),
    step_attempt_id: reserved('LONG'),
    step_id: reserved('STRING'),
  });
}

function kubernetes(image: ParamDefinition): ParamDefinition {
  return {
    type: 'MAP',
    value: {
      app_name: { type: 'STRING', value: 'maestro-job' },
      cpu: optional('STRING'),
      disk: optional('STRING'),
      gpu: optional('STRING'),
      memory: optional('STRING'),
      image,
      command: optional('STRING_ARRAY'),
      args: optional('STRING_ARRAY'),
      env: optional('STRING_MAP'),
      job_deduplication_key: optional('STRING'),
      owner_email: optional('STRING'),
    },
  };
}

/** An Http step finishes DONE on 2xx, FATAL_ERROR on 4xx and USER_ERROR otherwise, unless `state_expr` says else. */
const HTTP_STATE = [
  'if (status_code >= 200 && status_code < 300) return "DONE";',
  'if (status_code >= 400 && status_code < 500) return "FATAL_ERROR";',
  'return "USER_ERROR";',
].join(' ');

const BY_TYPE: Readonly<Record<StepType, ParamMap>> = {
  NoOp: {},
  Sleep: { sleep_seconds: { type: 'LONG', value: DEFAULTS.sleepSeconds } },
  Titus: {},
  Notebook: {
    kubernetes: { ...kubernetes(optional('STRING')), internal_mode: 'PROVIDED' },
    notebook: {
      type: 'MAP',
      value: {
        init_command: optional('STRING'),
        git_repo: optional('STRING'),
        git_branch: optional('STRING'),
        git_commit: optional('STRING'),
        input_path: required('STRING'),
        output_path: optional('STRING'),
        papermill_arguments: optional('STRING'),
        run_id: optional('STRING'),
      },
    },
  },
  Kubernetes: { kubernetes: kubernetes(required('STRING')) },
  Http: {
    http: {
      type: 'MAP',
      value: {
        url: required('STRING'),
        method: { type: 'STRING', value: 'GET' },
        headers: optional('STRING_MAP'),
        body: optional('STRING'),
      },
    },
    state_expr: { type: 'STRING', value: HTTP_STATE },
  },
  Join: {},
  Shell: {},
  Sql: {},
  Container: {},
};

const BY_KIND: Readonly<Record<Exclude<StepKind, 'step'>, ParamMap>> = {
  foreach: {
    loop_params: { ...required('MAP'), mode: 'MUTABLE_ON_START' },
    loop_index: reserved('LONG'),
  },
  while: {
    loop_params: { ...required('MAP'), mode: 'MUTABLE_ON_START' },
    loop_index: reserved('LONG'),
    condition: reserved('BOOLEAN'),
  },
  subworkflow: {
    subworkflow_id: { ...required('STRING'), mode: 'MUTABLE_ON_START' },
    subworkflow_version: { type: 'STRING', value: 'active', internal_mode: 'PROVIDED' },
  },
  template: {},
};

/** The defaults of a step kind, and for typed steps of its type (`defaultStepTypeParams('step', 'Sleep')`). */
export function defaultStepTypeParams(kind: StepKind, type?: StepType): ParamMap {
  if (kind !== 'step') return BY_KIND[kind];
  return type === undefined ? {} : BY_TYPE[type];
}
