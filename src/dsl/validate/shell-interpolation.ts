import type { Step, WorkflowCreateRequest } from '../../model/definition.js';
import type { ParamMode } from '../../model/enums.js';
import type { JsonPath } from '../../model/issue.js';
import { isJsonObject, type JsonValue } from '../../model/json.js';
import type { ParamDefinition, ParamMap } from '../../model/param.js';
import { checkSel } from '../../sel/index.js';
import { interpolationReferences } from '../interpolation.js';
import { SYSTEM_WORKFLOW_PARAM_NAMES } from './expressions.js';
import { IssueCode, type Report } from './report.js';

/**
 * Warns where a Shell step builds its shell code (`command` or `script`) from a value that someone other than the
 * definition's author can set when it runs: `${x}` is text substitution, so such a value is run as shell code. The
 * rule (docs/steps.md, "Passing values to the shell") calls a param *open* when:
 * - it is a workflow param whose mode lets a run set it (MUTABLE, the default; MUTABLE_ON_START; MUTABLE_ON_START_RESTART);
 * - it is a built-in STRING param (TARGET_RUN_HOUR, WORKFLOW_CRON_TIMEZONE, ...: a start may override them);
 * - it is read from another step (`step__param`): outputs can set a step's params to anything;
 * - no param of the definition has its name, so only a run param or a signal trigger can give it;
 * - it is computed (by expression or interpolation) from an open param, or reads params by a computed name or from
 *   signals, foreach or subworkflow results (`params.get(k)`, `params.getFromSignal(...)`).
 * Params of type LONG, DOUBLE, BOOLEAN and their arrays are never open: whatever a run gives is coerced to a number
 * or a boolean. Steps whose type comes from a job template are not checked (the template is not known here).
 */
export function checkShellInterpolation(report: Report, request: WorkflowCreateRequest): void {
  const workflow: Frame = { params: request.workflow.params ?? {}, runSettable: true };
  checkSteps(report, request.workflow.steps, ['workflow', 'steps'], workflow);
}

type Verdict = { readonly open: false } | { readonly open: true; readonly why: string };

/** A scope names resolve in, innermost first: the step, enclosing loops, the workflow. */
interface Frame {
  readonly params: ParamMap;
  /** True for the workflow's own params, which runs may set (as their modes allow). */
  readonly runSettable: boolean;
  readonly parent?: Frame;
}

const CLOSED: Verdict = { open: false };
const NOT_TEXT: ReadonlySet<string> = new Set([
  'LONG',
  'DOUBLE',
  'BOOLEAN',
  'LONG_ARRAY',
  'DOUBLE_ARRAY',
  'BOOLEAN_ARRAY',
]);
/** Modes under which a start or a restart may give a workflow param a new value (params/modes.ts, MODE_TRAITS). */
export const RUN_SETTABLE_MODES: ReadonlySet<ParamMode> = new Set([
  'MUTABLE',
  'MUTABLE_ON_START',
  'MUTABLE_ON_START_RESTART',
]);
/** Built-in params of type STRING that a start may override (params/system-params.ts); a test keeps them in step. */
export const OPEN_SYSTEM_PARAMS: ReadonlySet<string> = new Set([
  'WORKFLOW_CRON_TIMEZONE',
  'DSL_DEFAULT_TZ',
  'TARGET_RUN_HOUR',
  'DERIVED_RUN_HOUR_US_PACIFIC',
  'DERIVED_RUN_HOUR_UTC',
  'DERIVED_RUN_HOUR_UTC_MINUS_ONE_HOUR',
  'DERIVED_RUN_HOUR_UTC_PLUS_ONE_HOUR',
  'job_template_version',
]);
const PROGRAM_PARAMS = ['command', 'script'] as const;

function checkSteps(report: Report, steps: readonly Step[], path: JsonPath, outer: Frame): void {
  steps.forEach((step, i) => {
    const at: JsonPath = [...path, i, step.kind];
    if (step.kind === 'step' && step.type === 'Shell' && step.sub_type === undefined) {
      const frame: Frame = { params: step.params ?? {}, runSettable: false, parent: outer };
      for (const name of PROGRAM_PARAMS) checkProgram(report, frame, name, [...at, 'params', name]);
    }
    if (step.kind === 'foreach' || step.kind === 'while') {
      checkSteps(report, step.steps, [...at, 'steps'], loopFrame(step.params ?? {}, outer));
    }
  });
}

/** An iteration sees the loop step's params (but `loop_params`), each loop param, and `loop_index`. */
function loopFrame(params: ParamMap, outer: Frame): Frame {
  const { loop_params: loop, ...own } = params;
  const loopParams =
    loop?.type === 'MAP' && isJsonObject(loop.value as JsonValue) ? (loop.value as ParamMap) : {};
  return {
    params: { ...own, ...loopParams, loop_index: { type: 'LONG', value: 0 } },
    runSettable: false,
    parent: outer,
  };
}

