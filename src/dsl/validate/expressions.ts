import type { Step, WorkflowCreateRequest } from '../../model/definition.js';
import type { JsonPath } from '../../model/issue.js';
import { isJsonObject, type JsonValue } from '../../model/json.js';
import type { ParamDefinition, ParamMap } from '../../model/param.js';
import { checkSel, type SelError, type SelReferences } from '../../sel/index.js';
import { IssueCode, type Report } from './report.js';

/**
 * Names every workflow run has without defining them: Maestro's default workflow params (REFERENCE §3.2). The
 * params layer defines them (`defaultWorkflowParams`); a test there keeps the two lists equal.
 */
export const SYSTEM_WORKFLOW_PARAM_NAMES: readonly string[] = [
  'RUN_TS',
  'DSL_DEFAULT_TZ',
  'WORKFLOW_CRON_TIMEZONE',
  'TARGET_RUN_DATE',
  'TARGET_RUN_HOUR',
  'DERIVED_RUN_TS',
  'DERIVED_RUN_DATE_US_PACIFIC',
  'DERIVED_RUN_DATE_US_PACIFIC_MINUS_ONE',
  'DERIVED_RUN_DATE_UTC',
  'DERIVED_RUN_DATE_UTC_MINUS_ONE',
  'DERIVED_RUN_DATE_UTC_PLUS_ONE',
  'DERIVED_RUN_DATE_UTC_MINUS_ONE_HOUR',
  'DERIVED_RUN_DATE_UTC_PLUS_ONE_HOUR',
  'DERIVED_RUN_HOUR_US_PACIFIC',
  'DERIVED_RUN_HOUR_UTC',
  'DERIVED_RUN_HOUR_UTC_MINUS_ONE_HOUR',
  'DERIVED_RUN_HOUR_UTC_PLUS_ONE_HOUR',
  'LOCAL_RUN_DATE',
  'RUN_DATE',
  'RUN_DATE_MINUS_1',
  'RUN_DATE_MINUS_7',
  'job_template_version',
  'owner',
  'workflow_id',
];

/** Params the system gives steps: every step's identity, and each step type's defaults and outputs (§2.4). */
const SYSTEM_STEP_PARAM_NAMES: readonly string[] = [
  'workflow_instance_id',
  'step_instance_uuid',
  'step_attempt_id',
  'step_id',
  'sleep_seconds',
  'kubernetes',
  'notebook',
  'http',
  'state_expr',
  'status_code',
  'response_body',
  'subworkflow_id',
  'subworkflow_version',
  'loop_params',
  'loop_index',
  'condition',
];

/**
 * Step types whose runs cannot add params, so their transition conditions and signal outputs see only what is
 * defined. Other types can (Kubernetes output params, Http's status_code, a while loop's final loop params).
 */
const NO_OUTPUTS: ReadonlySet<string> = new Set(['NoOp', 'Sleep', 'Join']);

interface Scope {
  /** Names that resolve here; undefined = the scope is not fully known, so only syntax is checked. */
  readonly names: ReadonlySet<string> | undefined;
}

interface Walk {
  readonly report: Report;
  /** Every step id in the definition, for `step__param` references. */
  readonly stepIds: ReadonlySet<string>;
  /**
   * The params a step will have, by step id, where the definition tells them all: a step of a type without
   * outputs (NoOp, Sleep, Join) and without a job template has its own params and the system's, nothing else.
   */
  readonly stepParams: ReadonlyMap<string, { readonly type: string; readonly names: ReadonlySet<string> }>;
}

/**
 * Parses every SEL expression of a create request with SEL's parser (param expressions with Maestro's
 * auto-semicolon) and reports syntax errors (`SEL_SYNTAX`, with the line/column inside the expression) and names
 * that cannot resolve (`UNKNOWN_REFERENCE`). Conservative: only bare identifiers that are no param in scope, no
 * system param, no loop param and no SEL class are flagged, plus `step__param` of a step that does not exist.
 * Where a scope is not fully known (signal triggers, steps with job templates, output params), only syntax is checked.
 */
