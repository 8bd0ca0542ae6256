import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { serverCommand } from '../../src/cli/server-command.js';
import { ExitCode, type Io } from '../../src/cli/io.js';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { parseEventsConfig } from '../../src/events/config.js';
import { startRelay } from '../../src/events/relay.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { pollUntil } from '../support/deadline.js';
import { Receiver } from './receiver.js';

const SECRET = 'a-webhook-secret-for-tests';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('events of real runs', () => {
  it('publishes a run’s workflow and step status changes, enriched from the run and its version', async () => {
    const receiver = new Receiver(SECRET);
    await receiver.open();
    cleanup.push(() => receiver.close());
    const store = await openSqliteStore({ clock: systemClock }, { path: ':memory:' });
    const engine = createEngine(
      { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
      {},
    );
    const relay = startRelay(
      { store, clock: systemClock },
      {
        config: parseEventsConfig(
          JSON.stringify({ sinks: [{ name: 'hook', type: 'webhook', url: receiver.url, secret: SECRET }] }),
          'events.json',
          {},
        ),
        pollMs: 10,
      },
    );
    cleanup.push(async () => {
      await relay.stop();
      await engine.stop();
      await store.close();
    });
    const parsed = parseDefinition({
      properties: { owner: 'tester' },
      workflow: {
        id: 'wf',
        name: 'Two steps',
        tags: ['nightly'],
        steps: [
          { step: { id: 'a', type: 'NoOp', transition: { successors: { b: 'true' } } } },
          { step: { id: 'b', type: 'NoOp' } },
        ],
      },
    });
    if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
    await engine.createWorkflow(parsed.workflow);
    engine.start();
    const { run } = await engine.startRun({ workflow_id: 'wf' });
    await engine.waitForEnd(run);
    await pollUntil(
      async () => receiver.hits.some((h) => h.event['new_status'] === 'SUCCEEDED'),
      'the run’s SUCCEEDED event',
    );
    const events = receiver.hits.map((h) => h.event);
    const workflowEvents = events.filter((e) => e['type'] === 'WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT');
    expect(workflowEvents.map((e) => [e['old_status'], e['new_status']])).toEqual([
      ['CREATED', 'IN_PROGRESS'],
      ['IN_PROGRESS', 'SUCCEEDED'],
    ]);
    expect(workflowEvents[0]).toMatchObject({
      workflow_id: 'wf',
      workflow_name: 'Two steps',
      workflow_instance_id: run.instance_id,
      workflow_run_id: 1,
      correlation_id: run.correlation_id,
      depth: 0,
      cluster_name: 'baton',
      tags: [{ name: 'nightly' }],
    });
    const steps = events.filter((e) => e['type'] === 'STEP_INSTANCE_STATUS_CHANGE_EVENT');
    expect(steps.map((e) => e['step_id'])).toEqual(['a', 'b']);
    const records = steps[0]!['status_change_records'] as { new_status: string }[];
    expect(records.at(-1)!.new_status).toBe('SUCCEEDED');
    // in commit order: the run starts before its steps change and ends after them
    expect(events[0]).toBe(workflowEvents[0]);
    expect(events.at(-1)).toBe(workflowEvents[1]);
    for (const e of events) expect(JSON.stringify(e)).not.toContain('params');
  });
});

describe('baton server --events', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-events-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const io = (): Io & { err: string } => {
    const out = {
      err: '',
      stdout: () => undefined,
      stderr: (t: string) => void (out.err += t),
      cwd: dir,
      isTTY: false,
    };
    return out;
  };

  it('refuses a bad sinks file with every problem at its line and column, before starting', async () => {
    const file = path.join(dir, 'events.yaml');
    writeFileSync(
      file,
      [
        'sinks:',
        '  - name: hook',
        '    type: webhook',
        '    url: ftp://x',
        '    secret: ${env:NO_SUCH_VAR_HERE}',
        '',
      ].join('\n'),
    );
    const out = io();
    const code = await serverCommand(
      out,
      { db: path.join(dir, 'x.db'), host: '127.0.0.1', port: '0', events: file },
      Promise.resolve(),
    );
    expect(code).toBe(ExitCode.INVALID);
    expect(out.err).toContain(`${file}:4:10: an http:// or https:// URL (at sinks[0].url)`);
    expect(out.err).toContain(
      `${file}:5:13: the environment variable NO_SUCH_VAR_HERE is not set (at sinks[0].secret)`,
    );
  });

  it('runs the relay role with a good file and stops it with the server', async () => {
    const file = path.join(dir, 'events.json');
    writeFileSync(
      file,
      JSON.stringify({
        sinks: [{ name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/', secret: '${env:HOOK_SECRET}' }],
      }),
    );
    process.env['HOOK_SECRET'] = 'sixteen-chars-or-more';
    cleanup.push(async () => void delete process.env['HOOK_SECRET']);
    const out = io();
    const code = await serverCommand(
      out,
      { db: path.join(dir, 'y.db'), host: '127.0.0.1', port: '0', events: file, roles: 'relay' },
      Promise.resolve(),
    );
    expect(code).toBe(ExitCode.OK);
    expect(out.err).toContain('relay publishing to hook (webhook)');
  });
});