function checkProgram(report: Report, frame: Frame, name: string, path: JsonPath): void {
  const def = frame.params[name];
  if (def === undefined || def.type !== 'STRING') return;
  const judge = new Judge();
  const reads = def.expression !== undefined ? expressionReads(def.expression) : literalReads(def.value);
  const where = def.expression !== undefined ? 'expression' : 'value';
  for (const read of reads) {
    const verdict: Verdict =
      read.kind === 'dynamic' ? { open: true, why: `it ${DYNAMIC}` } : judge.resolve(read.name, frame, name);
    if (!verdict.open) continue;
    const ref = read.kind === 'dynamic' ? 'a param read at run time' : `'${read.name}'`;
    report.warn(
      IssueCode.SHELL_INTERPOLATION,
      [...path, where],
      `the Shell ${name} puts ${ref} into its shell code as text, and ${verdict.why}, so a value such as ` +
        `"; rm -rf ~; echo " would run as a command. Pass it through the environment instead: give the step a ` +
        `param that holds it (step params are exported) and write "$$NAME" (see docs/steps.md)`,
    );
  }
}

type Read = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'dynamic' };

/** Interpolation references of a literal: a string, or the strings of an array or a map (STRING_ARRAY, STRING_MAP). */
function literalReads(value: unknown): Read[] {
  if (typeof value === 'string')
    return interpolationReferences(value).map((name) => ({ kind: 'name', name }));
  const items = Array.isArray(value)
    ? value
    : isJsonObject(value as JsonValue)
      ? Object.values(value as Record<string, unknown>)
      : [];
  return items.flatMap((x) => (typeof x === 'string' ? literalReads(x) : []));
}

/** Names an expression reads; a syntax error reads nothing here (SEL_SYNTAX reports it). */
function expressionReads(expression: string): Read[] {
  const checked = checkSel(expression, { autoSemicolon: true });
  if (!checked.ok) return [];
  const refs = checked.references;
  const names = new Set([
    ...refs.variables,
    ...refs.params,
    ...refs.steps.map((s) => `${s.step}__${s.param}`),
  ]);
  const reads: Read[] = [...names].map((name) => ({ kind: 'name', name }));
  return refs.dynamicParams ? [...reads, { kind: 'dynamic' }] : reads;
}

const DYNAMIC =
  'reads params by a computed name or from signals, loops or subworkflows, which the definition does not fix';

/** Decides whether names are open, remembering each param's verdict (cycles count as closed: they are errors). */
class Judge {
  readonly #verdicts = new Map<Frame, Map<string, Verdict>>();

  /** The verdict for `name` as read by param `reader` of `frame` (a param reading its own name reads outside). */
  resolve(name: string, frame: Frame, reader?: string): Verdict {
    for (let f: Frame | undefined = frame; f !== undefined; f = f.parent) {
      const own = f === frame && name === reader ? undefined : f.params[name];
      if (own !== undefined) return this.#param(name, own, f);
    }
    if (SYSTEM_WORKFLOW_PARAM_NAMES.includes(name)) {
      return OPEN_SYSTEM_PARAMS.has(name)
        ? { open: true, why: `'${name}' is a built-in STRING param that a run may override when it starts` }
        : CLOSED;
    }
    const sep = name.indexOf('__');
    if (sep > 0) {
      const step = name.slice(0, sep);
      return {
        open: true,
        why: `'${name}' is read from step '${step}', whose outputs may set it to any text`,
      };
    }
    return {
      open: true,
      why: `no param of this definition is named '${name}', so only a run's params (or a signal trigger) can give it`,
    };
  }

  #param(name: string, def: ParamDefinition, frame: Frame): Verdict {
    let known = this.#verdicts.get(frame);
    if (known === undefined) this.#verdicts.set(frame, (known = new Map()));
    const seen = known.get(name);
    if (seen !== undefined) return seen;
    known.set(name, CLOSED); // while deciding: a cycle back to this param adds nothing
    const verdict = this.#decide(name, def, frame);
    known.set(name, verdict);
    return verdict;
  }

  #decide(name: string, def: ParamDefinition, frame: Frame): Verdict {
    if (NOT_TEXT.has(def.type)) return CLOSED;
    const mode = def.mode ?? 'MUTABLE';
    if (frame.runSettable && RUN_SETTABLE_MODES.has(mode))
      return { open: true, why: `'${name}' is a workflow param that a run may set (mode ${mode})` };
    if (def.expression === undefined && def.type === 'MAP' && isNestedDefinitions(def.value)) {
      // Nested definitions read each other as well as the enclosing scope.
      const inner: Frame = { params: def.value, runSettable: false, parent: frame };
      for (const [key, nested] of Object.entries(def.value)) {
        const verdict = this.#param(key, nested, inner);
        if (verdict.open) return { open: true, why: `'${name}' holds '${key}'; ${verdict.why}` };
      }
      return CLOSED;
    }
    const reads = def.expression !== undefined ? expressionReads(def.expression) : literalReads(def.value);
    for (const read of reads) {
      if (read.kind === 'dynamic') return { open: true, why: `'${name}' ${DYNAMIC}` };
      const verdict = this.resolve(read.name, frame, name);
      if (verdict.open)
        return { open: true, why: `'${name}' is computed from '${read.name}'; ${verdict.why}` };
    }
    return CLOSED;
  }
}

function isNestedDefinitions(value: unknown): value is ParamMap {
  return (
    isJsonObject(value as JsonValue) &&
    Object.values(value as Record<string, unknown>).every(
      (d) => isJsonObject(d as JsonValue) && typeof (d as Record<string, unknown>)['type'] === 'string',
    )
  );
}