export function checkExpressions(report: Report, request: WorkflowCreateRequest): void {
  const w = request.workflow;
  const stepIds = new Set<string>();
  collectIds(w.steps, stepIds);
  const stepParams = new Map<string, { type: string; names: ReadonlySet<string> }>();
  collectKnownParams(w.steps, stepParams);
  const walk: Walk = { report, stepIds, stepParams };
  const workflowNames = new Set([...SYSTEM_WORKFLOW_PARAM_NAMES, ...Object.keys(w.params ?? {})]);
  for (const t of w.signal_triggers ?? [])
    for (const name of Object.keys(t.params ?? {})) workflowNames.add(name);
  const workflowScope: Scope = { names: workflowNames };
  checkParams(walk, w.params, ['workflow', 'params'], workflowScope);
  w.signal_triggers?.forEach((t, i) => {
    const at: JsonPath = ['workflow', 'signal_triggers', i];
    const unknown: Scope = { names: undefined };
    if (t.condition !== undefined) checkExpression(walk, t.condition, [...at, 'condition'], unknown);
    if (t.dedup_expr !== undefined) checkExpression(walk, t.dedup_expr, [...at, 'dedup_expr'], unknown);
    checkParams(walk, t.params, [...at, 'params'], unknown);
  });
  checkSteps(walk, w.steps, ['workflow', 'steps'], workflowNames);
}

function collectIds(steps: readonly Step[], out: Set<string>): void {
  for (const s of steps) {
    out.add(s.id);
    if (s.kind === 'foreach' || s.kind === 'while') collectIds(s.steps, out);
  }
}

function collectKnownParams(
  steps: readonly Step[],
  out: Map<string, { type: string; names: ReadonlySet<string> }>,
): void {
  for (const s of steps) {
    if (s.kind === 'step' && s.sub_type === undefined && NO_OUTPUTS.has(s.type ?? '')) {
      out.set(s.id, {
        type: s.type ?? '',
        names: new Set([...Object.keys(s.params ?? {}), ...SYSTEM_STEP_PARAM_NAMES]),
      });
    }
    if (s.kind === 'foreach' || s.kind === 'while') collectKnownParams(s.steps, out);
  }
}

function checkSteps(walk: Walk, steps: readonly Step[], path: JsonPath, outer: ReadonlySet<string>): void {
  steps.forEach((step, i) => {
    const at: JsonPath = [...path, i, step.kind];
    const own = Object.keys(step.params ?? {});
    const hasTemplate = step.kind === 'template' || (step.kind === 'step' && step.sub_type !== undefined);
    const stepNames = new Set([...outer, ...own, ...SYSTEM_STEP_PARAM_NAMES]);
    const stepScope: Scope = { names: hasTemplate ? undefined : stepNames };
    const typeOrKind = step.kind === 'step' ? (step.type ?? '') : step.kind;
    const afterRun: Scope = NO_OUTPUTS.has(typeOrKind) ? stepScope : { names: undefined };
    checkParams(walk, step.params, [...at, 'params'], stepScope);
    for (const [to, condition] of Object.entries(step.transition.successors)) {
      checkExpression(walk, condition, [...at, 'transition', 'successors', to], afterRun);
    }
    // Signal dependency params see workflow params, not the step's own (REFERENCE §3.3).
    const outerScope: Scope = { names: outer };
    step.signal_dependencies?.forEach((dep, j) => {
      for (const [key, match] of Object.entries(dep.match_params ?? {})) {
        checkParam(
          walk,
          match.param,
          [...at, 'signal_dependencies', j, 'match_params', key, 'param'],
          outerScope,
        );
      }
    });
    step.signal_outputs?.forEach((out, j) => {
      checkParams(walk, out.params, [...at, 'signal_outputs', j, 'params'], afterRun);
      checkParams(walk, out.payload, [...at, 'signal_outputs', j, 'payload'], afterRun);
    });
    if (step.kind === 'foreach' || step.kind === 'while') {
      const loop = step.params?.['loop_params'];
      const loopNames =
        loop?.type === 'MAP' && isJsonObject(loop.value as JsonValue)
          ? Object.keys(loop.value as ParamMap)
          : [];
      // Iterations see the workflow's params, the loop step's params (but loop_params), each loop param and loop_index.
      const inner = new Set([
        ...outer,
        ...own.filter((n) => n !== 'loop_params'),
        ...loopNames,
        'loop_index',
      ]);
      if (step.kind === 'while')
        checkExpression(walk, step.condition, [...at, 'condition'], { names: inner });
      checkSteps(walk, step.steps, [...at, 'steps'], inner);
    }
  });
}

function checkParams(walk: Walk, params: ParamMap | undefined, path: JsonPath, scope: Scope): void {
  for (const [name, def] of Object.entries(params ?? {})) {
    checkParam(walk, def, [...path, name], scope);
  }
}

