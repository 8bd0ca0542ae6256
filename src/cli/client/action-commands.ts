import type { InstanceAction, StepAction } from '../../client/types.js';
import { ExitCode } from '../io.js';
import { runParamsOf, UsageError, wholeNumber, type ClientContext } from './context.js';
import { versionOf } from './run-commands.js';

export interface ActionOptions {
  readonly step?: string;
  readonly run?: string;
}

/**
 * `baton stop|kill|skip|bypass WORKFLOW INSTANCE [--step S]`: an action on the latest run of an instance (or
 * `--run`), or on one of its steps. `skip` and `bypass` (a step's signal dependencies) act on a step only.
 */
export async function actionCommand(
  ctx: ClientContext,
  action: InstanceAction | StepAction,
  workflowId: string,
  instance: string,
  options: ActionOptions,
): Promise<ExitCode> {
  const instanceId = wholeNumber('the instance id', instance);
  if (options.step !== undefined) {
    if (options.run !== undefined) throw new UsageError('a step action acts on the latest run: drop --run');
    if (action === 'unblock') throw new UsageError('unblock acts on an instance, not a step');
    const answer = await ctx.api.stepAction(workflowId, instanceId, options.step, action);
    if (ctx.json) ctx.printJson(answer);
    else {
      const status = answer.step_runtime_state?.status;
      ctx.io.stdout(
        `${action} step ${answer.step_id} of ${workflowId} instance ${instanceId} run ${answer.workflow_run_id}` +
          `${answer.step_attempt_id ? ` (attempt ${answer.step_attempt_id})` : ''}${status ? `: ${status}` : ''}\n`,
      );
    }
    return ExitCode.OK;
  }
  if (action === 'skip' || action === 'bypass')
    throw new UsageError(`${action} acts on a step: give --step STEP`);
  const runId = options.run === undefined ? undefined : wholeNumber('--run', options.run);
  const answer = await ctx.api.instanceAction(workflowId, instanceId, action, runId);
  if (ctx.json) ctx.printJson(answer);
  else
    ctx.io.stdout(
      `${action} ${workflowId} instance ${instanceId} run ${answer.workflow_run_id}: ` +
        `${answer.workflow_instance_status}${answer.completed ? '' : ' (still going; check it again)'}\n`,
    );
  return ExitCode.OK;
}

export interface RestartOptions {
  readonly step?: string;
  readonly fromBeginning?: boolean;
  readonly param: readonly string[];
  readonly requestId?: string;
}

/**
 * `baton restart WORKFLOW INSTANCE`: a new run of an ended instance on the server — from its incomplete steps, from
 * the beginning (`--from-beginning`), or from one step (`--step`, that step and what depends on it).
 */
export async function restartCommand(
  ctx: ClientContext,
  workflowId: string,
  instance: string,
  options: RestartOptions,
): Promise<ExitCode> {
  const instanceId = wholeNumber('the instance id', instance);
  const policy = options.fromBeginning ? 'RESTART_FROM_BEGINNING' : 'RESTART_FROM_INCOMPLETE';
  const params = runParamsOf(options.param);
  const requestId = options.requestId === undefined ? {} : { request_id: options.requestId };
  if (options.step !== undefined) {
    const answer = await ctx.api.restartStep(workflowId, instanceId, options.step, {
      restart_policy: policy,
      ...(params ? { step_run_params: params } : {}),
      ...requestId,
    });
    if (ctx.json) ctx.printJson(answer);
    else
      ctx.io.stdout(
        `restarted ${workflowId} instance ${instanceId} from step ${options.step}: run ${answer.workflow_run_id}` +
          `${answer.status ? ` ${answer.status}` : ''}\n`,
      );
    return ExitCode.OK;
  }
  const answer = await ctx.api.restartInstance(workflowId, instanceId, {
    restart_policy: policy,
    ...(params ? { run_params: params } : {}),
    ...requestId,
  });
  if (ctx.json) ctx.printJson(answer);
  else
    ctx.io.stdout(
      `restarted ${workflowId} instance ${instanceId}: run ${answer.workflow_run_id} ${answer.status}` +
        ` (see: baton status ${workflowId} ${instanceId})\n`,
    );
  return ExitCode.OK;
}

/** `baton activate WORKFLOW VERSION`: the version triggers and plain starts use from now on. */
export async function activateCommand(ctx: ClientContext, workflowId: string, version: string) {
  const answer = await ctx.api.activate(workflowId, versionOf(version));
  if (ctx.json) ctx.printJson(answer);
  else ctx.io.stdout(`${workflowId}: version ${answer.workflow_version_id} is active\n`);
  return ExitCode.OK;
}

/** `baton deactivate WORKFLOW`: no version is active (triggers stop firing; starts need a version). */
export async function deactivateCommand(ctx: ClientContext, workflowId: string) {
  const answer = await ctx.api.deactivate(workflowId);
  if (ctx.json) ctx.printJson(answer);
  else ctx.io.stdout(`${workflowId}: deactivated (no active version)\n`);
  return ExitCode.OK;
}
