import { describe, expect, it } from 'vitest';
import type { LoadedRun } from '../../engine/run-record.js';
import type { StepState } from '../../engine/state.js';
import type { RunRecord } from '../../store/port.js';
import { changeEvents, sentRunOf, sseFrame } from './live-events.js';

const RUN: RunRecord = {
  workflow_id: 'wf',
  instance_id: 1,
  run_id: 1,
  version_id: 1,
  request_id: 'uuid-1',
  status: 'IN_PROGRESS',
  correlation_id: 'c',
  initiator: {},
  state: {},
  create_time: 1,
  version: 2,
  modify_time: 100,
};

function loaded(
  status: RunRecord['status'],
  version: number,
  steps: Record<string, Partial<StepState>>,
): LoadedRun {
  const full: Record<string, StepState> = {};
  for (const [id, s] of Object.entries(steps))
    full[id] = {
      status: 'RUNNING',
      attempt: 1,
      retries: { error: 0, platform: 0, timeout: 0 },
      create_time: 1,
      ...s,
    };
  return { run: { ...RUN, status, version, modify_time: version * 100 }, state: { params: {}, steps: full } };
}

describe('live run events', () => {
  it('tell the end of an attempt the stream missed before the retry that replaced it, then the run ending', () => {
    const sent = sentRunOf(loaded('IN_PROGRESS', 2, { a: { status: 'RUNNING', attempt: 1 } }));
    const now = loaded('FAILED', 5, {
      a: {
        status: 'FATALLY_FAILED',
        attempt: 2,
        start_time: 400,
        end_time: 450,
        history: [{ attempt: 1, status: 'USER_FAILED', start_time: 200, end_time: 300 }],
      },
      b: { status: 'STOPPED', end_time: 460 },
    });
    const events = changeEvents(sent, now, 999);
    expect(events.map((e) => [e['type'], e['step_id'] ?? null, e['step_attempt_id'] ?? null])).toEqual([
      ['STEP_INSTANCE_STATUS_CHANGE_EVENT', 'a', 1],
      ['STEP_INSTANCE_STATUS_CHANGE_EVENT', 'a', 2],
      ['STEP_INSTANCE_STATUS_CHANGE_EVENT', 'b', 1],
      ['WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT', null, null],
    ]);
    expect(events[0]?.['status_change_records']).toEqual([
      { old_status: 'RUNNING', new_status: 'USER_FAILED', event_time: 300 },
    ]);
    expect(events[1]?.['status_change_records']).toEqual([
      { old_status: 'NOT_CREATED', new_status: 'FATALLY_FAILED', event_time: 450 },
    ]);
    expect(events[3]).toMatchObject({
      old_status: 'IN_PROGRESS',
      new_status: 'FAILED',
      workflow_uuid: 'uuid-1',
      send_time: 999,
    });
  });

  it('has nothing to send for a version that changed no status', () => {
    const before = loaded('IN_PROGRESS', 2, { a: { status: 'RUNNING' } });
    expect(
      changeEvents(sentRunOf(before), loaded('IN_PROGRESS', 3, { a: { status: 'RUNNING' } }), 1),
    ).toEqual([]);
  });

  it('frames an event with its id, type and one line of JSON', () => {
    expect(sseFrame(7, { type: 'X', text: 'two\nlines' })).toBe(
      'id: 7\nevent: X\ndata: {"type":"X","text":"two\\nlines"}\n\n',
    );
  });
});
