import type {
  JobTemplate,
  JobTemplateCreateRequest,
  Properties,
  WorkflowCreateRequest,
} from '../../model/definition.js';
import type { Issue, JsonPath } from '../../model/issue.js';
import type { Limits } from '../../model/limits.js';
import { checkExpressions } from './expressions.js';
import { checkLength, checkTags, checkWorkflowId } from './identifiers.js';
import { checkParamMap } from './params.js';
import { IssueCode, Report } from './report.js';
import { checkRange, checkStepList } from './steps.js';
import { checkShellInterpolation } from './shell-interpolation.js';
import { checkTimeout } from './timing.js';
import { checkSignalTrigger, checkTimeTrigger } from './triggers.js';

export { IssueCode } from './report.js';

export interface ValidateOptions {
  readonly limits: Limits;
  /** Job templates by lower-cased job type, for steps with a `sub_type`. */
  readonly templates?: ReadonlyMap<string, JobTemplate>;
  /** A first version must name an owner; later versions may leave properties out. */
  readonly requireOwner?: boolean;
}

/**
 * Every rule of REFERENCE §2–§4 and §7 that needs no running system, and Baton's warnings (issues with severity
 * `warning`, which do not make the definition invalid). Returns all issues; never throws.
 */
export function validateCreateRequest(request: WorkflowCreateRequest, options: ValidateOptions): Issue[] {
  const report = new Report(options.limits);
  const w = request.workflow;
  const path: JsonPath = ['workflow'];
  checkWorkflowId(report, w.id, [...path, 'id']);
  checkLength(report, w.name, report.limits.nameLength, [...path, 'name'], 'name');
  checkLength(report, w.description, report.limits.fieldLength, [...path, 'description'], 'description');
  checkTags(report, w.tags, [...path, 'tags']);
  checkTimeout(report, w.timeout, [...path, 'timeout']);
  if (w.instance_step_concurrency !== undefined) {
    checkRange(
      report,
      w.instance_step_concurrency,
      1,
      report.limits.instanceStepConcurrency,
      [...path, 'instance_step_concurrency'],
      'instance_step_concurrency',
    );
  }
  checkParamMap(report, w.params, [...path, 'params']);
  w.time_triggers?.forEach((t, i) => checkTimeTrigger(report, t, [...path, 'time_triggers', i]));
  w.signal_triggers?.forEach((t, i) => checkSignalTrigger(report, t, [...path, 'signal_triggers', i]));
  checkStepList(
    { report, templates: options.templates ?? new Map(), seenIds: new Map() },
    w.steps,
    [...path, 'steps'],
    0,
  );
  checkProperties(report, request.properties, options.requireOwner ?? true);
  checkExpressions(report, request);
  checkShellInterpolation(report, request);
  return report.issues;
}

export function checkProperties(report: Report, p: Properties | undefined, requireOwner: boolean): void {
  const path: JsonPath = ['properties'];
  if (requireOwner && !p?.owner)
    report.add(IssueCode.MISSING, path, 'properties.owner is required for the first version of a workflow');
  if (!p) return;
  if (p.owner && p.owner.name.trim() === '')
    report.add(IssueCode.MISSING, [...path, 'owner'], 'the owner needs a name');
  if (p.step_concurrency !== undefined) {
    checkRange(
      report,
      p.step_concurrency,
      1,
      report.limits.stepConcurrency,
      [...path, 'step_concurrency'],
      'step_concurrency',
    );
  }
  const rs = p.run_strategy;
  if (rs?.workflow_concurrency !== undefined) {
    const at = [...path, 'run_strategy', 'workflow_concurrency'];
    if (rs.rule === 'PARALLEL') {
      checkRange(
        report,
        rs.workflow_concurrency,
        0,
        report.limits.workflowConcurrency,
        at,
        'workflow_concurrency',
      );
    } else if (rs.workflow_concurrency !== 1) {
      report.add(
        IssueCode.RUN_STRATEGY,
        at,
        `workflow_concurrency ${rs.workflow_concurrency} needs the PARALLEL rule; ${rs.rule} runs one instance at a time (use 1 or leave it out)`,
      );
    }
  }
  checkTags(report, p.tags, [...path, 'tags']);
  checkLength(report, p.description, report.limits.fieldLength, [...path, 'description'], 'description');
}

export function validateJobTemplateRequest(
  request: JobTemplateCreateRequest,
  options: ValidateOptions,
): Issue[] {
  const report = new Report(options.limits);
  const d = request.definition;
  const path: JsonPath = ['definition'];
  if (!/^[_a-zA-Z][.\-_a-zA-Z0-9]*$/.test(d.job_type)) {
    report.add(
      IssueCode.INVALID_ID,
      [...path, 'job_type'],
      `job_type '${d.job_type}' must match [_a-zA-Z][.\\-_a-zA-Z0-9]*`,
    );
  }
  if (d.version.trim() === '')
    report.add(IssueCode.MISSING, [...path, 'version'], 'a job template needs a version');
  checkLength(report, d.description, report.limits.fieldLength, [...path, 'description'], 'description');
  checkTags(report, d.tags, [...path, 'tags']);
  checkParamMap(report, d.params, [...path, 'params']);
  return report.issues;
}
