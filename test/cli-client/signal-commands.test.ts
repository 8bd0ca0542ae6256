// Step signal dependencies and signal lineage end to end: a real Baton server on a local port, the API and the
// `baton` client (bypass, signal lineage) against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClientServer, type ClientServer } from './client-server.js';

/** `w` waits for `db/orders` of 20240101. */
const WAITER = `properties: { owner: tester, run_strategy: parallel }
workflow:
  id: waiter
  steps:
    - step:
        id: w
        type: NoOp
        signal_dependencies:
          - name: db/orders
            match_params:
              date: { param: { type: STRING, value: "20240101" }, operator: "=" }
`;

/** `make` announces `db/orders` of 20240101 when it succeeds. */
const PRODUCER = `properties: { owner: tester }
workflow:
  id: producer
  steps:
    - step:
        id: make
        type: NoOp
        signal_outputs:
          - name: db/orders
            params: { date: { type: STRING, value: "20240101" } }
`;

let s: ClientServer;
beforeAll(async () => {
  s = await openClientServer();
  s.write('waiter.yaml', WAITER);
  s.write('producer.yaml', PRODUCER);
  const pushed = await s.baton('push', 'waiter.yaml', 'producer.yaml');
  expect(pushed.code, pushed.stderr).toBe(0);
});
afterAll(async () => {
  await s?.close();
});

async function stepView(workflow: string, instance: number, step: string) {
  const res = await s.api.app.inject(`/api/v3/workflows/${workflow}/instances/${instance}/steps/${step}`);
  return res.json() as Record<string, unknown> & { runtime_state: { status: string } };
}

/** The server works in real time: look again (briefly) until the step gets there. */
async function untilStatus(workflow: string, instance: number, step: string, status: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await s.api.app.inject(`/api/v3/workflows/${workflow}/instances/${instance}/steps/${step}`);
    if (res.statusCode === 200 && res.json().runtime_state.status === status) return;
    if (Date.now() > deadline) throw new Error(`${workflow}/${instance}/${step} never got to ${status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('baton bypass', () => {
  it('releases a step waiting for signals; a step not waiting is refused (exit 2, the 409)', async () => {
    const started = JSON.parse((await s.baton('start', 'waiter', '--json')).stdout);
    const iid = Number(started.workflow_instance_id);
    await untilStatus('waiter', iid, 'w', 'WAITING_FOR_SIGNALS');
    expect((await stepView('waiter', iid, 'w'))['signal_dependencies']).toEqual({
      dependencies: [
        {
          name: 'db/orders',
          status: 'PENDING',
          match_params: { date: { value: '20240101', operator: '=' } },
        },
      ],
    });
    const noStep = await s.baton('bypass', 'waiter', String(iid));
    expect(noStep.code).toBe(2);
    const bypassed = await s.baton('bypass', 'waiter', String(iid), '--step', 'w');
    expect(bypassed.code, bypassed.stderr).toBe(0);
    expect(bypassed.stdout).toBe(`bypass step w of waiter instance ${iid} run 1 (attempt 1): SUCCEEDED\n`);
    const view = await stepView('waiter', iid, 'w');
    expect(view['signal_dependencies']).toMatchObject({ dependencies: [{ status: 'SKIPPED' }] });
    const again = await s.baton('bypass', 'waiter', String(iid), '--step', 'w');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/cannot BYPASS_STEP_DEPENDENCIES step 'w'.*SUCCEEDED/);
  });
});

describe('baton signal lineage', () => {
  it('shows the step that produced a signal and the steps it released; the API answers the same', async () => {
    const waiting = JSON.parse((await s.baton('start', 'waiter', '--json')).stdout);
    const iid = Number(waiting.workflow_instance_id);
    await untilStatus('waiter', iid, 'w', 'WAITING_FOR_SIGNALS');
    expect((await s.baton('start', 'producer', '--wait')).code).toBe(0);
    await untilStatus('waiter', iid, 'w', 'SUCCEEDED');
    const made = await stepView('producer', 1, 'make');
    expect(made['signal_outputs']).toMatchObject({
      outputs: [{ name: 'db/orders', params: { date: '20240101' }, payload: {}, signal_id: 1 }],
    });
    expect((await stepView('waiter', iid, 'w'))['signal_dependencies']).toMatchObject({
      dependencies: [{ status: 'MATCHED', signal_id: 1 }],
    });

    const { code, stdout, stderr } = await s.baton('signal', 'lineage', 'db/orders', '1');
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^db\/orders #1 \(.+\), stored \d{4}-\d\d-\d\d /);
    expect(lines.slice(1)).toEqual([
      'produced by: producer instance 1 run 1, step make attempt 1',
      'started runs: none',
      'released steps:',
      `  waiter instance ${iid} run 1, step w attempt 1 (dependency 0)`,
      '',
    ]);
    const api = await s.api.app.inject('/api/v3/signals/db%2Forders/instances/latest/lineage');
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({
      name: 'db/orders',
      seq_id: 1,
      signal_source: { workflow_id: 'producer', step_id: 'make', step_instance_id: 1, step_attempt_id: 1 },
      started_runs: [],
      released_steps: [
        { workflow_id: 'waiter', workflow_instance_id: iid, step_id: 'w', dependency_index: 0 },
      ],
    });
    const json = await s.baton('signal', 'lineage', 'db/orders', 'latest', '--json');
    expect(JSON.parse(json.stdout)).toEqual(api.json());
  });

  it('an instance that does not exist is 404 (exit 2); a bad seq is refused before asking', async () => {
    const missing = await s.api.app.inject('/api/v3/signals/nothing/instances/3/lineage');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe("signal 'nothing' has no instance 3");
    expect((await s.api.app.inject('/api/v3/signals/x/instances/zero/lineage')).statusCode).toBe(400);
    const cli = await s.baton('signal', 'lineage', 'nothing', '3');
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/signal 'nothing' has no instance 3/);
    const bad = await s.baton('signal', 'lineage', 'nothing', 'zero');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/seq id \(1, 2, …\) or latest, not 'zero'/);
  });
});
