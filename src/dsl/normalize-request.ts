import { canonical, Criticality, RunStrategyRule, StepType, TimeTriggerType } from '../model/enums.js';
import type {
  JobTemplateCreateRequest,
  Properties,
  RunStrategy,
  User,
  Workflow,
  WorkflowCreateRequest,
} from '../model/definition.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import { isJsonObject, textOf } from '../model/json.js';
import type { SignalMatchValue, SignalTrigger, SignalTriggerEntry, TimeTrigger } from '../model/trigger.js';
import { normalizeParamMap, normalizeTags } from './normalize-param.js';
import { normalizeSteps, parsableLong } from './normalize-step.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const REQUEST_KEYS = new Set(['properties', 'workflow', 'is_active', 'git_info']);

/** Wire → model for a create request. Tolerant (the wire schema reports structure problems); never throws. */
export function normalizeCreateRequest(raw: unknown): WorkflowCreateRequest {
  const root = isJsonObject(raw) ? raw : {};
  const request: Mutable<WorkflowCreateRequest> = { workflow: normalizeWorkflow(root['workflow']) };
  if (isJsonObject(root['properties'])) request.properties = normalizeProperties(root['properties']);
  if (typeof root['is_active'] === 'boolean') request.is_active = root['is_active'];
  if (isJsonObject(root['git_info'])) request.git_info = root['git_info'];
  const metadata = extraKeys(root, REQUEST_KEYS);
  if (metadata) request.metadata = metadata;
  return request;
}

export function normalizeJobTemplateRequest(raw: unknown): JobTemplateCreateRequest {
  const root = isJsonObject(raw) ? raw : {};
  const def = isJsonObject(root['definition']) ? root['definition'] : {};
  const definition: Mutable<JobTemplateCreateRequest['definition']> = {
    job_type: typeof def['job_type'] === 'string' ? def['job_type'] : '',
    step_type: canonical(StepType, def['step_type']) ?? (textOf(def['step_type']) as StepType),
    version: typeof def['version'] === 'string' ? def['version'] : '',
  };
  if (typeof def['description'] === 'string') definition.description = def['description'];
  const tags = normalizeTags(def['tags']);
  if (tags) definition.tags = tags;
  if (isJsonObject(def['inherit_from'])) definition.inherit_from = def['inherit_from'];
  const params = normalizeParamMap(def['params']);
  if (params) definition.params = params;
  const request: Mutable<JobTemplateCreateRequest> = { definition };
  const owner = normalizeUser(root['owner']);
  if (owner) request.owner = owner;
  if (isJsonObject(root['git_info'])) request.git_info = root['git_info'];
  const metadata = extraKeys(root, new Set(['definition', 'owner', 'git_info']));
  if (metadata) request.metadata = metadata;
  return request;
}

function normalizeWorkflow(raw: unknown): Workflow {
  const w = isJsonObject(raw) ? raw : {};
  const workflow: Mutable<Workflow> = {
    id: typeof w['id'] === 'string' ? w['id'] : '',
    steps: normalizeSteps(w['steps']),
  };
  if (typeof w['name'] === 'string') workflow.name = w['name'];
  if (typeof w['description'] === 'string') workflow.description = w['description'];
  const tags = normalizeTags(w['tags']);
  if (tags) workflow.tags = tags;
  const timeout = parsableLong(w['timeout']);
  if (timeout !== undefined) workflow.timeout = timeout;
  if (Array.isArray(w['time_triggers']))
    workflow.time_triggers = w['time_triggers'].map((t) => normalizeTimeTrigger(isJsonObject(t) ? t : {}));
  if (Array.isArray(w['signal_triggers'])) {
    workflow.signal_triggers = w['signal_triggers'].map((t) =>
      normalizeSignalTrigger(isJsonObject(t) ? t : {}),
    );
  }
  const criticality = canonical(Criticality, w['criticality']);
  if (criticality) workflow.criticality = criticality;
  if (typeof w['instance_step_concurrency'] === 'number')
    workflow.instance_step_concurrency = w['instance_step_concurrency'];
  const params = normalizeParamMap(w['params']);
  if (params) workflow.params = params;
  return workflow;
}

