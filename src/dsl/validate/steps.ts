import type { JobTemplate, Step } from '../../model/definition.js';
import type { StepType } from '../../model/enums.js';
import type { JsonPath } from '../../model/issue.js';
import { isJsonObject } from '../../model/json.js';
import type { ParamMap } from '../../model/param.js';
import { checkStepGraph } from './graph.js';
import { checkLength, checkStepId, checkTags } from './identifiers.js';
import { checkParam, checkParamMap } from './params.js';
import { IssueCode, type Report } from './report.js';
import { checkRetryPolicy, checkTimeout } from './timing.js';

/**
 * Params a step type cannot run without (Maestro's default step params marked REQUIRED). Baton's Shell needs
 * `command` or `script`, which a template may supply, so the runtime checks that. A job
 * template named by `sub_type` may provide them; a template that is not known is ignored, as in Maestro.
 */
const REQUIRED_PARAMS: Readonly<Record<StepType, readonly (readonly string[])[]>> = {
  NoOp: [],
  Sleep: [],
  Titus: [],
  Notebook: [
    ['kubernetes', 'image'],
    ['notebook', 'input_path'],
  ],
  Kubernetes: [['kubernetes', 'image']],
  Http: [['http', 'url']],
  Join: [],
  Shell: [],
  Sql: [],
  Container: [],
};

export interface StepContext {
  readonly report: Report;
  readonly templates: ReadonlyMap<string, JobTemplate>;
  readonly seenIds: Map<string, JsonPath>;
}

/** Checks a step list and everything nested in it; `depth` counts the loops around it (0 for the workflow's own). */
export function checkStepList(ctx: StepContext, steps: readonly Step[], path: JsonPath, depth: number): void {
  const { report } = ctx;
  if (steps.length === 0) report.add(IssueCode.EMPTY_STEPS, path, 'a step list needs at least one step');
  if (steps.length > report.limits.stepsPerList) {
    report.add(
      IssueCode.TOO_MANY_STEPS,
      path,
      `this list has ${steps.length} steps; the limit is ${report.limits.stepsPerList}`,
    );
  }
  if (depth > report.limits.nestingDepth) {
    report.add(
      IssueCode.TOO_DEEP,
      path,
      `loops are nested ${depth} deep here; the limit is ${report.limits.nestingDepth}`,
    );
    return;
  }
  steps.forEach((step, i) => checkStep(ctx, step, [...path, i, step.kind], depth));
  checkStepGraph(report, steps, path);
}

function checkStep(ctx: StepContext, step: Step, path: JsonPath, depth: number): void {
  const { report } = ctx;
  checkStepId(report, step.id, [...path, 'id']);
  if (step.id !== '') {
    const first = ctx.seenIds.get(step.id);
    if (first)
      report.add(
        IssueCode.DUPLICATE_ID,
        [...path, 'id'],
        `step id '${step.id}' is used more than once (also in a nested list)`,
      );
    else ctx.seenIds.set(step.id, path);
  }
  checkLength(report, step.name, report.limits.nameLength, [...path, 'name'], 'name');
  checkLength(report, step.description, report.limits.fieldLength, [...path, 'description'], 'description');
  checkTags(report, step.tags, [...path, 'tags']);
  checkTimeout(report, step.timeout, [...path, 'timeout']);
  checkParamMap(report, step.params, [...path, 'params']);
  for (const [to, condition] of Object.entries(step.transition.successors)) {
    if (condition.trim() === '') {
      report.add(
        IssueCode.EMPTY_EXPRESSION,
        [...path, 'transition', 'successors', to],
        'a transition condition is empty (use "true")',
      );
    }
  }
  checkSignals(report, step, path);
  switch (step.kind) {
    case 'step': {
      checkRetryPolicy(report, step.retry_policy, [...path, 'retry_policy']);
      const template =
        step.sub_type === undefined ? undefined : ctx.templates.get(step.sub_type.toLowerCase());
      const type = step.type ?? template?.step_type;
      if (step.type === undefined && step.sub_type === undefined) {
        report.add(
          IssueCode.MISSING,
          [...path, 'type'],
          "a step needs a 'type' (or a 'sub_type' naming a job template)",
        );
      }
      if (type) checkRequiredParams(ctx, type, step.sub_type, template, step.params, path);
      return;
    }
    case 'foreach':
      checkLoopParams(report, step.params, path, 'foreach');
      if (step.concurrency !== undefined)
        checkRange(
          report,
          step.concurrency,
          1,
          report.limits.foreachConcurrency,
          [...path, 'concurrency'],
          'foreach concurrency',
        );
      checkStepList(ctx, step.steps, [...path, 'steps'], depth + 1);
      return;
    case 'while':
      if (step.condition.trim() === '')
        report.add(IssueCode.MISSING, [...path, 'condition'], 'a while loop needs a condition');
      checkLoopParams(report, step.params, path, 'while');
      checkStepList(ctx, step.steps, [...path, 'steps'], depth + 1);
      return;
    case 'subworkflow':
      if (!step.params?.['subworkflow_id']) {
        report.add(
          IssueCode.REQUIRED_PARAM,
          [...path, 'params'],
          "a subworkflow step needs the param 'subworkflow_id'",
        );
      }
      return;
    case 'template':
      return;
  }
}

