import { ExitCode } from '../io.js';
import { UsageError, type ClientContext } from './context.js';
import { formatTime } from './format.js';

/**
 * `baton signal lineage NAME SEQ`: the step that produced a signal instance (when a step's signal outputs did), the
 * runs it started and the step dependencies it released.
 */
export async function signalLineageCommand(ctx: ClientContext, name: string, seq: string): Promise<ExitCode> {
  if (!/^(latest|[1-9][0-9]*)$/i.test(seq))
    throw new UsageError(`the instance must be a seq id (1, 2, …) or latest, not '${seq}'`);
  const which = seq.toLowerCase() === 'latest' ? 'latest' : Number(seq);
  const lineage = await ctx.api.signalLineage(name, which);
  if (ctx.json) {
    ctx.printJson(lineage);
    return ExitCode.OK;
  }
  const src = lineage.signal_source;
  const lines = [
    `${lineage.name} #${lineage.seq_id} (${lineage.instance_id}), stored ${formatTime(lineage.create_time)}`,
    src
      ? `produced by: ${String(src['workflow_id'])} instance ${String(src['workflow_instance_id'])} run ` +
        `${String(src['workflow_run_id'])}, step ${String(src['step_id'])} attempt ${String(src['step_attempt_id'])}`
      : 'produced by: announced from outside Baton (API, CLI or a signal source)',
    `started runs: ${lineage.started_runs.length === 0 ? 'none' : ''}`,
    ...lineage.started_runs.map(
      (r) =>
        `  ${String(r['workflow_id'])} instance ${String(r['workflow_instance_id'])} run ${String(r['workflow_run_id'])}`,
    ),
    `released steps: ${lineage.released_steps.length === 0 ? 'none' : ''}`,
    ...lineage.released_steps.map(
      (r) =>
        `  ${String(r['workflow_id'])} instance ${String(r['workflow_instance_id'])} run ${String(r['workflow_run_id'])}` +
        `, step ${String(r['step_id'])} attempt ${String(r['step_attempt_id'])} (dependency ${String(r['dependency_index'])})`,
    ),
  ];
  ctx.io.stdout(lines.map((l) => l.trimEnd()).join('\n') + '\n');
  return ExitCode.OK;
}
