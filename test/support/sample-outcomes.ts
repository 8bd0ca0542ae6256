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
 * The samples that compose workflows (subworkflows) or loop over values (foreach), with the samples their
 * subworkflows run (`depends_on`): none of them uses a while loop.
 */
export const subworkflowSamples = sampleOutcomes.filter(
  (o) =>
    (!empty(o.subworkflow) || !empty(o.foreach)) &&
    [o, ...o.depends_on.map((d) => sampleOutcomes.find((x) => x.file === d))].every(
      (x) => x !== undefined && empty(x.while),
    ),
);

/** What a sample's foreach steps end with: iterations by status and leaf steps by status (top-level steps only). */
export function foreachOutcomes(
  o: SampleOutcome,
): [string, { iteration_status: Record<string, number>; rollup: Record<string, number> }][] {
  return Object.entries((o.foreach ?? {}) as Record<string, Record<string, unknown>>).flatMap(([id, f]) => {
    // `outer/inner` and `child:...` entries describe loops below the run's own steps
    if (id.includes('/') || id.includes(':')) return [];
    const { total_leaf_count: _, ...rollup } = f['rollup'] as Record<string, number>;
    return [[id, { iteration_status: f['iteration_status'] as Record<string, number>, rollup }]];
  });
}
