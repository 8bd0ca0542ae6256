import type {
  JobTemplateCreateRequest,
  Properties,
  Step,
  User,
  Workflow,
  WorkflowCreateRequest,
} from '../model/definition.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import type { SignalDependency, SignalOutput, SignalTrigger } from '../model/trigger.js';
import { paramMapToJson, paramToJson, tagsToJson } from './normalize-param.js';

/**
 * Model → Maestro JSON. The output is the canonical wire form (snake_case keys, upper-case enum values, expanded
 * shorthands), which the parser reads back into an equal model.
 */
export function createRequestToJson(request: WorkflowCreateRequest): JsonObject {
  const out: Record<string, JsonValue> = {};
  if (request.properties) out['properties'] = propertiesToJson(request.properties);
  out['workflow'] = workflowToJson(request.workflow);
  if (request.is_active !== undefined) out['is_active'] = request.is_active;
  if (request.git_info) out['git_info'] = request.git_info;
  return { ...out, ...request.metadata };
}

export function jobTemplateRequestToJson(request: JobTemplateCreateRequest): JsonObject {
  const d = request.definition;
  const definition = compact({
    job_type: d.job_type,
    step_type: d.step_type,
    version: d.version,
    description: d.description,
    tags: d.tags && tagsToJson(d.tags),
    inherit_from: d.inherit_from,
    params: d.params && paramMapToJson(d.params),
  });
  return {
    ...request.metadata,
    ...compact({ owner: request.owner && userToJson(request.owner), git_info: request.git_info }),
    definition,
  };
}

export function propertiesToJson(p: Properties): JsonObject {
  return compact({
    owner: p.owner && userToJson(p.owner),
    access_control: p.access_control,
    run_strategy:
      p.run_strategy &&
      compact({ rule: p.run_strategy.rule, workflow_concurrency: p.run_strategy.workflow_concurrency }),
    step_concurrency: p.step_concurrency,
    alerting: p.alerting,
    alerting_disabled: p.alerting_disabled,
    signal_trigger_disabled: p.signal_trigger_disabled,
    time_trigger_disabled: p.time_trigger_disabled,
    description: p.description,
    tags: p.tags && tagsToJson(p.tags),
  });
}

function userToJson(user: User): JsonValue {
  return user.extra ? { name: user.name, ...user.extra } : user.name;
}

export function workflowToJson(w: Workflow): JsonObject {
  return compact({
    id: w.id,
    name: w.name,
    description: w.description,
    tags: w.tags && tagsToJson(w.tags),
    timeout: w.timeout,
    time_triggers: w.time_triggers?.map((t) => compact({ ...t })),
    signal_triggers: w.signal_triggers?.map(signalTriggerToJson),
    criticality: w.criticality,
    instance_step_concurrency: w.instance_step_concurrency,
    params: w.params && paramMapToJson(w.params),
    steps: w.steps.map(stepToJson),
  });
}

export function stepToJson(step: Step): JsonObject {
  const head = { id: step.id, name: step.name, description: step.description };
  const common = {
    transition: compact({
      successors: step.transition.successors,
      predecessors: step.transition.predecessors,
    }),
    failure_mode: step.failure_mode,
    tags: step.tags && tagsToJson(step.tags),
    timeout: step.timeout,
    params: step.params && paramMapToJson(step.params),
    signal_dependencies: step.signal_dependencies?.map(signalDependencyToJson),
    signal_outputs: step.signal_outputs?.map(signalOutputToJson),
  };
  switch (step.kind) {
    case 'step':
      return {
        step: compact({
          ...head,
          type: step.type,
          sub_type: step.sub_type,
          sub_type_version: step.sub_type_version,
          ...common,
          retry_policy:
            step.retry_policy &&
            compact({
              ...step.retry_policy,
              backoff: step.retry_policy.backoff && compact({ ...step.retry_policy.backoff }),
            }),
        }),
      };
    case 'foreach':
      return {
        foreach: compact({
          ...head,
          concurrency: step.concurrency,
          strict_ordering: step.strict_ordering,
          ...common,
          steps: step.steps.map(stepToJson),
        }),
      };
    case 'while':
      return {
        while: compact({ ...head, condition: step.condition, ...common, steps: step.steps.map(stepToJson) }),
      };
    case 'subworkflow':
      return {
        subworkflow: compact({ ...head, sync: step.sync, explicit_params: step.explicit_params, ...common }),
      };
    case 'template':
      return { template: compact({ ...head, sub_type: step.sub_type, ...common }) };
  }
}

function signalTriggerToJson(t: SignalTrigger): JsonObject {
  return compact({
    definitions: t.definitions as unknown as JsonObject,
    condition: t.condition,
    dedup_expr: t.dedup_expr,
    params: t.params && paramMapToJson(t.params),
  });
}

function signalDependencyToJson(d: SignalDependency): JsonObject {
  const matches: Record<string, JsonValue> = {};
  for (const [key, m] of Object.entries(d.match_params ?? {}))
    matches[key] = { param: paramToJson(m.param), operator: m.operator };
  return compact({ name: d.name, match_params: d.match_params && matches });
}

function signalOutputToJson(o: SignalOutput): JsonObject {
  return compact({
    name: o.name,
    params: o.params && paramMapToJson(o.params),
    payload: o.payload && paramMapToJson(o.payload),
  });
}

/** Drops keys whose value is undefined, so unset model fields stay absent in JSON. */
function compact(record: Record<string, unknown>): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value as JsonValue;
  return out;
}
