import { existsSync } from 'node:fs';
import { BatonError, ValidationError } from '../model/errors.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import { formatIssue } from './definition-files.js';
import { openBaton } from '../server/compose.js';
import { endOrInterrupt, reportInterrupted } from './interrupt.js';
import { hasUrlScheme, redact } from '../server/open-store.js';
import { ExitCode, type Io } from './io.js';
import { parseParams } from './run-command.js';
import { progressPrinter, runView } from './run-view.js';

export interface RestartCommandOptions {
  readonly db: string;
  readonly fromBeginning?: boolean;
  readonly fromStep?: string;
  readonly param: readonly string[];
  readonly json?: boolean;
  readonly timeScale?: string;
}

/**
 * `baton restart WORKFLOW INSTANCE --db FILE`: a new run of an ended instance — from its incomplete steps (the
 * default), from the beginning, or from one step and everything downstream of it — and waits for it like `run`.
 */
export async function restartCommand(
  io: Io,
  workflowId: string,
  instance: string,
  options: RestartCommandOptions,
): Promise<ExitCode> {
  const instanceId = Number(instance);
  if (!Number.isInteger(instanceId) || instanceId < 1)
    return usage(io, `the instance id must be a whole number, not '${instance}'`);
  if (options.fromBeginning && options.fromStep !== undefined)
    return usage(io, 'use --from-beginning or --from-step, not both');
  const params = parseParams(options.param);
  if (typeof params === 'string') return usage(io, params);
  const timeScale = options.timeScale === undefined ? 1 : Number(options.timeScale);
  if (!(timeScale > 0 && timeScale <= 1000))
    return usage(io, `--time-scale must be a number above 0, not '${options.timeScale}'`);
  // An instance to restart is in a database that exists: a mistyped path must not create an empty one.
  if (!hasUrlScheme(options.db) && !existsSync(options.db))
    return usage(io, `there is no database at ${options.db}; give --db the database the instance ran in`);
  const embedded = await openBaton({
    db: options.db,
    timeScale,
    scope: [{ workflow_id: workflowId, instance_id: instanceId }],
  });
  const { engine } = embedded;
  let ran = false;
  try {
    const previous = await engine.getRun({ workflow_id: workflowId, instance_id: instanceId, run_id: 1 });
    if (!previous)
      return usage(io, `${redact(options.db)} has no instance ${instanceId} of workflow '${workflowId}'`);
    const latest = await engine.store.transact((tx) => tx.getLatestRun(workflowId, instanceId));
    if (latest && !WORKFLOW_INSTANCE_TRAITS[latest.status].terminal)
      return usage(
        io,
        `run ${workflowId}/${instanceId}/${latest.run_id} has not ended (it is ${latest.status}), so it cannot be restarted; ` +
          `if no process is running it (its baton run was interrupted), finish it with: baton server --db ${embedded.db}`,
      );
    const workflow = await engine.definition(workflowId, previous.run.version_id);
    const print = progressPrinter(
      (t) => (options.json ? io.stderr(t) : io.stdout(t)),
      workflow,
      io.isTTY && !options.json,
    );
    engine.onRunChange((loaded) => {
      if (loaded.run.workflow_id === workflowId && loaded.run.instance_id === instanceId) print(loaded);
    });
    engine.start();
    const started = await engine.restart({
      workflow_id: workflowId,
      instance_id: instanceId,
      ...(options.fromBeginning ? { policy: 'RESTART_FROM_BEGINNING' as const } : {}),
      ...(options.fromStep === undefined
        ? {}
        : { policy: 'RESTART_FROM_SPECIFIC' as const, step_id: options.fromStep }),
      run_params: params,
    });
    ran = true;
    const outcome = await endOrInterrupt(engine, started.run, io.stopSignal);
    if ('interrupted' in outcome) {
      reportInterrupted(io, 'restart', outcome.interrupted, embedded);
      return ExitCode.INTERRUPTED;
    }
    const { ended } = outcome;
    if (options.json) io.stdout(`${JSON.stringify(runView(ended, workflow), null, 2)}\n`);
    return ended.run.status === 'SUCCEEDED' ? ExitCode.OK : ExitCode.FAILED;
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const issue of error.issues) io.stderr(`${formatIssue(issue)}\n`);
      return ExitCode.INVALID;
    }
    if (error instanceof BatonError) return usage(io, error.message);
    throw error;
  } finally {
    await embedded.close();
    if (ran && embedded.hasLogs()) io.stderr(`step logs are in ${embedded.logDir}\n`);
  }
}

function usage(io: Io, message: string): ExitCode {
  io.stderr(`baton restart: ${message}\n`);
  return ExitCode.INVALID;
}
