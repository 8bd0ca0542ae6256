// decide and permits (step concurrency, instance step concurrency, tag permits): what it asks for, takes and gives
// back, from the permit states its context shows; no store.
import { describe, expect, it } from 'vitest';
import { runHarness, workflowOf } from './harness.js';

describe('decide: permits', () => {
  it('waits for permits before running, and gives them back when the attempt ends', () => {
    const permits = [{ key: 'workflow:wf', limit: 1 }];
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { b: 'true' }],
        ['b', 'NoOp'],
      ]),
      { permitsFor: () => permits },
    );
    const start = h.send({ type: 'start' });
    expect(h.status('a')).toBe('WAITING_FOR_PERMITS');
    expect(start.effects).toContainEqual({ type: 'acquire_permits', step_id: 'a', attempt: 1, permits });
    expect(start.effects.some((e) => e.type === 'run_step')).toBe(false);
    const granted = h.send({ type: 'permits_granted', step_id: 'a', attempt: 1 });
    expect(h.status('a')).toBe('RUNNING');
    expect(granted.effects).toContainEqual(expect.objectContaining({ type: 'run_step', step_id: 'a' }));
    const done = h.result('a', { state: 'done' });
    expect(done.effects).toContainEqual({ type: 'release_permits', step_id: 'a', attempt: 1 });
    expect(h.status('b')).toBe('WAITING_FOR_PERMITS');
  });

  it('a stopped run releases the permits its waiting steps were queued for', () => {
    const h = runHarness(workflowOf([['a', 'NoOp']]), { permitsFor: () => [{ key: 'k', limit: 1 }] });
    h.send({ type: 'start' });
    const stop = h.send({ type: 'action', action: 'STOP' });
    expect(stop.effects).toContainEqual({ type: 'release_permits', step_id: 'a', attempt: 1 });
    expect([h.status('a'), h.run.status]).toEqual(['STOPPED', 'STOPPED']);
    expect(h.send({ type: 'permits_granted', step_id: 'a', attempt: 1 }).changed).toBe(false);
  });
});

describe('decide: free permits', () => {
  it('counts the permits it takes itself: of two steps that fit one free permit, the second waits in line', () => {
    const permits = [{ key: 'workflow:wf', limit: 2 }];
    const h = runHarness(
      {
        properties: { owner: 'o' },
        workflow: {
          id: 'wf',
          steps: [{ step: { id: 'a', type: 'NoOp' } }, { step: { id: 'b', type: 'NoOp' } }],
        },
      },
      { permitsFor: () => permits, permitState: () => ({ held: 1, waiting: false }) },
    );
    const start = h.send({ type: 'start' });
    expect(start.effects.filter((e) => e.type === 'hold_permits').map((e) => e.step_id)).toEqual(['a']);
    expect(start.effects.filter((e) => e.type === 'acquire_permits').map((e) => e.step_id)).toEqual(['b']);
    expect([h.status('a'), h.status('b')]).toEqual(['RUNNING', 'WAITING_FOR_PERMITS']);
  });

  it('neither takes nor runs while someone waits in line for the key, however much room it has', () => {
    const permits = [{ key: 'workflow:wf', limit: 9 }];
    const h = runHarness(workflowOf([['a', 'NoOp']]), {
      permitsFor: () => permits,
      permitState: () => ({ held: 0, waiting: true }),
    });
    h.send({ type: 'start' });
    expect(h.status('a')).toBe('WAITING_FOR_PERMITS');
  });

  it('takes permits that are free at once and runs the attempt, with no wait', () => {
    const permits = [{ key: 'workflow:wf', limit: 5 }];
    const h = runHarness(workflowOf([['a', 'NoOp']]), {
      permitsFor: () => permits,
      permitState: () => ({ held: 4, waiting: false }),
    });
    const start = h.send({ type: 'start' });
    expect(h.status('a')).toBe('RUNNING');
    expect(start.effects).toContainEqual({ type: 'hold_permits', step_id: 'a', attempt: 1, permits });
    expect(start.effects.some((e) => e.type === 'acquire_permits')).toBe(false);
    expect(h.result('a', { state: 'done' }).effects).toContainEqual({
      type: 'release_permits',
      step_id: 'a',
      attempt: 1,
    });
  });
});