function checkLoopParams(
  report: Report,
  params: ParamMap | undefined,
  path: JsonPath,
  kind: 'foreach' | 'while',
): void {
  const loop = params?.['loop_params'];
  const at = [...path, 'params', 'loop_params'];
  if (!loop)
    return report.add(
      IssueCode.REQUIRED_PARAM,
      [...path, 'params'],
      `a ${kind} step needs the MAP param 'loop_params'`,
    );
  if (loop.type !== 'MAP')
    return report.add(IssueCode.PARAM_TYPE_MISMATCH, [...at, 'type'], "'loop_params' must be of type MAP");
  if (!isJsonObject(loop.value)) return;
  for (const [name, def] of Object.entries(loop.value as unknown as ParamMap)) {
    const isArray = def.type.endsWith('_ARRAY');
    if (kind === 'foreach' && !isArray) {
      report.add(
        IssueCode.PARAM_TYPE_MISMATCH,
        [...at, 'value', name, 'type'],
        `foreach loop param '${name}' must be an array type, not ${def.type}`,
      );
    }
    if (kind === 'while' && (isArray || def.type === 'MAP' || def.type === 'STRING_MAP')) {
      report.add(
        IssueCode.PARAM_TYPE_MISMATCH,
        [...at, 'value', name, 'type'],
        `while loop param '${name}' must be a single value, not ${def.type}`,
      );
    }
  }
}

function checkRequiredParams(
  ctx: StepContext,
  type: StepType,
  subType: string | undefined,
  template: JobTemplate | undefined,
  params: ParamMap | undefined,
  path: JsonPath,
): void {
  for (const required of Object.hasOwn(REQUIRED_PARAMS, type) ? REQUIRED_PARAMS[type] : []) {
    if (hasParam(params, required) || hasParam(template?.params, required)) continue;
    const hint =
      subType !== undefined && !template ? ` (no job template '${subType}' is known to provide it)` : '';
    ctx.report.add(
      IssueCode.REQUIRED_PARAM,
      [...path, 'params'],
      `a ${type} step needs the param '${required.join('.')}'${hint}`,
    );
  }
}

function hasParam(params: ParamMap | undefined, names: readonly string[]): boolean {
  let current: ParamMap | undefined = params;
  for (const [i, name] of names.entries()) {
    const def = current?.[name];
    if (!def) return false;
    if (i === names.length - 1) return def.value !== undefined || def.expression !== undefined;
    current = def.type === 'MAP' && isJsonObject(def.value) ? (def.value as unknown as ParamMap) : undefined;
  }
  return false;
}

function checkSignals(report: Report, step: Step, path: JsonPath): void {
  step.signal_dependencies?.forEach((dep, i) => {
    const at = [...path, 'signal_dependencies', i];
    if (dep.name.trim() === '')
      report.add(IssueCode.MISSING, [...at, 'name'], 'a signal dependency needs a signal name');
    for (const [key, match] of Object.entries(dep.match_params ?? {})) {
      checkParam(report, match.param, [...at, 'match_params', key, 'param'], { types: ['STRING', 'LONG'] });
    }
  });
  step.signal_outputs?.forEach((out, i) => {
    const at = [...path, 'signal_outputs', i];
    if (out.name.trim() === '')
      report.add(IssueCode.MISSING, [...at, 'name'], 'a signal output needs a signal name');
    checkParamMap(report, out.params, [...at, 'params'], {
      types: ['STRING', 'LONG'],
      forbiddenNames: ['name'],
    });
    checkParamMap(report, out.payload, [...at, 'payload']);
  });
}

export function checkRange(
  report: Report,
  value: number,
  min: number,
  max: number,
  path: JsonPath,
  what: string,
): void {
  if (value < min || value > max)
    report.add(IssueCode.OUT_OF_RANGE, path, `${what} is ${value}; it must be from ${min} to ${max}`);
}
