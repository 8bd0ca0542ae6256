// The engine with a real store (SQLite, and PostgreSQL when BATON_TEST_PG_URL is set) and real runtimes: starts,
// run strategies, actions, unblock, permits, breakpoints, step restart.
import { beforeAll, describe, expect, it } from 'vitest';
import { IllegalStateError, NotFoundError } from '../../src/model/errors.js';
import { ADAPTERS } from './adapters.js';
import { engineFixture, shell, statusOf, stepStatus } from './engine-fixture.js';

const fixture = engineFixture();
const { engineWith } = fixture;

describe.each(ADAPTERS)('on %s', (_name, open) => {
  beforeAll(() => {
    fixture.use(open);
  });

  describe('engine', () => {
    it('starts a request id once: the second start returns the first run as DUPLICATED', async () => {
      const engine = await engineWith(shell('w', 'parallel', 'true'));
      const first = await engine.startRun({ workflow_id: 'w', request_id: 'abc' });
      const second = await engine.startRun({ workflow_id: 'w', request_id: 'abc' });
      expect(first.status).toBe('CREATED');
      expect(second.status).toBe('DUPLICATED');
      expect(second.run.instance_id).toBe(first.run.instance_id);
    });

    it('SEQUENTIAL queues runs and starts the next when one ends', async () => {
      const engine = await engineWith(shell('seq', 'sequential', 'sleep 0.3'));
      const a = await engine.startRun({ workflow_id: 'seq' });
      const b = await engine.startRun({ workflow_id: 'seq' });
      // A start stores the run CREATED; an engine admits it in a transaction of its own.
      expect([a.run.status, b.run.status]).toEqual(['CREATED', 'CREATED']);
      await expect.poll(() => statusOf(engine, 'seq', a.run.instance_id)).toBe('IN_PROGRESS');
      expect(await statusOf(engine, 'seq', b.run.instance_id)).toBe('CREATED');
      const endA = await engine.waitForEnd(a.run);
      const endB = await engine.waitForEnd(b.run);
      expect(endB.run.start_time!).toBeGreaterThanOrEqual(endA.run.end_time!);
    });

    it('FIRST_ONLY stops a start while another run is unfinished', async () => {
      const engine = await engineWith(shell('first', 'first_only', 'sleep 0.3'));
      await engine.startRun({ workflow_id: 'first' });
      const second = await engine.startRun({ workflow_id: 'first' });
      expect(second.status).toBe('STOPPED');
      expect(second.run.status).toBe('STOPPED');
    });

    it('LAST_ONLY stops the running run for the newest one', async () => {
      const engine = await engineWith(shell('last', 'last_only', 'sleep 5'));
      const old = await engine.startRun({ workflow_id: 'last' });
      const latest = await engine.startRun({ workflow_id: 'last' });
      expect((await engine.waitForEnd(old.run)).run.status).toBe('STOPPED');
      await expect.poll(() => statusOf(engine, 'last', latest.run.instance_id)).toBe('IN_PROGRESS');
      await engine.action(latest.run, 'STOP');
    });

    it('STRICT_SEQUENTIAL holds its queue after a failure until the failed run is unblocked', async () => {
      const strict = shell('strict', 'strict_sequential', 'test "${GO}" = yes');
      const engine = await engineWith({
        ...strict,
        workflow: { ...strict.workflow, params: { GO: { type: 'STRING', value: 'no' } } },
      });
      const failed = await engine.startRun({ workflow_id: 'strict' });
      expect((await engine.waitForEnd(failed.run)).run.status).toBe('FAILED');
      const next = await engine.startRun({ workflow_id: 'strict', run_params: { GO: 'yes' } });
      expect(next.run.status).toBe('CREATED');
      await expect(engine.unblock(next.run)).rejects.toThrow(IllegalStateError);
      await engine.unblock(failed.run);
      expect((await engine.waitForEnd(next.run)).run.status).toBe('SUCCEEDED');
    });

    it('STRICT_SEQUENTIAL lets a restart of the failed run through, and the queue after it', async () => {
      const strict = shell('strict-r', 'strict_sequential', 'test "${GO}" = yes');
      const engine = await engineWith({
        ...strict,
        workflow: { ...strict.workflow, params: { GO: { type: 'STRING', value: 'no' } } },
      });
      const failed = await engine.startRun({ workflow_id: 'strict-r' });
      expect((await engine.waitForEnd(failed.run)).run.status).toBe('FAILED');
      const next = await engine.startRun({ workflow_id: 'strict-r', run_params: { GO: 'yes' } });
      const restarted = await engine.restart({
        workflow_id: 'strict-r',
        instance_id: failed.run.instance_id,
        run_params: { GO: 'yes' },
      });
      expect(restarted.run.run_id).toBe(2);
      expect((await engine.waitForEnd(restarted.run)).run.status).toBe('SUCCEEDED');
      expect((await engine.waitForEnd(next.run)).run.status).toBe('SUCCEEDED');
    });

    it('stops a running Shell step and its whole run', async () => {
      const engine = await engineWith(shell('stop-me', 'sequential', 'sleep 30'));
      const started = await engine.startRun({ workflow_id: 'stop-me' });
      await expect.poll(() => stepStatus(engine, started.run, 'work')).toBe('RUNNING');
      await engine.action(started.run, 'STOP', 'work');
      const ended = await engine.waitForEnd(started.run);
      expect(ended.run.status).toBe('STOPPED');
      expect(ended.state.steps['work']!.status).toBe('STOPPED');
    });

    it('refuses an action the status does not allow, and changes nothing', async () => {
      const engine = await engineWith(shell('done', 'sequential', 'true'));
      const started = await engine.startRun({ workflow_id: 'done' });
      const ended = await engine.waitForEnd(started.run);
      await expect(engine.action(started.run, 'STOP')).rejects.toThrow(
        /cannot STOP run done\/1\/1: it is SUCCEEDED/,
      );
      await expect(engine.action(started.run, 'STOP', 'work')).rejects.toThrow(
        /cannot STOP step 'work' of run done\/1\/1: its run is SUCCEEDED/,
      );
      await expect(engine.action({ ...started.run, run_id: 9 }, 'KILL')).rejects.toThrow(NotFoundError);
      expect((await engine.getRun(started.run))!.run.version).toBe(ended.run.version);
    });
  });

  describe('engine: permits', () => {
    const fanout = (id: string, extra: Record<string, unknown>, stepExtra: Record<string, unknown> = {}) => ({
      properties: { owner: 'tester', run_strategy: 'parallel', ...extra },
      workflow: {
        id,
        steps: ['a', 'b', 'c'].map((s) => ({
          step: {
            id: s,
            type: 'Shell',
            params: { command: { type: 'STRING', value: 'sleep 0.2' } },
            ...stepExtra,
          },
        })),
      },
    });

    const overlapping = (steps: Record<string, { start_time?: number; end_time?: number }>) => {
      const spans = Object.values(steps).map((s) => [s.start_time!, s.end_time!] as const);
      let max = 0;
      for (const [start] of spans)
        max = Math.max(max, spans.filter(([s, e]) => s <= start && start < e).length);
      return max;
    };

    it('step_concurrency caps the leaf steps of a workflow running at once; the others wait for permits', async () => {
      const engine = await engineWith(fanout('capped', { step_concurrency: 1 }));
      const started = await engine.startRun({ workflow_id: 'capped' });
      await expect
        .poll(async () =>
          Object.values((await engine.getRun(started.run))!.state.steps)
            .map((s) => s.status)
            .sort(),
        )
        .toEqual(['RUNNING', 'WAITING_FOR_PERMITS', 'WAITING_FOR_PERMITS']);
      const ended = await engine.waitForEnd(started.run);
      expect(ended.run.status).toBe('SUCCEEDED');
      expect(overlapping(ended.state.steps)).toBe(1);
    });

    it('a tag permit caps the steps carrying the tag, across runs', async () => {
      const engine = await engineWith(fanout('tagged', { step_concurrency: 100 }, { tags: ['gpu'] }));
      await engine.setTagPermit('gpu', 2);
      const runs = await Promise.all([
        engine.startRun({ workflow_id: 'tagged' }),
        engine.startRun({ workflow_id: 'tagged' }),
      ]);
      const ended = await Promise.all(runs.map((r) => engine.waitForEnd(r.run)));
      const all = Object.fromEntries(
        ended.flatMap((e) =>
          Object.entries(e.state.steps).map(([id, s]) => [`${e.run.instance_id}/${id}`, s]),
        ),
      );
      expect(ended.map((e) => e.run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(overlapping(all)).toBe(2);
    });

    it('stopping a run lets the steps that waited for its permits go', async () => {
      const engine = await engineWith(fanout('stopper', { step_concurrency: 1 }));
      const started = await engine.startRun({ workflow_id: 'stopper' });
      await engine.action(started.run, 'STOP');
      const ended = await engine.waitForEnd(started.run);
      expect(Object.values(ended.state.steps).map((s) => s.status)).toEqual([
        'STOPPED',
        'STOPPED',
        'STOPPED',
      ]);
      const next = await engine.startRun({ workflow_id: 'stopper' });
      expect((await engine.waitForEnd(next.run)).run.status).toBe('SUCCEEDED');
    });
  });

  describe('engine: breakpoints', () => {
    it('pauses a step at a breakpoint until it is resumed', async () => {
      const engine = await engineWith(shell('bp', 'sequential', 'true'));
      await engine.setBreakpoint({
        workflow_id: 'bp',
        step_id: 'work',
        instance_id: 0,
        run_id: 0,
        attempt: 0,
      });
      const started = await engine.startRun({ workflow_id: 'bp' });
      await expect.poll(() => stepStatus(engine, started.run, 'work')).toBe('PAUSED');
      await expect(engine.action(started.run, 'SKIP')).rejects.toThrow(IllegalStateError);
      await engine.action(started.run, 'RESUME', 'work');
      expect((await engine.waitForEnd(started.run)).run.status).toBe('SUCCEEDED');
      await engine.deleteBreakpoint({
        workflow_id: 'bp',
        step_id: 'work',
        instance_id: 0,
        run_id: 0,
        attempt: 0,
      });
      const again = await engine.startRun({ workflow_id: 'bp' });
      expect((await engine.waitForEnd(again.run)).run.status).toBe('SUCCEEDED');
    });
  });

  describe('engine: step restart', () => {
    it('restarts a failed step of a running run as a new attempt, and of an ended run as a new run', async () => {
      const engine = await engineWith({
        properties: { owner: 'tester' },
        workflow: {
          id: 'partial',
          params: { GO: { type: 'STRING', value: 'no' } },
          steps: [
            {
              step: {
                id: 'flaky',
                type: 'Shell',
                retry_policy: { error_retry_limit: 0 },
                params: { command: { type: 'STRING', value: 'test -f "${GO}"' } },
              },
            },
            {
              step: {
                id: 'slow',
                type: 'Shell',
                params: { command: { type: 'STRING', value: 'sleep 0.5' } },
              },
            },
          ],
        },
      });
      const started = await engine.startRun({ workflow_id: 'partial' });
      await expect
        .poll(async () => (await engine.getRun(started.run))!.state.steps['flaky']!.status)
        .toBe('FATALLY_FAILED');
      expect(await engine.restartStep(started.run, 'flaky')).toBeUndefined();
      const ended = await engine.waitForEnd(started.run);
      expect(ended.state.steps['flaky']!.attempt).toBe(2);
      expect(ended.run.status).toBe('FAILED'); // the file still does not exist
      const again = await engine.restartStep(started.run, 'flaky');
      expect(again!.run.run_id).toBe(2);
      const second = await engine.waitForEnd(again!.run);
      expect(second.state.steps['slow']!.carried).toBe(true);
    });
  });
});
