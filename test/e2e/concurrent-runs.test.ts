// Two `baton run` of one workflow on one database at once (the second queued behind the first: SEQUENTIAL): each
// runs and prints its own run, and nothing of the other's (they used to take each other's steps, so one printed
// both runs and the other nothing).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, hasPg, pgSchemaUrl } from '../support/postgres.js';
import { baton, exitOf, killLeftovers } from './processes.js';

const WORKFLOW = `
properties: { owner: tester }
workflow:
  id: twice
  steps:
    - step: { id: first, type: Shell, params: { command: { type: STRING, value: "sleep 0.5; echo first" } }, transition: { successors: { second: "true" } } }
    - step: { id: second, type: Shell, params: { command: { type: STRING, value: "sleep 0.2; echo second" } } }
`;

afterEach(killLeftovers);

/** The run ids (`twice/N/1`) a process's progress lines name. */
const runsNamed = (output: string): string[] => [...new Set(output.match(/twice\/\d+\/\d+/g) ?? [])];

/** The databases to try: a SQLite file in `dir`, and a PostgreSQL schema of its own when configured. */
const DATABASES: [string, (dir: string) => { db: string; drop?: () => Promise<void> }][] = [
  ['a SQLite file', (dir) => ({ db: path.join(dir, 'baton.db') })],
  ...(hasPg
    ? [
        [
          'PostgreSQL',
          () => {
            const schema = freshSchema('two');
            return { db: pgSchemaUrl(schema), drop: () => dropSchema(schema) };
          },
        ] as [string, (dir: string) => { db: string; drop?: () => Promise<void> }],
      ]
    : []),
];

describe.each(DATABASES)('two baton run at once on %s', (_name, databaseIn) => {
  it('each prints its own run only, to its end', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-two-'));
    const { db, drop } = databaseIn(dir);
    try {
      const file = path.join(dir, 'twice.yaml');
      writeFileSync(file, WORKFLOW);
      const runs = [0, 1].map(() => baton(['run', file, '--db', db]));
      const codes = await Promise.all(runs.map((r) => exitOf(r, 60_000)));
      expect(codes, runs.map((r) => r.stdout() + r.stderr()).join('\n---\n')).toEqual([0, 0]);
      const named = runs.map((r) => runsNamed(r.stdout()));
      expect(named.map((n) => n.length)).toEqual([1, 1]);
      expect(new Set(named.flat()).size).toBe(2);
      for (const r of runs) {
        expect(r.stdout()).toMatch(/first SUCCEEDED/);
        expect(r.stdout()).toMatch(/second SUCCEEDED/);
        expect(r.stdout()).toMatch(/run twice\/\d+\/1 SUCCEEDED/);
        expect(r.stdout()).not.toMatch(/attempt 2/); // no step ran twice
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await drop?.();
    }
  }, 90_000);
});
