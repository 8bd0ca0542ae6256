import type { ParamType } from '../model/enums.js';
import { normalizeMapLiteral } from '../dsl/normalize-param.js';
import { isJsonObject, type JsonValue } from '../model/json.js';
import { RESERVED_PARAM_NAMES, type ParamDefinition, type ParamMap } from '../model/param.js';
import { checkDepth } from './coerce.js';
import { paramValueToJson, typeOfValue } from './value-convert.js';
import { ParamError, paramIssue, ParamErrorCode, type ParamIssue } from './errors.js';
import { checkOverride, MODE_TRAITS, type MergePhase } from './modes.js';
import {
  ParamSource,
  type EvaluatedParams,
  type ParamValue,
  type ParamValueMap,
  type SourcedParam,
  type SourcedParamMap,
} from './types.js';

/** One layer of the merge: a map of definitions, where it came from, and which rules govern it. */
export interface ParamLayer {
  readonly source: ParamSource;
  readonly phase: MergePhase;
  readonly params?: ParamMap | undefined;
}

/**
 * Merges layers in order, later layers over earlier ones (REFERENCE §3.2). Each param records the source of the
 * layer that last set it. MAP params with literal values merge key by key, so a step's `kubernetes: {image}`
 * adds to the step type's default `kubernetes` map instead of replacing it. Throws one ParamError with every
 * issue: an override the mode forbids, a reserved param, a type change, a REQUIRED param left without a value.
 */
export function mergeLayers(layers: readonly ParamLayer[], base: SourcedParamMap = {}): SourcedParamMap {
  const issues: ParamIssue[] = [];
  let merged: SourcedParamMap = base;
  for (const layer of layers) merged = mergeInto(merged, layer, '', issues);
  issues.push(...requiredIssues(merged, ''));
  if (issues.length > 0) throw new ParamError(issues);
  return freezeMap(merged);
}

function mergeInto(
  base: SourcedParamMap,
  layer: ParamLayer,
  prefix: string,
  issues: ParamIssue[],
): SourcedParamMap {
  const out: Record<string, SourcedParam> = { ...base };
  for (const [name, incoming] of Object.entries(layer.params ?? {})) {
    const full = prefix + name;
    const existing = Object.hasOwn(base, name) ? base[name] : undefined;
    if (layer.phase !== 'system' && prefix === '' && RESERVED_PARAM_NAMES.has(name)) {
      issues.push(
        paramIssue(
          ParamErrorCode.RESERVED_PARAM,
          full,
          `'${full}' is a reserved name and cannot be used as a param`,
        ),
      );
      continue;
    }
    const problem = checkOverride(full, existing, layer.phase);
    if (problem) {
      issues.push(problem);
      continue;
    }
    if (existing && existing.type !== incoming.type) {
      issues.push(
        paramIssue(
          ParamErrorCode.PARAM_TYPE_MISMATCH,
          full,
          `param '${full}' is of type ${existing.type} and cannot be set to a ${incoming.type}`,
        ),
      );
      continue;
    }
    out[name] = combine(existing, incoming, layer, full, issues);
  }
  return out;
}

function combine(
  existing: SourcedParam | undefined,
  incoming: ParamDefinition,
  layer: ParamLayer,
  full: string,
  issues: ParamIssue[],
): SourcedParam {
  // Run params cannot loosen a mode; the definition (and system layers) choose it.
  const userRun = layer.phase === 'start' || layer.phase === 'restart';
  const mode = userRun ? (existing?.mode ?? incoming.mode) : (incoming.mode ?? existing?.mode);
  const base: Record<string, unknown> = { ...(existing ?? {}), ...incoming, source: layer.source };
  if (mode === undefined) delete base['mode'];
  else base['mode'] = mode;
  if (existing?.internal_mode !== undefined && incoming.internal_mode === undefined)
    base['internal_mode'] = existing.internal_mode;
  const nestedMerge =
    existing?.type === 'MAP' &&
    isNested(existing.value) &&
    isNested(incoming.value) &&
    incoming.expression === undefined;
  if (nestedMerge) {
    const inner = mergeInto(
      sourced(existing.value as ParamMap, existing.source),
      { ...layer, params: incoming.value as ParamMap },
      `${full}.`,
      issues,
    );
    base['value'] = inner;
    delete base['expression'];
  } else if (incoming.value !== undefined) delete base['expression'];
  else if (incoming.expression !== undefined) delete base['value'];
  return base as unknown as SourcedParam;
}

