// Every workflow in examples/ runs under `baton run --json` and ends the way its comments say.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { repoRoot } from '../support/shared.js';

interface View {
  status: string;
  steps: Record<string, { status: string; step_attempt_id?: number; outputs?: Record<string, unknown>; params?: Record<string, unknown> }>;
}

/** How each example ends; a new example without an entry here fails the first test. */
const EXPECTED: Record<string, { status: string; steps: Record<string, string>; check?: (v: View) => void }> = {
  'conditional-dsl.yaml': { status: 'SUCCEEDED', steps: { train: 'SUCCEEDED', publish: 'SUCCEEDED', retrain: 'UNSATISFIED' } },
  'daily-sales-report.yaml': {
    status: 'SUCCEEDED',
    steps: { extract: 'SUCCEEDED', clean: 'SUCCEEDED', enrich: 'SUCCEEDED', report: 'SUCCEEDED' },
  },
  'retries.yaml': {
    status: 'SUCCEEDED',
    steps: { 'flaky-download': 'SUCCEEDED', load: 'SUCCEEDED' },
    check: (v) => expect(v.steps['flaky-download']!.step_attempt_id).toBe(3),
  },
  'shell-outputs.yaml': {
    status: 'SUCCEEDED',
    steps: { count: 'SUCCEEDED', report: 'SUCCEEDED', alert_empty: 'UNSATISFIED' },
    check: (v) => {
      expect(v.steps['count']!.outputs).toEqual({ rows: 250, table: 'sales_daily' });
      expect(v.steps['report']!.params!['doubled']).toBe(500);
    },
  },
  'failure-modes.yaml': {
    status: 'FAILED',
    steps: {
      'optional-enrichment': 'COMPLETED_WITH_ERROR',
      publish: 'SUCCEEDED',
      'required-check': 'FATALLY_FAILED',
      notify: 'NOT_CREATED',
      'slow-branch': 'SUCCEEDED',
    },
  },
  'fail-fast.yaml': { status: 'FAILED', steps: { 'schema-check': 'FATALLY_FAILED', 'long-transform': 'STOPPED' } },
};

const examples = readdirSync(path.join(repoRoot, 'examples')).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

describe('examples', () => {
  it('each has an expected outcome here', () => {
    expect(examples).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(examples)('%s ends as its comments say', async (file) => {
    const expected = EXPECTED[file]!;
    const { code, stdout } = await runCli(['run', path.join('examples', file), '--json', '--time-scale', '0.05']);
    const view = JSON.parse(stdout) as View;
    expect(view.status).toBe(expected.status);
    expect(code).toBe(expected.status === 'SUCCEEDED' ? 0 : 1);
    expect(Object.fromEntries(Object.entries(view.steps).map(([id, s]) => [id, s.status]))).toEqual(expected.steps);
    expected.check?.(view);
  });
});
