import { readFileSync } from 'node:fs';
import path from 'node:path';
import { conformanceDir, hasShared } from './shared.js';

/** One entry of ../shared/maestro/conformance/sample-outcomes.json: how one start of a Maestro sample ends. */
export interface SampleOutcome {
  file: string;
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

/** The samples that compose workflows without loops: their subworkflows' definitions are other samples (`depends_on`). */
export const subworkflowSamples = sampleOutcomes.filter(
  (o) =>
    !empty(o.subworkflow) &&
    [o, ...o.depends_on.map((d) => sampleOutcomes.find((x) => x.file === d))].every(
      (x) => x !== undefined && empty(x.foreach) && empty(x.while),
    ),
);
