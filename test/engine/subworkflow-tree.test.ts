// What a run below another inherits from its tree, without a store: the limit of leaf steps running at once (the
// root's instance_step_concurrency only) and, on a restart, which children its subworkflow steps restart.
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { planOf } from '../../src/engine/plan.js';
import { priorChildren, SUBWORKFLOW_ARTIFACT } from '../../src/engine/subworkflow.js';
import { instanceTreeOf } from '../../src/engine/tx-lookups.js';
import { nextAttemptOf, type StepState } from '../../src/engine/state.js';
import type { RunRecord } from '../../src/store/port.js';

const record = (over: Partial<RunRecord>): RunRecord =>
  ({ correlation_id: 'root:1:1', initiator: { type: 'MANUAL' }, state: {}, ...over }) as RunRecord;
const parent = { workflow_id: 'root', instance_id: 1, run_id: 1, step_id: 's', attempt: 1 };

describe('instanceTreeOf', () => {
  it("gives a root its own limit and a run below another only the root's", () => {
    const limited = { id: 'w', steps: [], instance_step_concurrency: 1 };
    expect(instanceTreeOf(record({}), limited)).toEqual({ correlation: 'root:1:1', limit: 1 });
    // a child whose root set no limit is not capped by its own definition's
    const child = record({ parent, initiator: { type: 'SUBWORKFLOW' } });
    expect(instanceTreeOf(child, limited).limit).toBeUndefined();
    const inherited = record({
      parent,
      initiator: { type: 'SUBWORKFLOW' },
      state: { instance_step_concurrency: 3 },
    });
    expect(instanceTreeOf(inherited, limited).limit).toBe(3);
  });
});

describe('priorChildren', () => {
  it('restarts the children of the steps that waited for them and run again, not the fire-and-forget ones', () => {
    const workflow = parseDefinition({
      properties: { owner: 'o' },
      workflow: {
        id: 'p',
        steps: [
          { subworkflow: { id: 'waits', params: { subworkflow_id: { type: 'STRING', value: 'c' } } } },
          {
            subworkflow: {
              id: 'fires',
              sync: false,
              params: { subworkflow_id: { type: 'STRING', value: 'c' } },
            },
          },
          { subworkflow: { id: 'done', params: { subworkflow_id: { type: 'STRING', value: 'c' } } } },
        ],
      },
    }).workflow!.workflow;
    const withChild = (status: StepState['status'], instance: number): StepState => ({
      status,
      attempt: 1,
      retries: { error: 0, platform: 0, timeout: 0 },
      create_time: 0,
      artifacts: {
        [SUBWORKFLOW_ARTIFACT]: {
          subworkflow_id: 'c',
          subworkflow_version_id: 1,
          subworkflow_instance_id: instance,
          subworkflow_run_id: 1,
        },
      },
    });
    const previous = {
      params: {},
      steps: {
        waits: withChild('FATALLY_FAILED', 1),
        fires: withChild('SUCCEEDED', 2),
        done: withChild('SUCCEEDED', 3),
      },
    };
    // `done` is carried over; `waits` and `fires` run again
    expect(priorChildren(planOf(workflow), previous, { done: previous.steps.done })).toEqual({
      waits: { workflow_id: 'c', instance_id: 1, run_id: 1 },
    });
  });
});

describe('nextAttemptOf', () => {
  it("starts a step's new attempt without the runs, rollup or child params of the one before", () => {
    const previous: StepState = {
      status: 'FATALLY_FAILED',
      attempt: 1,
      retries: { error: 0, platform: 0, timeout: 0 },
      create_time: 0,
      children: { FAILED: 1 },
      rollup: { SUCCEEDED: 3, FATALLY_FAILED: 1 },
      child_params: { a: {} },
      message: 'its subworkflow run ended FAILED',
    };
    const next = nextAttemptOf(previous, 2);
    expect(next).toMatchObject({ attempt: 2, history: [{ attempt: 1, status: 'FATALLY_FAILED' }] });
    expect(next.children).toBeUndefined();
    expect(next.rollup).toBeUndefined();
    expect(next.child_params).toBeUndefined();
  });
});