function isNested(v: unknown): boolean {
  return isJsonObject(v as JsonValue);
}

function sourced(map: ParamMap, source: ParamSource): SourcedParamMap {
  const out: Record<string, SourcedParam> = {};
  for (const [k, d] of Object.entries(map)) out[k] = 'source' in d ? (d as SourcedParam) : { ...d, source };
  return out;
}

/** REQUIRED params (system schemas) must end up with a value or an expression; nested MAP params too. */
function requiredIssues(map: SourcedParamMap, prefix: string): ParamIssue[] {
  const issues: ParamIssue[] = [];
  for (const [name, def] of Object.entries(map)) {
    const full = prefix + name;
    if (def.internal_mode === 'REQUIRED' && def.value === undefined && def.expression === undefined) {
      issues.push(
        paramIssue(
          ParamErrorCode.REQUIRED_PARAM,
          full,
          `'${full}' is a required parameter (type ${def.type}) and has no value`,
        ),
      );
    }
    if (def.type === 'MAP' && isNested(def.value))
      issues.push(...requiredIssues(def.value as SourcedParamMap, `${full}.`));
  }
  return issues;
}

function freezeMap(map: SourcedParamMap): SourcedParamMap {
  for (const def of Object.values(map)) Object.freeze(def);
  return Object.freeze(map);
}

export interface WorkflowMergeInput {
  /** The system's default workflow params (see `defaultWorkflowParams`). */
  readonly defaults?: ParamMap;
  /** `workflow.params` of the definition. */
  readonly definition?: ParamMap;
  /** Params of the start request, trigger or parent step. */
  readonly run?: ParamMap;
  /** Where the run params came from (LAUNCH for a manual start, TIME_TRIGGER, SIGNAL, SUBWORKFLOW, FOREACH...). */
  readonly runSource?: ParamSource;
}

/** A fresh run: system defaults → workflow definition → run params. */
export function mergeWorkflowParams(input: WorkflowMergeInput): SourcedParamMap {
  return mergeLayers([
    { source: ParamSource.SYSTEM_DEFAULT, phase: 'system', params: input.defaults },
    { source: ParamSource.DEFINITION, phase: 'definition', params: input.definition },
    { source: input.runSource ?? ParamSource.LAUNCH, phase: 'start', params: input.run },
  ]);
}

export interface RestartMergeInput {
  readonly defaults?: ParamMap;
  readonly definition?: ParamMap;
  /** The evaluated params of the run being restarted. */
  readonly previous: EvaluatedParams;
  /** Run params given with the restart. */
  readonly run?: ParamMap;
  /** Restart params (the restart request's overrides). */
  readonly restart?: ParamMap;
}

/**
 * A restart: the previous run's params (minus reserved ones, which the system sets again) → run params → restart
 * params. Each mode decides whether a previous value is kept (CONSTANT, MUTABLE_ON_START, and the MUTABLE ones
 * unless overridden) or evaluated again from the definition (IMMUTABLE).
 */
export function mergeRestartParams(input: RestartMergeInput): SourcedParamMap {
  const fresh = mergeLayers([
    { source: ParamSource.SYSTEM_DEFAULT, phase: 'system', params: input.defaults },
    { source: ParamSource.DEFINITION, phase: 'definition', params: input.definition },
  ]);
  const kept: Record<string, SourcedParam> = { ...fresh };
  for (const [name, prev] of input.previous) {
    if (prev.internal_mode === 'RESERVED') continue;
    const def = fresh[name];
    const mode = def?.mode ?? prev.mode;
    if (def && MODE_TRAITS[mode].onRestart === 'definition') continue;
    kept[name] = {
      ...prev.definition,
      ...literalDefinition(prev.type, prev.value),
      mode: prev.mode,
      source: prev.source,
    };
    delete (kept[name] as { expression?: string }).expression;
  }
  return mergeLayers(
    [
      { source: ParamSource.LAUNCH, phase: 'restart', params: input.run },
      { source: ParamSource.RESTART, phase: 'restart', params: input.restart },
    ],
    kept,
  );
}