function checkParam(walk: Walk, def: ParamDefinition, path: JsonPath, scope: Scope): void {
  if (typeof def.expression === 'string' && def.expression.trim() !== '') {
    checkExpression(walk, def.expression, [...path, 'expression'], scope);
  }
  if (def.type === 'MAP' && isJsonObject(def.value as JsonValue) && def.expression === undefined) {
    const nested = def.value as ParamMap;
    // Nested params of a MAP see each other as well as the enclosing scope.
    const names = scope.names === undefined ? undefined : new Set([...scope.names, ...Object.keys(nested)]);
    for (const [k, d] of Object.entries(nested)) {
      if (isJsonObject(d as unknown as JsonValue) && typeof d.type === 'string')
        checkParam(walk, d, [...path, 'value', k], { names });
    }
  }
}

function checkExpression(walk: Walk, source: string, path: JsonPath, scope: Scope): void {
  // Maestro appends the final ';' to every expression it evaluates (params, conditions, signal expressions).
  const checked = checkSel(source, { autoSemicolon: true });
  if (!checked.ok) {
    const where = checked.error ? selErrorInSource(checked.error, source) : { message: 'cannot parse' };
    const at =
      where.line === undefined || /line \d+/.test(where.message)
        ? ''
        : ` (line ${where.line}, column ${where.column})`;
    walk.report.add(IssueCode.SEL_SYNTAX, path, `SEL syntax error in the expression: ${where.message}${at}`);
    return;
  }
  for (const name of unknownNames(walk, checked.references, scope)) {
    walk.report.add(
      IssueCode.UNKNOWN_REFERENCE,
      path,
      `the expression refers to '${name}', ${why(name, walk)}`,
    );
  }
}

function unknownNames(walk: Walk, refs: SelReferences, scope: Scope): string[] {
  const out: string[] = [];
  const badStep = (step: string): boolean => !walk.stepIds.has(step);
  for (const name of refs.variables) {
    if (scope.names?.has(name)) continue;
    const sep = name.indexOf('__');
    if (sep > 0 && missingStepParam(walk, name.slice(0, sep), name.slice(sep + 2))) out.push(name);
    if (scope.names === undefined) continue;
    if (sep > 0 && !badStep(name.slice(0, sep))) continue;
    if (!out.includes(name)) out.push(name);
  }
  for (const { step, param } of refs.steps) {
    const name = `${step}__${param}`;
    if (scope.names?.has(name) || out.includes(name)) continue;
    if (missingStepParam(walk, step, param) || (scope.names !== undefined && badStep(step))) out.push(name);
  }
  return out;
}

/** True when `step` is a step whose params are all known (stepParams) and `param` is none of them. */
function missingStepParam(walk: Walk, step: string, param: string): boolean {
  const known = walk.stepParams.get(step);
  return known !== undefined && !known.names.has(param);
}

function why(name: string, walk: Walk): string {
  const sep = name.indexOf('__');
  const step = name.slice(0, sep);
  const param = name.slice(sep + 2);
  if (sep > 0 && !walk.stepIds.has(step)) return `but there is no step '${step}' to read '${param}' from`;
  const known = sep > 0 ? walk.stepParams.get(step) : undefined;
  if (known) {
    const own = [...known.names].filter((n) => !SYSTEM_STEP_PARAM_NAMES.includes(n));
    const has = own.length > 0 ? `its params are ${own.join(', ')}` : 'it defines no params';
    return `but step '${step}' has no param '${param}' (${has}, and a ${known.type} step has no outputs)`;
  }
  return 'which is not a param in scope here (workflow, step, loop or system params, or upstream step__param)';
}

/**
 * A SEL error's message and position as the user wrote the expression: Maestro's final `;` is appended on a line
 * of its own, so an error at that `;` (an expression that ends too early) is reported at the end of the source.
 */
export function selErrorInSource(
  err: SelError,
  source: string,
): { message: string; line?: number; column?: number } {
  if (err.line <= 0) return { message: err.message };
  const lines = source.split('\n');
  if (err.line <= lines.length) return { message: err.message, line: err.line, column: err.column };
  const line = lines.length;
  const column = (lines[line - 1]?.length ?? 0) + 1;
  const message = err.message
    .replace(/found ';'/, 'found the end of the expression')
    .replace(/ at line \d+, column \d+$/, '');
  return { message: `${message} at line ${line}, column ${column}`, line, column };
}