export function normalizeProperties(raw: JsonObject): Properties {
  const out: Mutable<Properties> = {};
  const owner = normalizeUser(raw['owner']);
  if (owner) out.owner = owner;
  if (raw['access_control'] !== undefined) out.access_control = raw['access_control'];
  const runStrategy = normalizeRunStrategy(raw['run_strategy']);
  if (runStrategy) out.run_strategy = runStrategy;
  if (typeof raw['step_concurrency'] === 'number') out.step_concurrency = raw['step_concurrency'];
  if (isJsonObject(raw['alerting'])) out.alerting = raw['alerting'];
  for (const key of ['alerting_disabled', 'signal_trigger_disabled', 'time_trigger_disabled'] as const) {
    if (typeof raw[key] === 'boolean') out[key] = raw[key];
  }
  if (typeof raw['description'] === 'string') out.description = raw['description'];
  const tags = normalizeTags(raw['tags']);
  if (tags) out.tags = tags;
  return out;
}

function normalizeUser(raw: unknown): User | undefined {
  if (typeof raw === 'string') return { name: raw };
  if (!isJsonObject(raw) || typeof raw['name'] !== 'string') return undefined;
  const extra = extraKeys(raw, new Set(['name']));
  return extra ? { name: raw['name'], extra } : { name: raw['name'] };
}

/** `"parallel"`, `5` (PARALLEL with that concurrency) or `{rule, workflow_concurrency}`. */
function normalizeRunStrategy(raw: unknown): RunStrategy | undefined {
  if (typeof raw === 'number') return { rule: 'PARALLEL', workflow_concurrency: raw };
  const rule = canonical(RunStrategyRule, isJsonObject(raw) ? raw['rule'] : raw);
  if (!rule) return undefined;
  if (isJsonObject(raw) && typeof raw['workflow_concurrency'] === 'number') {
    return { rule, workflow_concurrency: raw['workflow_concurrency'] };
  }
  return { rule };
}

function normalizeTimeTrigger(raw: JsonObject): TimeTrigger {
  const out: Mutable<TimeTrigger> = {
    type: canonical(TimeTriggerType, raw['type']) ?? (textOf(raw['type']) as TimeTrigger['type']),
  };
  if (typeof raw['cron'] === 'string') out.cron = raw['cron'];
  if (typeof raw['expression'] === 'string') out.expression = raw['expression'];
  if (raw['interval'] !== undefined) out.interval = raw['interval'];
  if (raw['start'] !== undefined) out.start = raw['start'];
  if (typeof raw['timezone'] === 'string') out.timezone = raw['timezone'];
  const fuzzy = raw['fuzzy_max_delay'];
  if (typeof fuzzy === 'string' || typeof fuzzy === 'number') out.fuzzy_max_delay = fuzzy;
  return out;
}

function normalizeSignalTrigger(raw: JsonObject): SignalTrigger {
  const definitions: Record<string, SignalTriggerEntry> = {};
  if (isJsonObject(raw['definitions'])) {
    for (const [name, def] of Object.entries(raw['definitions'])) {
      if (!isJsonObject(def)) continue;
      const entry: Mutable<SignalTriggerEntry> = {};
      if (isJsonObject(def['match_params'])) {
        const matches: Record<string, SignalMatchValue> = {};
        for (const [key, m] of Object.entries(def['match_params'])) {
          if (isJsonObject(m) && (typeof m['value'] === 'string' || typeof m['value'] === 'number')) {
            matches[key] = {
              value: m['value'],
              operator: textOf(m['operator'] ?? '=') as SignalMatchValue['operator'],
            };
          }
        }
        entry.match_params = matches;
      }
      if (Array.isArray(def['join_keys']))
        entry.join_keys = def['join_keys'].filter((k): k is string => typeof k === 'string');
      definitions[name] = entry;
    }
  }
  const out: Mutable<SignalTrigger> = { definitions };
  if (typeof raw['condition'] === 'string') out.condition = raw['condition'];
  if (typeof raw['dedup_expr'] === 'string') out.dedup_expr = raw['dedup_expr'];
  const params = normalizeParamMap(raw['params']);
  if (params) out.params = params;
  return out;
}

function extraKeys(raw: JsonObject, known: ReadonlySet<string>): JsonObject | undefined {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(raw)) if (!known.has(key)) out[key] = value;
  return Object.keys(out).length > 0 ? out : undefined;
}
