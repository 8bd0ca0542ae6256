import { byPosition } from '../dsl/parse.js';
import { buildGraph } from '../dsl/graph/dag.js';
import { toMermaid } from '../dsl/graph/render.js';
import { expandPaths, formatIssue, loadDefinitionFiles } from './definition-files.js';
import { ExitCode, type Io } from './io.js';

/**
 * What `npm start` does today: validate every definition in a folder and draw each workflow. The engine (next
 * milestone) turns this into running them, and the server after it into serving them.
 */
export function startCommand(io: Io, folder: string): ExitCode {
  const files = expandPaths(io.cwd, [folder]);
  if (files.length === 0 || (files.length === 1 && files[0] === folder)) {
    io.stderr(`${folder}: no definition files (.json, .yaml, .yml) found there\n`);
    return ExitCode.INVALID;
  }
  let invalid = 0;
  for (const { file, result } of loadDefinitionFiles(io.cwd, files)) {
    if (result.issues.length > 0) {
      invalid += 1;
      for (const issue of [...result.issues].sort(byPosition)) io.stdout(`${formatIssue(issue)}\n`);
      continue;
    }
    if (result.jobTemplate) {
      io.stdout(
        `\n${file}: job template '${result.jobTemplate.definition.job_type}' ${result.jobTemplate.definition.version}: valid\n`,
      );
      continue;
    }
    const w = result.workflow!.workflow;
    io.stdout(`\n${file}: workflow '${w.id}' (${w.steps.length} top-level steps): valid\n`);
    io.stdout(toMermaid(buildGraph(w.steps), w.id));
  }
  io.stdout(
    `\n${files.length - invalid} of ${files.length} definitions valid. Running them arrives with the engine.\n`,
  );
  return invalid === 0 ? ExitCode.OK : ExitCode.INVALID;
}
