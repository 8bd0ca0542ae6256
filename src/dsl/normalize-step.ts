import { BackoffType, canonical, FailureMode, SignalOperator, StepKind, StepType } from '../model/enums.js';
import type { Step, Transition } from '../model/definition.js';
import type { JsonObject } from '../model/json.js';
import { isJsonObject, textOf } from '../model/json.js';
import type { Backoff, ParsableLong, RetryPolicy } from '../model/retry-policy.js';
import { BACKOFF_FIELDS, RETRY_LIMIT_FIELDS } from '../model/retry-policy.js';
import type { SignalDependency, SignalDependencyMatch, SignalOutput } from '../model/trigger.js';
import { normalizeParam, normalizeParamMap, normalizeTags } from './normalize-param.js';

const PLACEHOLDER_STEP: Step = { kind: 'step', id: '', type: '' as StepType, transition: { successors: {} } };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Wire → model for one step wrapper (`{"step": {...}}`, `{"foreach": {...}}`, ...). Tolerant; never throws. */
export function normalizeStep(raw: unknown): Step | undefined {
  if (!isJsonObject(raw)) return undefined;
  const kind = Object.keys(raw).find((key): key is StepKind => Object.hasOwn(StepKind, key));
  const body = kind ? raw[kind] : undefined;
  if (!kind || !isJsonObject(body)) return undefined;
  const common = normalizeCommon(body);
  switch (kind) {
    case 'step': {
      const step: Mutable<Extract<Step, { kind: 'step' }>> = { kind, ...common };
      if (body['type'] !== undefined)
        step.type = canonical(StepType, body['type']) ?? (textOf(body['type']) as StepType);
      if (typeof body['sub_type'] === 'string') step.sub_type = body['sub_type'];
      if (typeof body['sub_type_version'] === 'string') step.sub_type_version = body['sub_type_version'];
      const retry = normalizeRetryPolicy(body['retry_policy']);
      if (retry) step.retry_policy = retry;
      return step;
    }
    case 'foreach': {
      const step: Mutable<Extract<Step, { kind: 'foreach' }>> = {
        kind,
        ...common,
        steps: normalizeSteps(body['steps']),
      };
      if (typeof body['concurrency'] === 'number') step.concurrency = body['concurrency'];
      if (typeof body['strict_ordering'] === 'boolean') step.strict_ordering = body['strict_ordering'];
      return step;
    }
    case 'while':
      return {
        kind,
        ...common,
        condition: typeof body['condition'] === 'string' ? body['condition'] : '',
        steps: normalizeSteps(body['steps']),
      };
    case 'subworkflow': {
      const step: Mutable<Extract<Step, { kind: 'subworkflow' }>> = { kind, ...common };
      if (typeof body['sync'] === 'boolean') step.sync = body['sync'];
      if (typeof body['explicit_params'] === 'boolean') step.explicit_params = body['explicit_params'];
      return step;
    }
    case 'template': {
      const step: Mutable<Extract<Step, { kind: 'template' }>> = { kind, ...common };
      if (typeof body['sub_type'] === 'string') step.sub_type = body['sub_type'];
      return step;
    }
  }
}

export function normalizeSteps(raw: unknown): readonly Step[] {
  if (!Array.isArray(raw)) return [];
  // One model step per wire item, so list indexes (and the JSON paths built from them) stay aligned with the
  // source; an item of the wrong shape becomes a placeholder whose problems the wire schema has reported.
  return raw.map((item) => normalizeStep(item) ?? PLACEHOLDER_STEP);
}

function normalizeCommon(body: JsonObject) {
  const common: Mutable<Omit<Extract<Step, { kind: 'template' }>, 'kind' | 'sub_type'>> = {
    id: typeof body['id'] === 'string' ? body['id'] : '',
    transition: normalizeTransition(body['transition']),
  };
  if (typeof body['name'] === 'string') common.name = body['name'];
  if (typeof body['description'] === 'string') common.description = body['description'];
  const failureMode = canonical(FailureMode, body['failure_mode']);
  if (failureMode) common.failure_mode = failureMode;
  const tags = normalizeTags(body['tags']);
  if (tags) common.tags = tags;
  const timeout = parsableLong(body['timeout']);
  if (timeout !== undefined) common.timeout = timeout;
  const params = normalizeParamMap(body['params']);
  if (params) common.params = params;
  if (Array.isArray(body['signal_dependencies'])) {
    common.signal_dependencies = body['signal_dependencies'].map((d) =>
      normalizeSignalDependency(isJsonObject(d) ? d : {}),
    );
  }
  if (Array.isArray(body['signal_outputs'])) {
    common.signal_outputs = body['signal_outputs'].map((o) =>
      normalizeSignalOutput(isJsonObject(o) ? o : {}),
    );
  }
  return common;
}

function normalizeTransition(raw: unknown): Transition {
  const successors: Record<string, string> = {};
  if (isJsonObject(raw) && isJsonObject(raw['successors'])) {
    for (const [id, condition] of Object.entries(raw['successors'])) {
      if (typeof condition === 'string') successors[id] = condition;
      else if (typeof condition === 'boolean') successors[id] = String(condition);
    }
  }
  if (isJsonObject(raw) && Array.isArray(raw['predecessors'])) {
    return {
      successors,
      predecessors: raw['predecessors'].filter((p): p is string => typeof p === 'string'),
    };
  }
  return { successors };
}

export function parsableLong(raw: unknown): ParsableLong | undefined {
  return typeof raw === 'number' || typeof raw === 'string' ? raw : undefined;
}

function normalizeRetryPolicy(raw: unknown): RetryPolicy | undefined {
  if (!isJsonObject(raw)) return undefined;
  const out: Mutable<RetryPolicy> = {};
  for (const field of RETRY_LIMIT_FIELDS) {
    const value = parsableLong(raw[field]);
    if (value !== undefined) out[field] = value;
  }
  const backoff = raw['backoff'];
  if (isJsonObject(backoff)) {
    const b: Mutable<Backoff> = {};
    const type = canonical(BackoffType, backoff['type']);
    if (type) b.type = type;
    for (const field of BACKOFF_FIELDS) {
      const value = parsableLong(backoff[field]);
      if (value !== undefined) b[field] = value;
    }
    out.backoff = b;
  }
  return out;
}

function normalizeSignalDependency(raw: JsonObject): SignalDependency {
  const out: Mutable<SignalDependency> = { name: typeof raw['name'] === 'string' ? raw['name'] : '' };
  if (isJsonObject(raw['match_params'])) {
    const matches: Record<string, SignalDependencyMatch> = {};
    for (const [key, match] of Object.entries(raw['match_params'])) {
      if (!isJsonObject(match)) continue;
      const param = normalizeParam(match['param']);
      const operator = Object.values(SignalOperator).find((op) => op === match['operator']);
      if (param && operator) matches[key] = { param, operator };
    }
    out.match_params = matches;
  }
  return out;
}

function normalizeSignalOutput(raw: JsonObject): SignalOutput {
  const out: Mutable<SignalOutput> = { name: typeof raw['name'] === 'string' ? raw['name'] : '' };
  const params = normalizeParamMap(raw['params']);
  if (params) out.params = params;
  const payload = normalizeParamMap(raw['payload']);
  if (payload) out.payload = payload;
  return out;
}
