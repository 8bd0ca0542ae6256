import { readFileSync } from 'node:fs';
import path from 'node:path';
import { conformanceDir, hasShared } from './shared.js';

/** One entry of ../shared/maestro/conformance/sample-outcomes.json: how one start of a Maestro sample ends. */
export interface SampleOutcome {
  file: string;
  workflow_id: string;
  instance_status: string;
  steps: Record<string, string>;
  foreach?: object;
  while?: object;
  subworkflow?: object;
  depends_on: string[];
  evaluated_params?: Record<string, unknown>;
  ordering?: string[];
}

export const sampleOutcomes: SampleOutcome[] = hasShared
  ? (JSON.parse(readFileSync(path.join(conformanceDir, 'sample-outcomes.json'), 'utf8')) as SampleOutcome[])
  : [];

const empty = (o: object | undefined) => o === undefined || Object.keys(o).length === 0;

/** The samples that run without external systems: no loops, no subworkflows, no dependencies on other samples. */
export const runnableSamples = sampleOutcomes.filter(
  (o) => empty(o.foreach) && empty(o.while) && empty(o.subworkflow) && o.depends_on.length === 0,
);

/**
 * The samples that compose workflows (subworkflows) or loop (foreach, while), with the samples their subworkflows
 * run (`depends_on`).
 */
export const subworkflowSamples = sampleOutcomes.filter(
  (o) => !empty(o.subworkflow) || !empty(o.foreach) || !empty(o.while),
);

/** What a sample's loop steps end with: iterations by status and leaf steps by status (top-level steps only). */
export function foreachOutcomes(
  o: SampleOutcome,
): [string, { iteration_status: Record<string, number>; rollup: Record<string, number> }][] {
  const loops = { ...o.foreach, ...o.while } as Record<string, Record<string, unknown>>;
  return Object.entries(loops).flatMap(([id, f]) => {
    // `outer/inner` and `child:...` entries describe loops below the run's own steps
    if (id.includes('/') || id.includes(':')) return [];
    const { total_leaf_count: _, ...rollup } = f['rollup'] as Record<string, number>;
    return [[id, { iteration_status: f['iteration_status'] as Record<string, number>, rollup }]];
  });
}
