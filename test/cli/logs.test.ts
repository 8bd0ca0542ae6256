// Step logs are kept per database: `<file>.logs/` beside a SQLite file (two databases in one folder no longer share
// `logs/`), a run without --db keeps its logs when its temporary database goes, and the command says where they are.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logDirFor } from '../../src/server/compose.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flow = path.join(dir, 'echo.yaml');
writeFileSync(
  flow,
  `
properties: { owner: tester }
workflow:
  id: echoer
  params: { who: { type: STRING, value: nobody } }
  steps:
    - step: { id: say, type: Shell, params: { command: { type: STRING, value: 'echo "hello \${who}"' } } }
`,
);
const stdoutLog = (logs: string) => readFileSync(path.join(logs, 'echoer/1/1/say/1/stdout.log'), 'utf8');

describe('step logs', () => {
  it('go to <file>.logs for each SQLite database, so two in one folder keep their own', async () => {
    for (const who of ['alpha', 'beta']) {
      const db = path.join(dir, `${who}.db`);
      const { code, stderr } = await runCli(['run', flow, '--db', db, '--param', `who=${who}`]);
      expect(code).toBe(0);
      expect(stderr).toContain(`step logs are in ${db}.logs\n`);
    }
    expect(stdoutLog(path.join(dir, 'alpha.db.logs'))).toBe('hello alpha\n');
    expect(stdoutLog(path.join(dir, 'beta.db.logs'))).toBe('hello beta\n');
    expect(existsSync(path.join(dir, 'logs'))).toBe(false);
  });

  it('of a run without --db are kept, and said where, when its temporary database is removed', async () => {
    const { code, stderr } = await runCli(['run', flow, '--param', 'who=temp'], undefined, {
      keepLogs: true,
    });
    expect(code).toBe(0);
    const logs = /step logs are in (\S+)\n/.exec(stderr)?.[1];
    expect(logs, stderr).toBeDefined();
    try {
      expect(stdoutLog(logs!)).toBe('hello temp\n');
      expect(logs!.endsWith('baton.db.logs')).toBe(true);
      expect(existsSync(logs!.slice(0, -'.logs'.length))).toBe(false); // the database itself is gone
    } finally {
      rmSync(path.dirname(logs!), { recursive: true, force: true });
    }
  });

  it('of a database server go to a folder named after its host, port, database and schema', () => {
    const env = { BATON_LOG_DIR: '/var/log/baton' };
    expect(logDirFor('postgres://u:pw@db.internal:5433/prod?schema=blue', env)).toBe(
      '/var/log/baton/db.internal-5433-prod-blue',
    );
    expect(logDirFor('postgres://u@db.internal/prod', env)).toBe(
      '/var/log/baton/db.internal-5432-prod-public',
    );
    expect(logDirFor('postgresql://u@db.internal/prod?schema=green', {})).toBe(
      path.resolve('.baton/logs/db.internal-5432-prod-green'),
    );
  });
});
