import { byPosition } from '../dsl/parse.js';
import { createRequestToJson } from '../dsl/to-json.js';
import type { Engine } from '../engine/engine.js';
import type { WorkflowCreateRequest } from '../model/definition.js';
import { expandPaths, formatIssue, loadDefinitionFiles } from './definition-files.js';
import type { Io } from './io.js';
import { progressPrinter } from './run-view.js';

/**
 * Reads every definition in a folder for `baton server --examples`; prints every issue (FILE:LINE:COLUMN) and
 * returns undefined when any is invalid or the folder holds none, so the server does not start on a half-read folder.
 */
export function readExamples(io: Io, folder: string): WorkflowCreateRequest[] | undefined {
  const files = expandPaths(io.cwd, [folder]);
  if (files.length === 0 || (files.length === 1 && files[0] === folder)) {
    io.stderr(`${folder}: no definition files (.json, .yaml, .yml) found there\n`);
    return undefined;
  }
  const loaded = loadDefinitionFiles(io.cwd, files);
  const issues = loaded.flatMap((l) => [...l.result.issues].sort(byPosition));
  for (const issue of issues) io.stderr(`${formatIssue(issue)}\n`);
  if (issues.length > 0) return undefined;
  return loaded.map((l) => l.result.workflow).filter((w): w is WorkflowCreateRequest => w !== undefined);
}

/**
 * Pushes the examples (a new version only where the definition changed since the last push) and starts each once,
 * printing each run's steps as they change and, once all have ended, how each ended. Resolves when they have; the
 * server goes on serving.
 */
export async function runExamples(
  io: Io,
  engine: Engine,
  workflows: readonly WorkflowCreateRequest[],
): Promise<void> {
  const printers = new Map(
    workflows.map((w) => [
      w.workflow.id,
      progressPrinter((t) => io.stdout(`${w.workflow.id}: ${t}`), w.workflow, false),
    ]),
  );
  const stopPrinting = engine.onRunChange((loaded) => printers.get(loaded.run.workflow_id)?.(loaded));
  try {
    for (const w of workflows) await pushIfChanged(engine, w);
    const started = await Promise.all(
      workflows.map((w) =>
        engine.startRun({
          workflow_id: w.workflow.id,
          version: 'latest',
          initiator: { type: 'MANUAL', user: 'baton' },
        }),
      ),
    );
    const ended = await Promise.all(started.map((s) => engine.waitForEnd(s.run)));
    io.stdout('\n');
    for (const { run } of ended)
      io.stdout(`  ${run.status.padEnd(10)} ${run.workflow_id} (instance ${run.instance_id})\n`);
    io.stdout('\n');
  } finally {
    stopPrinting();
  }
}

async function pushIfChanged(engine: Engine, request: WorkflowCreateRequest): Promise<void> {
  const id = request.workflow.id;
  const workflow = await engine.store.transact((tx) => tx.getWorkflow(id));
  if (workflow) {
    const latest = await engine.store.transact((tx) => tx.getWorkflowVersion(id, workflow.latest_version_id));
    const same =
      latest &&
      JSON.stringify(createRequestToJson(latest.definition)) === JSON.stringify(createRequestToJson(request));
    if (same) return;
  }
  await engine.createWorkflow(request, 'baton');
}
