import { byPosition } from '../dsl/parse.js';
import type { WorkflowCreateRequest } from '../model/definition.js';
import { expandPaths, formatIssue, loadDefinitionFiles } from './definition-files.js';
import { openBaton } from '../server/compose.js';
import { ExitCode, type Io } from './io.js';
import { progressPrinter } from './run-view.js';

export interface StartCommandOptions {
  readonly db: string;
  readonly timeScale?: string;
}

/**
 * What `npm start` does: store every workflow in a folder on the embedded SQLite store, run each once, show their
 * progress, and print how each ended. Some examples end FAILED on purpose (they show failure modes), so the exit
 * code says whether the definitions were valid (0) or not (2), not how the runs ended. The HTTP API (a later
 * milestone) turns this into serving them.
 */
export async function startCommand(io: Io, folder: string, options: StartCommandOptions): Promise<ExitCode> {
  const files = expandPaths(io.cwd, [folder]);
  if (files.length === 0 || (files.length === 1 && files[0] === folder)) {
    io.stderr(`${folder}: no definition files (.json, .yaml, .yml) found there\n`);
    return ExitCode.INVALID;
  }
  const loaded = loadDefinitionFiles(io.cwd, files);
  const issues = loaded.flatMap((l) => [...l.result.issues].sort(byPosition));
  for (const issue of issues) io.stdout(`${formatIssue(issue)}\n`);
  if (issues.length > 0) return ExitCode.INVALID;
  const workflows = loaded
    .map((l) => l.result.workflow)
    .filter((w): w is WorkflowCreateRequest => w !== undefined);
  const timeScale = options.timeScale === undefined ? 1 : Number(options.timeScale);
  const embedded = await openBaton({ db: options.db, timeScale, scope: [] });
  try {
    const { engine } = embedded;
    const printers = new Map(
      workflows.map((w) => [
        w.workflow.id,
        progressPrinter((t) => io.stdout(`${w.workflow.id}: ${t}`), w.workflow, false),
      ]),
    );
    engine.onRunChange((loadedRun) => printers.get(loadedRun.run.workflow_id)?.(loadedRun));
    for (const w of workflows) await engine.createWorkflow(w);
    engine.start();
    io.stdout(`baton: running ${workflows.length} workflows from ${folder} on ${options.db}\n`);
    const started = await Promise.all(
      workflows.map((w) => engine.startRun({ workflow_id: w.workflow.id, version: 'latest' })),
    );
    const stop = io.stopSignal?.then(() => 'stop' as const);
    const ending = Promise.all(started.map((s) => engine.waitForEnd(s.run)));
    const ended = await Promise.race([ending, ...(stop ? [stop] : [])]);
    if (ended === 'stop') {
      io.stderr(
        `baton start: interrupted; the runs that had not ended are left in ${options.db}; ` +
          `to finish them, run: baton server --db ${options.db}\n`,
      );
      return ExitCode.INTERRUPTED;
    }
    io.stdout('\n');
    for (const { run } of ended)
      io.stdout(`  ${run.status.padEnd(10)} ${run.workflow_id} (instance ${run.instance_id})\n`);
    io.stdout(
      `\nRuns are kept in ${options.db}${embedded.hasLogs() ? `, step logs in ${embedded.logDir}` : ''}; ` +
        `run one yourself with: npx baton run ${folder}/<file> --json\n`,
    );
    return ExitCode.OK;
  } finally {
    await embedded.close();
  }
}