/** A literal definition holding an evaluated value (MAP values become nested literal definitions). */
export function literalDefinition(type: ParamType, value: ParamValue): ParamDefinition {
  if (type !== 'MAP') return { type, value: paramValueToJson(value) };
  const nested: Record<string, ParamDefinition> = {};
  for (const [k, v] of Object.entries(value as ParamValueMap)) {
    if (v !== null) nested[k] = literalDefinition(typeOfValue(v), v);
  }
  return { type, value: nested };
}

export interface StepMergeInput {
  /** Params every step gets (the RESERVED step identity params). */
  readonly stepDefaults?: ParamMap;
  /** Defaults of the step's type (`kubernetes`, `http`, `sleep_seconds`...). */
  readonly typeDefaults?: ParamMap;
  /** The param schema of the step's job template. */
  readonly templateSchema?: ParamMap;
  /** Workflow and step information the system injects. */
  readonly injected?: ParamMap;
  readonly definition?: ParamMap;
  /** Step run params of the start request, and step restart params. */
  readonly run?: ParamMap;
  readonly restart?: ParamMap;
}

/**
 * Step params: step defaults → step-type defaults → template schema → system-injected info → run/restart params
 * the definition does not define → step definition → step run params → step restart params.
 */
export function mergeStepParams(input: StepMergeInput): SourcedParamMap {
  const defined = new Set(Object.keys(input.definition ?? {}));
  const split = (map: ParamMap | undefined, wantDefined: boolean): ParamMap =>
    Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => defined.has(k) === wantDefined));
  return mergeLayers([
    { source: ParamSource.SYSTEM_DEFAULT, phase: 'system', params: input.stepDefaults },
    { source: ParamSource.SYSTEM_DEFAULT, phase: 'system', params: input.typeDefaults },
    { source: ParamSource.TEMPLATE_SCHEMA, phase: 'system', params: input.templateSchema },
    { source: ParamSource.SYSTEM_INJECTED, phase: 'system', params: input.injected },
    { source: ParamSource.LAUNCH, phase: 'start', params: split(input.run, false) },
    { source: ParamSource.RESTART, phase: 'restart', params: split(input.restart, false) },
    { source: ParamSource.DEFINITION, phase: 'definition', params: input.definition },
    { source: ParamSource.LAUNCH, phase: 'start', params: split(input.run, true) },
    { source: ParamSource.RESTART, phase: 'restart', params: split(input.restart, true) },
  ]);
}

/**
 * Run params given as plain values (`{"x": 5}`, as `baton start --param` or a trigger hands them over) as
 * definitions: the type comes from the param they override, or from the value's JSON shape for new names. Throws
 * a ParamError (PARAM_TOO_DEEP) for values nested deeper than `valueDepth`, before anything walks them.
 */
export function runParamsFromValues(
  values: Readonly<Record<string, JsonValue>>,
  known: ParamMap = {},
): ParamMap {
  const out: Record<string, ParamDefinition> = {};
  const issues: ParamIssue[] = [];
  for (const [name, value] of Object.entries(values)) {
    try {
      checkDepth(name, value);
    } catch (error) {
      if (!(error instanceof ParamError)) throw error;
      issues.push(...error.issues);
      continue;
    }
    const type = Object.hasOwn(known, name) ? known[name]!.type : jsonType(value);
    // A plain map for a MAP param takes the form of a MAP literal (nested definitions), so it merges key by key
    // with the definition's value like any other MAP literal.
    out[name] =
      type === 'MAP' && isJsonObject(value) ? { type, value: normalizeMapLiteral(value) } : { type, value };
  }
  if (issues.length > 0) throw new ParamError(issues);
  return out;
}

function jsonType(v: JsonValue): ParamType {
  if (typeof v === 'string' || v === null) return 'STRING';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'LONG' : 'DOUBLE';
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'boolean') && v.length > 0) return 'BOOLEAN_ARRAY';
    if (v.every((x) => Number.isSafeInteger(x)) && v.length > 0) return 'LONG_ARRAY';
    if (v.every((x) => typeof x === 'number') && v.length > 0) return 'DOUBLE_ARRAY';
    return 'STRING_ARRAY';
  }
  return Object.values(v).every((x) => typeof x === 'string') ? 'STRING_MAP' : 'MAP';
}
