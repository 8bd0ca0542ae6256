// Signals end to end: `baton signal` against `baton server` processes starts the workflows their triggers name. On
// PostgreSQL, an api-only process takes the announcement and a scheduler-only process (woken by NOTIFY) matches it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dropDbSchemas, freshSchema, hasPg, pgSchemaUrl } from '../support/postgres.js';
import { baton, exitOf, killLeftovers, until } from './processes.js';

afterEach(() => killLeftovers());

const TRIGGERED = `properties: { owner: tester }
workflow:
  id: on-ready
  signal_triggers:
    - definitions:
        ready: { match_params: { day: { value: 20261201, operator: ">=" } } }
      params: { who: { type: STRING, value: signal } }
  steps:
    - step:
        id: job
        type: NoOp
        params:
          day: { type: LONG, expression: "params.getFromSignal('ready', 'day')" }
          who: { type: STRING, expression: "params.getFromSignal('who')" }
`;

async function serving(args: string[]): Promise<string> {
  const server = baton(['server', ...args, '--port', '0']);
  return until('the server to listen', () => {
    if (server.child.exitCode !== null) throw new Error(`baton server ended: ${server.stderr()}`);
    return /Baton is serving (http:\/\/\S+) /.exec(server.stdout())?.[1];
  });
}

async function scenario(dir: string, apiUrl: string, readUrl = apiUrl): Promise<void> {
  const client = (url: string, ...args: string[]) => baton([...args, '--url', url], dir);
  expect(await exitOf(client(apiUrl, 'push', 'triggered.yaml'))).toBe(0);
  expect(await exitOf(client(apiUrl, 'signal', 'ready', 'day=20261130'))).toBe(0); // too early: no run
  const announce = client(apiUrl, 'signal', 'ready', 'day=20261207', '--payload', '{"from":"e2e"}');
  expect(await exitOf(announce)).toBe(0);
  expect(announce.stdout()).toBe('announced ready #2\n');
  const ended = await until('the triggered run to succeed', async () => {
    const status = client(readUrl, 'status', 'on-ready', '1', '--json');
    return (await exitOf(status)) === 0 && status.stdout().includes('"SUCCEEDED"')
      ? status.stdout()
      : undefined;
  });
  expect(JSON.parse(ended)).toMatchObject({ initiator: { type: 'SIGNAL', signal_id_map: { ready: 2 } } });
  const get = client(readUrl, 'signal', 'get', 'ready', '--json');
  expect(await exitOf(get)).toBe(0);
  expect(JSON.parse(get.stdout())).toMatchObject({ seq_id: 2, payload: { from: 'e2e' } });
  const list = client(readUrl, 'ls', 'on-ready', '--json');
  expect(await exitOf(list)).toBe(0);
  expect(JSON.parse(list.stdout()).elements).toHaveLength(1);
}

describe('baton signal against baton server', () => {
  it('starts the triggered workflow in one all-roles server (SQLite)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-e2e-signals-'));
    try {
      writeFileSync(path.join(dir, 'triggered.yaml'), TRIGGERED);
      const url = await serving(['--db', path.join(dir, 'baton.db')]);
      await scenario(dir, url);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(!hasPg)(
    'matches in a scheduler process what an api process stored (PostgreSQL)',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'baton-e2e-signals-'));
      const schema = freshSchema('e2esig');
      try {
        writeFileSync(path.join(dir, 'triggered.yaml'), TRIGGERED);
        const db = pgSchemaUrl(schema);
        const api = await serving(['--db', db, '--roles', 'api']);
        const scheduler = baton(['server', '--db', db, '--roles', 'engine,worker,scheduler']);
        await scenario(dir, api);
        // The run was started and run by the other process, which says so as it ends.
        await until('the scheduler process to report the run', () =>
          scheduler.stdout().includes('run on-ready/1/1 SUCCEEDED') ? true : undefined,
        );
      } finally {
        killLeftovers();
        await dropDbSchemas([{ schema }]);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
