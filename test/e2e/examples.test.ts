// Every workflow in examples/ runs under `baton run --json` and ends the way its comments say.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/engine/clock.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { runCli } from '../cli/run-cli.js';
import { cliDatabases, dropDbSchemas } from '../support/postgres.js';
import { repoRoot } from '../support/shared.js';

interface View {
  status: string;
  steps: Record<
    string,
    {
      status: string;
      step_attempt_id?: number;
      outputs?: Record<string, unknown>;
      params?: Record<string, unknown>;
    }
  >;
}

/** How each example ends; a new example without an entry here fails the first test. */
const EXPECTED: Record<string, { status: string; steps: Record<string, string>; check?: (v: View) => void }> =
  {
    'conditional-dsl.yaml': {
      status: 'SUCCEEDED',
      steps: { train: 'SUCCEEDED', publish: 'SUCCEEDED', retrain: 'UNSATISFIED' },
    },
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
        expect(v.steps['count']!.outputs).toEqual({ rows: 250 });
        expect(v.steps['report']!.params!['doubled']).toBe(500);
        expect(v.steps['report']!.params!['table']).toBe('sales_daily');
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
    'restart-after-fix.yaml': {
      status: 'FAILED',
      steps: { extract: 'SUCCEEDED', 'check-input': 'FATALLY_FAILED', load: 'NOT_CREATED' },
    },
    'fail-fast.yaml': {
      status: 'FAILED',
      steps: { 'schema-check': 'FATALLY_FAILED', 'long-transform': 'STOPPED' },
    },
  };

const examples = readdirSync(path.join(repoRoot, 'examples'))
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

const databases = cliDatabases('examples');
afterAll(() => dropDbSchemas(databases));

describe('examples', () => {
  it('each has an expected outcome here', () => {
    expect(examples).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(examples.flatMap((file) => databases.map((db) => [file, db.name, db.args] as const)))(
    '%s ends as its comments say (%s)',
    async (file, _db, dbArgs) => {
      const expected = EXPECTED[file]!;
      const args =
        file === 'restart-after-fix.yaml'
          ? ['--param', `input_file=${path.join(repoRoot, 'no-such-file')}`]
          : [];
      const { code, stdout } = await runCli([
        'run',
        path.join('examples', file),
        '--json',
        '--time-scale',
        '0.05',
        ...args,
        ...dbArgs,
      ]);
      const view = JSON.parse(stdout) as View;
      expect(view.status).toBe(expected.status);
      expect(code).toBe(expected.status === 'SUCCEEDED' ? 0 : 1);
      expect(Object.fromEntries(Object.entries(view.steps).map(([id, s]) => [id, s.status]))).toEqual(
        expected.steps,
      );
      expected.check?.(view);
    },
  );

  it('shell-outputs.yaml passes a hostile param to the shell as data: nothing in it runs, and it arrives intact', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-hostile-'));
    try {
      const pwned = (n: number) => path.join(dir, `pwned${n}`);
      // Breaks out of double quotes, substitutes commands both ways, and breaks out of single quotes.
      const hostile = `x"; touch ${pwned(1)}; echo "$(touch ${pwned(2)})\`touch ${pwned(3)}\`'; touch ${pwned(4)}; '`;
      const db = path.join(dir, 'baton.db');
      const { code, stdout } = await runCli([
        'run',
        'examples/shell-outputs.yaml',
        '--db',
        db,
        '--param',
        `table=${hostile}`,
        '--json',
      ]);
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as View).steps['report']!.params!['table']).toBe(hostile);
      for (const n of [1, 2, 3, 4]) expect(existsSync(pwned(n)), `pwned${n}`).toBe(false);
      const log = path.join(`${db}.logs`, 'shell-outputs', '1', '1', 'report', '1', 'stdout.log');
      expect(readFileSync(log, 'utf8')).toBe(`500 rows (doubled) in ${hostile}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restart-after-fix.yaml succeeds when restarted after the fix, running only what had not completed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-restart-'));
    try {
      const db = path.join(dir, 'baton.db');
      const ready = path.join(dir, 'ready');
      const first = await runCli([
        'run',
        'examples/restart-after-fix.yaml',
        '--db',
        db,
        '--param',
        `input_file=${ready}`,
        '--json',
      ]);
      expect(first.code).toBe(1);
      const before = JSON.parse(first.stdout) as View & { workflow_run_id: number };
      writeFileSync(ready, '');
      const second = await runCli(['restart', 'restart-after-fix', '1', '--db', db, '--json']);
      expect(second.stderr).not.toMatch(/baton restart:/);
      expect(second.code).toBe(0);
      const after = JSON.parse(second.stdout) as View & {
        workflow_run_id: number;
        steps: Record<string, { start_time?: number }>;
      };
      expect(after.workflow_run_id).toBe(2);
      expect(after.status).toBe('SUCCEEDED');
      expect(Object.fromEntries(Object.entries(after.steps).map(([id, s]) => [id, s.status]))).toEqual({
        extract: 'SUCCEEDED',
        'check-input': 'SUCCEEDED',
        load: 'SUCCEEDED',
      });
      // extract was carried over from run 1, not run again
      expect(after.steps['extract']!.start_time).toBe(
        (before.steps['extract'] as { start_time?: number }).start_time,
      );
      const fromStart = await runCli([
        'restart',
        'restart-after-fix',
        '1',
        '--db',
        db,
        '--from-beginning',
        '--json',
      ]);
      expect(fromStart.code).toBe(0);
      const third = JSON.parse(fromStart.stdout) as {
        workflow_run_id: number;
        steps: Record<string, { start_time?: number }>;
      };
      expect(third.workflow_run_id).toBe(3);
      expect(third.steps['extract']!.start_time).toBeGreaterThan(after.steps['extract']!.start_time!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to restart a run that has not ended, or an instance that does not exist', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-restart-'));
    try {
      const db = path.join(dir, 'x.db');
      const noDatabase = await runCli(['restart', 'nope', '1', '--db', db]);
      expect(noDatabase.code).toBe(2);
      expect(noDatabase.stderr).toMatch(/there is no database at .*x\.db/);
      await (await openSqliteStore({ clock: systemClock }, { path: db })).close();
      const missing = await runCli(['restart', 'nope', '1', '--db', db]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/has no instance 1 of workflow 'nope'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
