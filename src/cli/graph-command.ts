import { buildGraph } from '../dsl/graph/dag.js';
import { byPosition } from '../dsl/parse.js';
import { toDot, toMermaid } from '../dsl/graph/render.js';
import { formatIssue, loadDefinitionFiles } from './definition-files.js';
import { ExitCode, type Io } from './io.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** `baton graph FILE --format mermaid|dot|json`: draws the DAG, loop bodies as subgraphs, conditions on edges. */
export function graphCommand(io: Io, file: string, format: GraphFormat): ExitCode {
  const [loaded] = loadDefinitionFiles(io.cwd, [file]);
  const workflow = loaded?.result.workflow;
  if (!workflow) {
    for (const issue of [...(loaded?.result.issues ?? [])].sort(byPosition))
      io.stderr(`${formatIssue(issue)}\n`);
    if (loaded?.result.jobTemplate) io.stderr(`${file}: a job template has no graph to draw\n`);
    return ExitCode.INVALID;
  }
  const graph = buildGraph(workflow.workflow.steps);
  const id = workflow.workflow.id;
  if (format === 'json') io.stdout(`${JSON.stringify({ workflow_id: id, ...graph }, null, 2)}\n`);
  else io.stdout(format === 'dot' ? toDot(graph, id) : toMermaid(graph, id));
  return ExitCode.OK;
}
